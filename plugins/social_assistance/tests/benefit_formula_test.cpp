// The money rules, to the fen: the worked 补差 example of rules.md §1.4, rounding edges,
// add-ons, 特困 tiers, medical caps.
#include "../src/benefit_formula.h"

#include <gtest/gtest.h>

namespace civ::plugins::social_assistance {
namespace {

sdk::Money yuan(const char* text) { return *sdk::Money::parse(text); }
sdk::Date date(const char* text) { return *sdk::Date::parse(text); }

CoveredMember adult() { return {date("1980-05-01"), std::nullopt, false}; }

TEST(BenefitFormula, WorkedGapExampleOfTheRules) {
  // Standard 700; 3 members; counted income 900/month → per capita 300 → 400 each → 1200.
  DibaoPolicy policy;
  policy.standard = yuan("700");
  const auto amount =
      dibaoAmount(policy, yuan("900"), {adult(), adult(), adult()}, date("2026-04-01"));
  EXPECT_TRUE(amount.eligible);
  EXPECT_EQ(amount.per_capita_income.fen(), 30000);
  EXPECT_EQ(amount.gap.fen(), 120000);
  EXPECT_EQ(amount.total.fen(), 120000);
}

TEST(BenefitFormula, GapIsExactWhenPerCapitaIncomeDoesNotDivide) {
  // 1000.00 / 3 = 333.33...; (700 − 333.33) × 3 would give 1100.01. The exact gap is 1100.00.
  DibaoPolicy policy;
  policy.standard = yuan("700");
  const auto amount =
      dibaoAmount(policy, yuan("1000"), {adult(), adult(), adult()}, date("2026-04-01"));
  EXPECT_EQ(amount.per_capita_income.fen(), 33333);
  EXPECT_EQ(amount.total.fen(), 110000);
}

TEST(BenefitFormula, IncomeEqualToTheStandardIsNotEligible) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  const auto at = dibaoAmount(policy, yuan("1000"), {adult(), adult()}, date("2026-04-01"));
  EXPECT_FALSE(at.eligible);
  EXPECT_EQ(at.total.fen(), 0);
  EXPECT_TRUE(at.edge_eligible);  // 500 < 1.5 × 500
  const auto one_fen_below =
      dibaoAmount(policy, yuan("999.99"), {adult(), adult()}, date("2026-04-01"));
  EXPECT_TRUE(one_fen_below.eligible);
  EXPECT_EQ(one_fen_below.total.fen(), 1);
}

TEST(BenefitFormula, EdgeBandEndsBelowOneAndAHalfTimesTheStandard) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  EXPECT_TRUE(dibaoAmount(policy, yuan("1499.99"), {adult(), adult()}, date("2026-04-01"))
                  .edge_eligible);  // per capita 749.995 < 750
  EXPECT_FALSE(
      dibaoAmount(policy, yuan("1500"), {adult(), adult()}, date("2026-04-01")).edge_eligible);
}

TEST(BenefitFormula, RoundingRulesOnTheTotal) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  const std::vector<CoveredMember> one = {adult()};
  policy.rounding = AmountRounding::Fen;
  EXPECT_EQ(dibaoAmount(policy, yuan("123.50"), one, date("2026-04-01")).total.fen(), 37650);
  policy.rounding = AmountRounding::YuanHalfUp;
  EXPECT_EQ(dibaoAmount(policy, yuan("123.50"), one, date("2026-04-01")).total.fen(), 37700);
  EXPECT_EQ(dibaoAmount(policy, yuan("123.51"), one, date("2026-04-01")).total.fen(), 37600);
  policy.rounding = AmountRounding::YuanUp;
  EXPECT_EQ(dibaoAmount(policy, yuan("123.99"), one, date("2026-04-01")).total.fen(), 37700);
}

