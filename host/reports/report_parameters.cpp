#include "host/reports/report_parameters.h"

#include <civ/sdk/policy.h>

#include "host/policy/policy_store.h"

namespace civ::host {

void declareReportParameters(PolicyStore& policy) {
  sdk::ParameterDeclaration threshold;
  threshold.key = std::string(kSmallCountThreshold.substr(4));  // after "civ."
  threshold.type = sdk::ParameterType::Integer;
  threshold.unit = "count";
  // Off unless configured: the county's own staff read the records behind every figure, and a
  // province sets its publication rule (5 is common statistical practice).
  threshold.default_value = "0";
  threshold.minimum = "0";
  threshold.maximum = "100";
  threshold.description = {"分乡镇指标中人数、户数、案件数小于此数的不予显示（防止识别到个人）",
                           "A township's count of people, households or cases below this is "
                           "suppressed in the breakdowns (a person could be identified)"};
  threshold.lowest_level = sdk::ParameterLevel::County;
  policy.declare("civ", threshold);
}

std::int64_t smallCountThreshold(const PolicyStore& policy, std::string_view county,
                                 sdk::Date day) {
  return std::get<std::int64_t>(
      policy.typedValueInForce(county, kSmallCountThreshold, sdk::ParameterType::Integer, day));
}

}  // namespace civ::host
