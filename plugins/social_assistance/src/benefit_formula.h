// The money rules of social assistance (rules.md §1.4, §1.5, §1.9), as pure functions of the
// parameters in force and the facts of one month. No database, no clock: every amount a payment
// run writes comes from here, so a past month recomputes to the same fen.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/date.h>
#include <civ/sdk/money.h>

namespace civ::plugins::social_assistance {

/// How a monthly amount is brought to what is paid (a county parameter).
enum class AmountRounding { Fen, YuanHalfUp, YuanUp };

std::optional<AmountRounding> parseAmountRounding(const std::string& text);
sdk::Money applyRounding(sdk::Money amount, AmountRounding rounding);

/// 低保 parameters in force for one county, category and month.
struct DibaoPolicy {
  sdk::Money standard;  ///< monthly standard per person for the household's category
  AmountRounding rounding = AmountRounding::Fen;
  sdk::Money minimum_per_person;  ///< 保底 per covered person; zero for none
  /// Classified add-ons (分类施保) as ratios of the standard, per covered member. A member who
  /// fits several classes gets the highest one (就高不叠加).
  sdk::Ratio elderly_addon;
  sdk::Ratio severe_disability_addon;
  sdk::Ratio serious_illness_addon;
  sdk::Ratio child_addon;
  int elderly_age = 60;  ///< completed years on the first day of the month
  int child_age = 16;    ///< under this age on the first day of the month
  sdk::Ratio edge_ratio = *sdk::Ratio::parse("1.5");  ///< 低保边缘: below this × standard
};

/// A member counted in the household for the month (共同生活, not excluded).
struct CoveredMember {
  sdk::Date birth_date;
  std::optional<int> disability_grade;  ///< 1 (most severe) to 4
  bool serious_illness = false;
};

/// Monthly household income counted for 低保: (counted income − allowed deductions) over the
/// income period, divided by its months, to the fen (half up). Never below zero.
sdk::Money householdMonthlyIncome(sdk::Money counted_income, sdk::Money allowed_deductions,
                                  int period_months);

/// The months whose income an assessment averages (家庭收入计算期): `months` whole calendar
/// months, from the first day of the first to the last day of the last.
struct IncomeWindow {
  sdk::Date first;  ///< first day of the first month counted
  sdk::Date last;   ///< last day of the last month counted
  int months = 0;
};

/// The window of an assessment of `month` made on `today`: the `months` whole calendar months
/// immediately before the month assessed (assessing M: M−N .. M−1). A month that has not ended
/// is never counted: income is recorded only for periods that have passed, so an assessment
/// made today for a later month (a decision, a re-review, each for the amount from next month)
/// counts the N months before today's month.
IncomeWindow incomeWindow(sdk::Date month, sdk::Date today, int months);

/// What one income item contributes to the window: its monthly rate (amount ÷ the calendar
/// months its period covers, period_from's month through period_to's, both whole) for each month
/// of the window it covers, i.e. amount × months in the window ÷ months covered, rounded half up
/// to the fen once for the item. Zero when the period lies outside the window (or is reversed).
/// The same for counted income, excluded income and deductions.
sdk::Money incomeInWindow(sdk::Money amount, sdk::Date period_from, sdk::Date period_to,
                          const IncomeWindow& window);

/// One month's 低保 computation, every step shown.
struct DibaoAmount {
  int members = 0;
  sdk::Money per_capita_income;  ///< household income / members, to the fen (shown only)
  bool eligible = false;         ///< per-capita income below the standard
  bool edge_eligible = false;  ///< not eligible, and per-capita income below edge_ratio × standard
  sdk::Money gap;              ///< 补差: members × standard − household income, when eligible
  sdk::Money addons;           ///< classified add-ons
  sdk::Money total;            ///< what is paid, after the minimum and the rounding rule
};

/// 月低保金 = (standard − per-capita income) × members (补差), plus add-ons. The gap is computed
/// as members × standard − household income, which is the same number without rounding the
/// per-capita figure first, so three members on 1000.00 get 1100.00, not 1100.01.
DibaoAmount dibaoAmount(const DibaoPolicy& policy, sdk::Money household_income,
                        const std::vector<CoveredMember>& members, sdk::Date month_start);

/// 特困 self-care level from the six-item assessment (吃饭, 穿衣, 上下床, 如厕, 室内行走, 洗澡).
enum class SelfCareLevel { SelfCaring, PartlyUnable, FullyUnable };
SelfCareLevel selfCareLevel(int failed_items);
const char* toString(SelfCareLevel level);
std::optional<SelfCareLevel> parseSelfCareLevel(const std::string& text);

/// 特困 monthly amount: the yearly basic-living standard for the support mode / 12 (to the fen,
/// half up) plus the monthly care amount of the person's self-care level, then the rounding rule.
struct TekunPolicy {
  sdk::Money basic_concentrated_per_year;
  sdk::Money basic_dispersed_per_year;
  sdk::Money care_self_caring;
  sdk::Money care_partly_unable;
  sdk::Money care_fully_unable;
  AmountRounding rounding = AmountRounding::Fen;
};
struct TekunAmount {
  sdk::Money basic;
  sdk::Money care;
  sdk::Money total;
};
TekunAmount tekunAmount(const TekunPolicy& policy, bool concentrated, SelfCareLevel level);

/// 特困 无劳动能力 test (认定办法 §6): aged 60 or over, under 16, or disabled at the listed grades.
bool tekunUnableToWork(int age, std::optional<int> disability_grade,
                       const std::string& disability_type);

/// 残疾人两项补贴 eligibility (国发〔2015〕52号): the living subsidy for disabled members of a
/// 低保 household (grades 1-4 in the demo counties), the care subsidy for grades 1-2 needing
/// long-term care.
bool disabilityLivingEligible(std::optional<int> disability_grade, bool in_dibao_household);
bool disabilityCareEligible(std::optional<int> disability_grade, bool needs_long_term_care);

/// Medical assistance for one claim: eligible expense × ratio, capped by what is left of the
/// annual cap, to the fen (half up).
sdk::Money medicalRelief(sdk::Money eligible_expense, sdk::Ratio ratio, sdk::Money annual_cap,
                         sdk::Money already_paid_this_year);

/// "YYYY-MM" months.
std::optional<sdk::Date> parseMonth(const std::string& text);  ///< first day of the month
std::string monthText(sdk::Date day);                          ///< "YYYY-MM" of the day
sdk::Date firstOfNextMonth(sdk::Date day);

}  // namespace civ::plugins::social_assistance