TEST(BenefitFormula, AddOnsTakeTheHighestClassPerMember) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  policy.elderly_addon = *sdk::Ratio::parse("0.1");
  policy.severe_disability_addon = *sdk::Ratio::parse("0.3");
  policy.child_addon = *sdk::Ratio::parse("0.05");
  // Elderly and severely disabled: 30% (not 40%); a child: 5%; a working-age adult: none.
  const CoveredMember elderly_disabled{date("1950-01-01"), 1, false};
  const CoveredMember child{date("2015-06-01"), std::nullopt, false};
  const auto amount =
      dibaoAmount(policy, yuan("300"), {elderly_disabled, child, adult()}, date("2026-04-01"));
  EXPECT_EQ(amount.gap.fen(), 120000);    // 3 × 500 − 300
  EXPECT_EQ(amount.addons.fen(), 17500);  // 150 + 25
  EXPECT_EQ(amount.total.fen(), 137500);
}

TEST(BenefitFormula, AgeIsTakenOnTheFirstDayOfTheMonth) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  policy.elderly_addon = *sdk::Ratio::parse("0.1");
  const CoveredMember turns_sixty{date("1966-04-02"), std::nullopt, false};
  EXPECT_EQ(dibaoAmount(policy, yuan("0"), {turns_sixty}, date("2026-04-01")).addons.fen(), 0);
  EXPECT_EQ(dibaoAmount(policy, yuan("0"), {turns_sixty}, date("2026-05-01")).addons.fen(), 5000);
}

TEST(BenefitFormula, MinimumPerPersonLiftsSmallGaps) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  policy.minimum_per_person = yuan("30");
  EXPECT_EQ(dibaoAmount(policy, yuan("990"), {adult(), adult()}, date("2026-04-01")).total.fen(),
            6000);
}

TEST(BenefitFormula, HouseholdIncomeOverThePeriodNetOfDeductions) {
  // Six months: 5400 counted, 600 deductible (刚性支出) → 800.00 a month.
  EXPECT_EQ(householdMonthlyIncome(yuan("5400"), yuan("600"), 6).fen(), 80000);
  // 1000 over 3 months → 333.33 (half up).
  EXPECT_EQ(householdMonthlyIncome(yuan("1000"), yuan("0"), 3).fen(), 33333);
  // Deductions above income give zero, never a negative income.
  EXPECT_EQ(householdMonthlyIncome(yuan("100"), yuan("300"), 6).fen(), 0);
}

// --- Income by the months each item covers (decisions.md, session 6) ---------------------------

/// The window of assessing `month` ("YYYY-MM-DD" of any day in it) on `today`, `n` months.
IncomeWindow window(const char* month, const char* today, int n = 6) {
  return incomeWindow(date(month), date(today), n);
}

/// incomeInWindow in fen, for an item of `amount` yuan over `from` .. `to`.
std::int64_t share(const char* amount, const char* from, const char* to, const IncomeWindow& w) {
  return incomeInWindow(yuan(amount), date(from), date(to), w).fen();
}

TEST(IncomeWindow, TheWholeMonthsBeforeTheMonthAssessed) {
  // Assessing July 2026 (any day after it began): January to June.
  auto w = window("2026-07-01", "2026-08-20");
  EXPECT_EQ(w.first.toString(), "2026-01-01");
  EXPECT_EQ(w.last.toString(), "2026-06-30");
  EXPECT_EQ(w.months, 6);
  // A decision made on 2026-03-17 for the amount from April: March has not ended, so it is not
  // counted; September to February, as when assessing March itself.
  w = window("2026-04-01", "2026-03-17");
  EXPECT_EQ(w.first.toString(), "2025-09-01");
  EXPECT_EQ(w.last.toString(), "2026-02-28");
  w = window("2026-03-01", "2026-03-17");
  EXPECT_EQ(w.first.toString(), "2025-09-01");
  EXPECT_EQ(w.last.toString(), "2026-02-28");
  // Twelve months across a year; one month ending in a leap February.
  w = window("2026-01-15", "2026-05-01", 12);
  EXPECT_EQ(w.first.toString(), "2025-01-01");
  EXPECT_EQ(w.last.toString(), "2025-12-31");
  w = window("2024-03-01", "2024-03-05", 1);
  EXPECT_EQ(w.first.toString(), "2024-02-01");
  EXPECT_EQ(w.last.toString(), "2024-02-29");
}

