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
