// The host's own policy parameters for the county reports, declared under the reserved module
// id "civ" (config/policy/*.yaml: civ.reports.*), beside the modules' parameters.
#pragma once

#include <cstdint>
#include <string_view>

#include <civ/sdk/date.h>

namespace civ::host {

class PolicyStore;

/// 小数抑制: a township's count of people, households or cases below this is not shown in the
/// indicators' breakdowns (a person could be identified); 0 or 1 shows every count.
inline constexpr std::string_view kSmallCountThreshold = "civ.reports.small_count_threshold";

void declareReportParameters(PolicyStore& policy);

/// The threshold in force for the county on the day (its default when nothing is configured).
std::int64_t smallCountThreshold(const PolicyStore& policy, std::string_view county, sdk::Date day);

}  // namespace civ::host