TEST(IncomeWindow, AnItemCountsForTheMonthsOfTheWindowItCovers) {
  const auto w = window("2026-07-01", "2026-07-01");  // January to June 2026
  // Inside the window: all of it.
  EXPECT_EQ(share("900.00", "2026-02-01", "2026-04-30", w), 90000);
  EXPECT_EQ(share("1200.00", "2026-01-01", "2026-06-30", w), 120000);
  // Overlapping the start: October to March, 200 a month, January to March counted.
  EXPECT_EQ(share("1200.00", "2025-10-01", "2026-03-31", w), 60000);
  // Overlapping the end: May to August, 200 a month, May and June counted.
  EXPECT_EQ(share("800.00", "2026-05-01", "2026-08-31", w), 40000);
  // Over the whole window and beyond at both ends: 18 months of 100, six counted.
  EXPECT_EQ(share("1800.00", "2025-07-01", "2026-12-31", w), 60000);
  // Entirely before (ending the day before the window) and entirely after: nothing.
  EXPECT_EQ(share("5000.00", "2025-01-01", "2025-12-31", w), 0);
  EXPECT_EQ(share("300.00", "2026-07-01", "2026-07-31", w), 0);
  // Months are counted whole: 06-15 .. 07-10 covers June and July, so half is June's.
  EXPECT_EQ(share("500.00", "2026-06-15", "2026-07-10", w), 25000);
  // A reversed period (refused when recorded) counts nothing.
  EXPECT_EQ(share("500.00", "2026-03-01", "2026-02-01", w), 0);
}

TEST(IncomeWindow, AYearsWageEnteredAsOneItemCountsOnce) {
  // 36000.00 for 2025, assessed for January 2026 with a six-month window (July to December):
  // 18000.00 counted, 3000.00 a month, not 36000.00 / 6 = 6000.00.
  const auto w = window("2026-01-01", "2026-01-20");
  const auto counted = incomeInWindow(yuan("36000.00"), date("2025-01-01"), date("2025-12-31"), w);
  EXPECT_EQ(counted.fen(), 1800000);
  EXPECT_EQ(householdMonthlyIncome(counted, yuan("0"), w.months).fen(), 300000);
}

TEST(IncomeWindow, AYearSplitOverTwoWindows) {
  // April 2025 to March 2026, 3000.00 a month: half in each of two consecutive windows.
  const char* from = "2025-04-01";
  const char* to = "2026-03-31";
  const auto april_to_september = window("2025-10-01", "2025-10-01");
  const auto october_to_march = window("2026-04-01", "2026-04-01");
  EXPECT_EQ(share("36000.00", from, to, april_to_september), 1800000);
  EXPECT_EQ(share("36000.00", from, to, october_to_march), 1800000);
  // The window after: January to March only.
  EXPECT_EQ(share("36000.00", from, to, window("2026-07-01", "2026-07-01")), 900000);
}

TEST(IncomeWindow, AShareIsRoundedHalfUpToTheFenOncePerItem) {
  // 1000.00 over November to January: 100000 × 2 / 3 = 66666.67 fen → 666.67 in the window of
  // July to December, 100000 × 1 / 3 = 33333.33 fen → 333.33 in January to June.
  EXPECT_EQ(share("1000.00", "2025-11-01", "2026-01-31", window("2026-01-01", "2026-01-01")),
            66667);
  EXPECT_EQ(share("1000.00", "2025-11-01", "2026-01-31", window("2026-07-01", "2026-07-01")),
            33333);
  // Half a fen goes up: 0.05 over two months, one in the window → 2.5 fen → 3 fen.
  EXPECT_EQ(share("0.05", "2026-06-01", "2026-07-31", window("2026-07-01", "2026-07-01")), 3);
  // 1000.00 over seven months (November to May), five in January to June: 100000 × 5 / 7 =
  // 71428.57 fen → 714.29; the household's month is then 71429 / 6 = 11904.83 → 119.05.
  const auto w = window("2026-07-01", "2026-07-01");
  const auto counted = incomeInWindow(yuan("1000.00"), date("2025-11-01"), date("2026-05-31"), w);
  EXPECT_EQ(counted.fen(), 71429);
  EXPECT_EQ(householdMonthlyIncome(counted, yuan("0"), w.months).fen(), 11905);
}

