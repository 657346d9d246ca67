#include "elderly_care_rules.h"

#include <algorithm>

namespace civ::plugins::elderly_care {

std::vector<sdk::FieldError> checkBeds(long long beds, long long nursing_beds,
                                       long long minimum_beds) {
  std::vector<sdk::FieldError> errors;
  if (beds < minimum_beds)
    errors.push_back({"beds", "min-beds",
                      "an elderly care institution has at least " + std::to_string(minimum_beds) +
                          " beds (parameter elderly_care.institution.min_beds); " +
                          std::to_string(beds) + " given"});
  if (nursing_beds > beds)
    errors.push_back({"nursing_beds", "nursing-within-beds",
                      "nursing-type beds (" + std::to_string(nursing_beds) +
                          ") are part of the beds (" + std::to_string(beds) + ")"});
  return errors;
}

std::optional<sdk::FieldError> checkRegistration(const std::string& uscc,
                                                 const std::string& authority,
                                                 const std::string& profit) {
  const char expected = authority == "civil_affairs"          ? '5'
                        : authority == "market_regulation"    ? '9'
                        : authority == "establishment_office" ? '1'
                                                              : '?';
  if (uscc.empty() || uscc[0] != expected)
    return sdk::FieldError{"uscc", "uscc-authority",
                           std::string("the code's first character (registering department) is '") +
                               (uscc.empty() ? ' ' : uscc[0]) + "', but registration_authority " +
                               authority + " issues codes starting with '" + expected +
                               "' (GB 32100-2015)"};
  if (profit == "for_profit" && authority != "market_regulation")
    return sdk::FieldError{"registration_authority", "nature-authority",
                           "a for-profit institution is registered by 市场监管 "
                           "(market_regulation), not " +
                               authority};
  if (profit == "non_profit" && authority == "market_regulation")
    return sdk::FieldError{"registration_authority", "nature-authority",
                           "a non-profit institution is registered by 民政 (civil_affairs) or "
                           "机构编制 (establishment_office), not market_regulation"};
  return std::nullopt;
}

const std::vector<std::string>& filingMaterials() {
  static const std::vector<std::string> materials = {
      "application_form",          // 备案申请书
      "registration_certificate",  // 营业执照或登记证书
      "premises_proof",            // 服务场所权属证明或租赁合同
      "fire_safety",               // 消防安全材料
      "legal_representative",      // 法定代表人（主要负责人）信息
      "compliance_pledge",         // 符合条件的承诺书
  };
  return materials;
}

std::vector<std::string> missingMaterials(const std::vector<std::string>& given) {
  std::vector<std::string> missing;
  for (const auto& item : filingMaterials())
    if (std::find(given.begin(), given.end(), item) == given.end()) missing.push_back(item);
  return missing;
}

sdk::CalendarResult filingDeadline(const sdk::WorkingDayCalendar& calendar,
                                   sdk::Date first_admission, int working_days) {
  return calendar.addWorkingDays(first_admission, working_days);
}

bool filingOverdue(sdk::Date deadline, sdk::Date today) { return today > deadline; }

sdk::Date inspectionDue(std::optional<sdk::Date> last_inspection, sdk::Date since, int months) {
  return (last_inspection ? *last_inspection : since).addMonths(months);
}

const std::vector<std::string>& assessmentDimensions() {
  static const std::vector<std::string> dimensions = {
      "daily_living", "mental_state", "perception_communication", "social_participation"};
  return dimensions;
}

std::string abilityResult(const std::vector<std::string>& levels,
                          const std::vector<std::pair<std::string, std::string>>& dimensions) {
  std::size_t worst = 0;
  for (const auto& dimension : assessmentDimensions()) {
    const auto given = std::find_if(dimensions.begin(), dimensions.end(),
                                    [&](const auto& pair) { return pair.first == dimension; });
    if (given == dimensions.end())
      throw sdk::ValidationError("dimensions", "four-dimensions",
                                 "the assessment gives all four dimensions (GB/T 42195-2022); " +
                                     dimension + " is missing");
    const auto at = std::find(levels.begin(), levels.end(), given->second);
    if (at == levels.end())
      throw sdk::ValidationError("dimensions." + dimension, "ability-level",
                                 "'" + given->second +
                                     "' is not an ability level in force (parameter "
                                     "elderly_care.assessment.levels)");
    worst = std::max(worst, static_cast<std::size_t>(at - levels.begin()));
  }
  return levels.at(worst);
}

bool residentMonth(sdk::Date admitted, std::optional<sdk::Date> discharged, sdk::Month month) {
  return admitted <= month.lastDay() && (!discharged || *discharged > month.firstDay());
}

long long residentDays(sdk::Date admitted, std::optional<sdk::Date> discharged, sdk::Date from,
                       sdk::Date to) {
  const sdk::Date start = std::max(admitted, from);
  // The last resident day: the day before the discharge, or the period's end.
  sdk::Date end = to;
  if (discharged && discharged->addDays(-1) < end) end = discharged->addDays(-1);
  if (end < start) return 0;
  return start.daysUntil(end) + 1;
}

sdk::Date keepUntil(sdk::Date ended) { return ended.addMonths(60); }

const std::vector<std::string>& hazardCategories() {
  static const std::vector<std::string> categories = {"choking",             // 噎食
                                                      "wrong_intake",        // 误食
                                                      "pressure_sore",       // 压疮
                                                      "scald",               // 烫伤
                                                      "bed_fall",            // 坠床
                                                      "fall",                // 跌倒
                                                      "wandering",           // 走失
                                                      "harm",                // 他伤自伤
                                                      "activity_accident"};  // 文体活动意外
  return categories;
}

bool hazardOverdue(sdk::Date deadline, sdk::Date today) { return today > deadline; }

std::optional<sdk::FieldError> checkFine(sdk::Money amount, sdk::Money maximum) {
  if (amount.fen() <= 0 || amount > maximum)
    return sdk::FieldError{"amount", "fine-maximum",
                           "a fine is above 0 and at most " + maximum.toString() +
                               " yuan (养老机构管理办法 §46); " + amount.toString() + " given"};
  return std::nullopt;
}

sdk::Money constructionSubsidy(long long new_beds, sdk::Money per_bed) {
  return per_bed * new_beds;
}

sdk::Money operatingSubsidy(const std::vector<std::pair<long long, sdk::Money>>& months_and_rates) {
  sdk::Money total;
  for (const auto& [months, rate] : months_and_rates) total += rate * months;
  return total;
}

long long permille(long long part, long long whole) {
  if (whole <= 0) return 0;
  return (part * 1000 * 2 + whole) / (2 * whole);
}

}  // namespace civ::plugins::elderly_care
