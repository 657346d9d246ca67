// 家庭经济状况: a household's counted income and its property against the rules in force,
// as the investigation records them. The decision and every re-review use this one reading.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/error.h>
#include <civ/sdk/money.h>

#include "assistance_parameters.h"

namespace soci {
class session;
}

namespace civ::plugins::social_assistance {

struct HouseholdAssessment {
  std::string category;
  int members = 0;  ///< counted members (共同生活) today
  sdk::Money counted_income;
  sdk::Money excluded_income;
  sdk::Money deductions;
  int period_months = 0;
  sdk::Money household_income;                     ///< monthly
  std::vector<sdk::FieldError> property_failures;  ///< each property rule that fails
  DibaoAmount dibao;                               ///< for the month assessed

  nlohmann::json toJson() const;
};

/// Reads the household's income and property items and applies the parameters in force on the
/// first day of `month`.
HouseholdAssessment assessHousehold(soci::session& db, std::int64_t household_id,
                                    const AssistancePolicy& policy, sdk::Date month_start);

}  // namespace civ::plugins::social_assistance
