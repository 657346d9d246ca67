#include "benefit_formula.h"

#include <algorithm>
#include <cstdio>

namespace civ::plugins::social_assistance {

std::optional<AmountRounding> parseAmountRounding(const std::string& text) {
  if (text == "fen") return AmountRounding::Fen;
  if (text == "yuan_half_up") return AmountRounding::YuanHalfUp;
  if (text == "yuan_up") return AmountRounding::YuanUp;
  return std::nullopt;
}

sdk::Money applyRounding(sdk::Money amount, AmountRounding rounding) {
  switch (rounding) {
    case AmountRounding::Fen:
      return amount;
    case AmountRounding::YuanHalfUp:
      return amount.roundedToYuan(sdk::Rounding::HalfUp);
    case AmountRounding::YuanUp:
      return amount.roundedToYuan(sdk::Rounding::Up);
  }
  return amount;
}

sdk::Money householdMonthlyIncome(sdk::Money counted_income, sdk::Money allowed_deductions,
                                  int period_months) {
  const sdk::Money net = counted_income - allowed_deductions;
  if (net.fen() <= 0 || period_months <= 0) return sdk::Money{};
  return net.dividedBy(period_months, sdk::Rounding::HalfUp);
}

namespace {

/// Months since year 0, so that consecutive calendar months differ by one.
int monthIndex(sdk::Date day) { return day.year() * 12 + static_cast<int>(day.month()) - 1; }

}  // namespace

IncomeWindow incomeWindow(sdk::Date month, sdk::Date today, int months) {
  const sdk::Date assessed = *sdk::Date::fromParts(month.year(), month.month(), 1);
  const sdk::Date this_month = *sdk::Date::fromParts(today.year(), today.month(), 1);
  const sdk::Date end = std::min(assessed, this_month);  // the first month not counted
  IncomeWindow window;
  window.months = std::max(months, 0);
  window.first = end.addMonths(-window.months);
  window.last = end.addDays(-1);
  return window;
}

sdk::Money incomeInWindow(sdk::Money amount, sdk::Date period_from, sdk::Date period_to,
                          const IncomeWindow& window) {
  const int from = monthIndex(period_from), to = monthIndex(period_to);
  const int covered = to - from + 1;
  const int in_window =
      std::min(to, monthIndex(window.last)) - std::max(from, monthIndex(window.first)) + 1;
  if (covered <= 0 || in_window <= 0 || window.months <= 0) return sdk::Money{};
  return (amount * in_window).dividedBy(covered, sdk::Rounding::HalfUp);
}

namespace {

sdk::Ratio highestAddon(const DibaoPolicy& policy, const CoveredMember& member,
                        sdk::Date month_start) {
  const int age = member.birth_date.yearsUntil(month_start);
  sdk::Ratio best;
  const auto consider = [&](bool applies, sdk::Ratio ratio) {
    if (applies && ratio > best) best = ratio;
  };
  consider(age >= policy.elderly_age, policy.elderly_addon);
  consider(age < policy.child_age, policy.child_addon);
  consider(member.disability_grade && *member.disability_grade <= 2,
           policy.severe_disability_addon);
  consider(member.serious_illness, policy.serious_illness_addon);
  return best;
}

}  // namespace

DibaoAmount dibaoAmount(const DibaoPolicy& policy, sdk::Money household_income,
                        const std::vector<CoveredMember>& members, sdk::Date month_start) {
  DibaoAmount amount;
  amount.members = static_cast<int>(members.size());
  if (members.empty()) return amount;
  const std::int64_t count = amount.members;
  amount.per_capita_income = household_income.dividedBy(count, sdk::Rounding::HalfUp);
  const sdk::Money household_standard = policy.standard * count;
  amount.eligible = household_income < household_standard;
  if (!amount.eligible) {
    // Exactly: income / n < ratio × standard  <=>  income < ratio × (n × standard).
    const std::int64_t scaled_income = household_income.fen() * sdk::Ratio::kScale;
    const std::int64_t scaled_limit = household_standard.fen() * policy.edge_ratio.millionths();
    amount.edge_eligible = scaled_income < scaled_limit;
    return amount;
  }
  amount.gap = household_standard - household_income;
  for (const auto& member : members)
    amount.addons += policy.standard.times(highestAddon(policy, member, month_start));
  sdk::Money total = amount.gap + amount.addons;
  const sdk::Money minimum = policy.minimum_per_person * count;
  if (total < minimum) total = minimum;
  amount.total = applyRounding(total, policy.rounding);
  return amount;
}

SelfCareLevel selfCareLevel(int failed_items) {
  if (failed_items <= 0) return SelfCareLevel::SelfCaring;
  if (failed_items <= 3) return SelfCareLevel::PartlyUnable;
  return SelfCareLevel::FullyUnable;
}

const char* toString(SelfCareLevel level) {
  switch (level) {
    case SelfCareLevel::SelfCaring:
      return "self_caring";
    case SelfCareLevel::PartlyUnable:
      return "partly_unable";
    case SelfCareLevel::FullyUnable:
      return "fully_unable";
  }
  return "self_caring";
}

std::optional<SelfCareLevel> parseSelfCareLevel(const std::string& text) {
  for (auto level :
       {SelfCareLevel::SelfCaring, SelfCareLevel::PartlyUnable, SelfCareLevel::FullyUnable})
    if (text == toString(level)) return level;
  return std::nullopt;
}

TekunAmount tekunAmount(const TekunPolicy& policy, bool concentrated, SelfCareLevel level) {
  TekunAmount amount;
  const sdk::Money yearly =
      concentrated ? policy.basic_concentrated_per_year : policy.basic_dispersed_per_year;
  amount.basic = yearly.dividedBy(12, sdk::Rounding::HalfUp);
  switch (level) {
    case SelfCareLevel::SelfCaring:
      amount.care = policy.care_self_caring;
      break;
    case SelfCareLevel::PartlyUnable:
      amount.care = policy.care_partly_unable;
      break;
    case SelfCareLevel::FullyUnable:
      amount.care = policy.care_fully_unable;
      break;
  }
  amount.total = applyRounding(amount.basic + amount.care, policy.rounding);
  return amount;
}

bool tekunUnableToWork(int age, std::optional<int> disability_grade,
                       const std::string& disability_type) {
  if (age >= 60 || age < 16) return true;
  if (!disability_grade) return false;
  const int grade = *disability_grade;
  if (disability_type == "intellectual" || disability_type == "mental") return grade <= 3;
  if (disability_type == "physical") return grade <= 2;
  if (disability_type == "visual") return grade <= 1;
  return false;
}

bool disabilityLivingEligible(std::optional<int> disability_grade, bool in_dibao_household) {
  return disability_grade && *disability_grade >= 1 && *disability_grade <= 4 && in_dibao_household;
}

bool disabilityCareEligible(std::optional<int> disability_grade, bool needs_long_term_care) {
  return disability_grade && *disability_grade >= 1 && *disability_grade <= 2 &&
         needs_long_term_care;
}

sdk::Money medicalRelief(sdk::Money eligible_expense, sdk::Ratio ratio, sdk::Money annual_cap,
                         sdk::Money already_paid_this_year) {
  const sdk::Money computed = eligible_expense.times(ratio, sdk::Rounding::HalfUp);
  const sdk::Money left = annual_cap - already_paid_this_year;
  if (left.fen() <= 0) return sdk::Money{};
  return std::min(computed, left);
}

std::optional<sdk::Date> parseMonth(const std::string& text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  return sdk::Date::parse(text + "-01");
}

std::string monthText(sdk::Date day) { return day.toString().substr(0, 7); }

sdk::Date firstOfNextMonth(sdk::Date day) {
  const auto first = *sdk::Date::fromParts(day.year(), day.month(), 1);
  return first.addMonths(1);
}

}  // namespace civ::plugins::social_assistance