TEST(BenefitFormula, MembersAddedAndRemovedChangeTheAmount) {
  DibaoPolicy policy;
  policy.standard = yuan("500");
  EXPECT_EQ(dibaoAmount(policy, yuan("600"), {adult(), adult()}, date("2026-04-01")).total.fen(),
            40000);
  EXPECT_EQ(
      dibaoAmount(policy, yuan("600"), {adult(), adult(), adult()}, date("2026-05-01")).total.fen(),
      90000);
  EXPECT_FALSE(dibaoAmount(policy, yuan("600"), {adult()}, date("2026-06-01")).eligible);
}

TEST(BenefitFormula, TekunBasicPerYearOverTwelvePlusCareTier) {
  TekunPolicy policy{yuan("5600"), yuan("3850"), yuan("0"),
                     yuan("150"),  yuan("300"),  AmountRounding::Fen};
  const auto concentrated = tekunAmount(policy, true, SelfCareLevel::FullyUnable);
  EXPECT_EQ(concentrated.basic.fen(), 46667);  // 5600 / 12 = 466.666…
  EXPECT_EQ(concentrated.total.fen(), 76667);
  const auto dispersed = tekunAmount(policy, false, SelfCareLevel::SelfCaring);
  EXPECT_EQ(dispersed.basic.fen(), 32083);  // 3850 / 12 = 320.8333…
  EXPECT_EQ(dispersed.total.fen(), 32083);
}

TEST(BenefitFormula, SelfCareLevelFromTheSixItems) {
  EXPECT_EQ(selfCareLevel(0), SelfCareLevel::SelfCaring);
  EXPECT_EQ(selfCareLevel(1), SelfCareLevel::PartlyUnable);
  EXPECT_EQ(selfCareLevel(3), SelfCareLevel::PartlyUnable);
  EXPECT_EQ(selfCareLevel(4), SelfCareLevel::FullyUnable);
  EXPECT_EQ(selfCareLevel(6), SelfCareLevel::FullyUnable);
}

TEST(BenefitFormula, TekunWorkCapacityAndDisabilitySubsidies) {
  EXPECT_TRUE(tekunUnableToWork(60, std::nullopt, ""));
  EXPECT_TRUE(tekunUnableToWork(15, std::nullopt, ""));
  EXPECT_FALSE(tekunUnableToWork(40, std::nullopt, ""));
  EXPECT_TRUE(tekunUnableToWork(40, 3, "intellectual"));
  EXPECT_FALSE(tekunUnableToWork(40, 3, "physical"));
  EXPECT_FALSE(tekunUnableToWork(40, 2, "visual"));
  EXPECT_TRUE(disabilityLivingEligible(4, true));
  EXPECT_FALSE(disabilityLivingEligible(4, false));
  EXPECT_TRUE(disabilityCareEligible(2, true));
  EXPECT_FALSE(disabilityCareEligible(3, true));
  EXPECT_FALSE(disabilityCareEligible(1, false));
}

TEST(BenefitFormula, MedicalReliefIsCappedByWhatIsLeftOfTheYear) {
  const auto ratio = *sdk::Ratio::parse("0.7");
  EXPECT_EQ(medicalRelief(yuan("1000.01"), ratio, yuan("80000"), yuan("0")).fen(), 70001);
  EXPECT_EQ(medicalRelief(yuan("10000"), ratio, yuan("80000"), yuan("77000")).fen(), 300000);
  EXPECT_EQ(medicalRelief(yuan("10000"), ratio, yuan("80000"), yuan("80000")).fen(), 0);
}

TEST(BenefitFormula, Months) {
  EXPECT_EQ(parseMonth("2026-02")->toString(), "2026-02-01");
  EXPECT_FALSE(parseMonth("2026-13"));
  EXPECT_FALSE(parseMonth("2026-2"));
  EXPECT_EQ(monthText(date("2026-12-31")), "2026-12");
  EXPECT_EQ(firstOfNextMonth(date("2026-12-31")).toString(), "2027-01-01");
}

}  // namespace
}  // namespace civ::plugins::social_assistance
