// 家庭经济状况: a household's counted income and its property against the rules in force,
// as the investigation records them. The decision and every re-review use this one reading.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
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
  int members = 0;             ///< counted members (共同生活) today
  IncomeWindow income_window;  ///< the months whose income is counted
  sdk::Money counted_income;   ///< in the window (incomeInWindow)
  sdk::Money excluded_income;
  sdk::Money deductions;
  int period_months = 0;
  sdk::Money household_income;                     ///< monthly
  std::vector<sdk::FieldError> property_failures;  ///< each property rule that fails
  DibaoAmount dibao;                               ///< for the month assessed

  nlohmann::json toJson() const;
};

/// What the assessment reads of one household: its category, the members counted today
/// (共同生活, not left), the income items' shares of the income window summed by treatment,
/// property not exempt.
struct HouseholdRecords {
  std::string category;
  std::vector<CoveredMember> members;
  IncomeWindow income_window;  ///< the window the income below was read for
  sdk::Money counted_income;
  sdk::Money excluded_income;
  sdk::Money deductions;
  sdk::Money financial;  ///< deposits, securities, insurance, other financial assets
  std::int64_t homes = 0, vehicles = 0, businesses = 0;
};

/// Applies the parameters in force on the first day of `month_start`'s month to `records`; the
/// household's monthly income is its income in records.income_window over the window's months.
/// Pure: the single-household reading and the county-wide annual re-review both use it.
HouseholdAssessment assess(const HouseholdRecords& records, const AssistancePolicy& policy,
                           sdk::Date month_start);

/// The income window of an assessment of `month_start`'s month made on `today`, with the
/// period (dibao.income_period_months) of `policy`.
IncomeWindow incomeWindowOf(const AssistancePolicy& policy, sdk::Date month_start, sdk::Date today);

/// One household's records, its income read for `window`: only the items whose period overlaps
/// it, each counted for its share (incomeInWindow).
HouseholdRecords readHouseholdRecords(soci::session& db, std::int64_t household_id,
                                      const IncomeWindow& window);

/// The records of every household with an active 低保 case in `county`, by household id, read
/// with one statement per kind of record (the annual re-review of a whole county), income as
/// readHouseholdRecords reads it. `expected_households` sizes the map once (the caller's count of
/// active cases, an upper bound); a county's 250,000 would otherwise rehash it eighteen times.
std::unordered_map<std::int64_t, HouseholdRecords> readRecordsOfActiveDibaoHouseholds(
    soci::session& db, const std::string& county, const IncomeWindow& window,
    std::size_t expected_households = 0);

/// readHouseholdRecords for the window of `month_start` on `today`, then assess.
HouseholdAssessment assessHousehold(soci::session& db, std::int64_t household_id,
                                    const AssistancePolicy& policy, sdk::Date month_start,
                                    sdk::Date today);

}  // namespace civ::plugins::social_assistance
