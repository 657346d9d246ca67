// The resettlement rules without a database: the 30-day report limit and its grace on both sides
// of each boundary, service years for the lump sums, the honours supplement (highest only), the
// lump sums to the fen, each job-placement condition and each exclusion, retirement and state
// care, placement within 6 months, the post within 30 days, the living allowance to the fen.
#include "../src/resettlement_rules.h"

#include <gtest/gtest.h>

#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::veterans::resettlement {
namespace {

using sdk::Money;
using sdk::testing::day;

/// A conscript born 2000-03-01, enlisted 2023-09-01, approved to leave 2025-09-01 (2 years).
ServiceFacts conscript() {
  ServiceFacts facts;
  facts.rank_type = "conscript";
  facts.birth_date = day("2000-03-01");
  facts.enlisted_on = day("2023-09-01");
  facts.approved_on = day("2025-09-01");
  return facts;
}

/// An intermediate NCO born 1985-05-10, enlisted 2004-12-01, approved 2025-12-01 (21 years).
ServiceFacts intermediateNco() {
  ServiceFacts facts;
  facts.rank_type = "intermediate_nco";
  facts.birth_date = day("1985-05-10");
  facts.enlisted_on = day("2004-12-01");
  facts.approved_on = day("2025-12-01");
  return facts;
}

// --- Report (§51) ------------------------------------------------------------------------------

TEST(ResettlementRules, TheReportIsDueThirtyCalendarDaysAfterTheApproval) {
  // 民法典 §201: the approval day is not counted; day 30 is 2025-10-01 (National Day counts:
  // calendar days).
  const auto limits = reportLimits(day("2025-09-01"), std::nullopt, 30, 30);
  EXPECT_EQ(limits.due, day("2025-10-01"));
  EXPECT_EQ(limits.waived_after, day("2025-10-31"));
  EXPECT_EQ(reportTiming(limits, day("2025-09-01")), ReportTiming::OnTime);
  EXPECT_EQ(reportTiming(limits, day("2025-10-01")), ReportTiming::OnTime);      // day 30
  EXPECT_EQ(reportTiming(limits, day("2025-10-02")), ReportTiming::Late);        // day 31
  EXPECT_EQ(reportTiming(limits, day("2025-10-31")), ReportTiming::Late);        // 30 days past
  EXPECT_EQ(reportTiming(limits, day("2025-11-01")), ReportTiming::PastWaiver);  // 31 days past
  EXPECT_FALSE(reportOverdue(limits, day("2025-10-01")));
  EXPECT_TRUE(reportOverdue(limits, day("2025-10-02")));
}

TEST(ResettlementRules, AProvinceThatReadsSection51StrictlyWaivesFromTheThirtyFirstDay) {
  const auto limits = reportLimits(day("2025-09-01"), std::nullopt, 30, 0);
  EXPECT_EQ(reportTiming(limits, day("2025-10-01")), ReportTiming::OnTime);
  EXPECT_EQ(reportTiming(limits, day("2025-10-02")), ReportTiming::PastWaiver);
}

TEST(ResettlementRules, TheNoticesTimeReplacesTheThirtyDays) {
  const auto limits = reportLimits(day("2025-09-01"), day("2025-09-20"), 30, 30);
  EXPECT_EQ(limits.due, day("2025-09-20"));
  EXPECT_EQ(limits.waived_after, day("2025-10-20"));
  EXPECT_STREQ(toString(reportTiming(limits, day("2025-09-21"))), "late");
}

// --- Service and lump sums ---------------------------------------------------------------------

TEST(ResettlementRules, ServiceCountsInHalfYearsWithPartsRoundedUp) {
  EXPECT_EQ(serviceYears(day("2023-09-01"), day("2025-09-01")), 2);
  EXPECT_EQ(serviceYears(day("2023-09-01"), day("2025-08-31")), 1);
  EXPECT_EQ(serviceHalfYears(day("2023-09-01"), day("2025-09-01")), 4);  // exactly 2 years
  EXPECT_EQ(serviceHalfYears(day("2023-09-01"), day("2025-09-02")), 5);  // a day: half a year
  EXPECT_EQ(serviceHalfYears(day("2023-09-01"), day("2026-03-01")), 5);  // exactly 6 months
  EXPECT_EQ(serviceHalfYears(day("2023-09-01"), day("2026-03-02")), 6);  // over 6: a whole year
  EXPECT_EQ(serviceHalfYears(day("2025-09-01"), day("2025-10-01")), 1);  // under 6 months
}

TEST(ResettlementRules, TheHonoursSupplementIsTheHighestOnly) {
  EXPECT_EQ(honoursSupplement({}).percent, 0);
  EXPECT_EQ(honoursSupplement({"medal"}).percent, 25);
  EXPECT_EQ(honoursSupplement({"honorary_title"}).percent, 25);
  EXPECT_EQ(honoursSupplement({"first_class_war_merit"}).percent, 20);
  EXPECT_EQ(honoursSupplement({"first_level_commendation"}).percent, 20);
  EXPECT_EQ(honoursSupplement({"second_class_war_merit"}).percent, 15);
  EXPECT_EQ(honoursSupplement({"first_class_merit"}).percent, 15);
  EXPECT_EQ(honoursSupplement({"second_level_commendation"}).percent, 15);
  EXPECT_EQ(honoursSupplement({"third_class_war_merit"}).percent, 10);
  EXPECT_EQ(honoursSupplement({"second_class_merit"}).percent, 10);
  EXPECT_EQ(honoursSupplement({"fourth_class_war_merit"}).percent, 5);
  EXPECT_EQ(honoursSupplement({"third_class_merit"}).percent, 5);
  // Three 三等功 and a 二等功: 10%, never 5+5+5+10.
  const auto several =
      honoursSupplement({"third_class_merit", "second_class_merit", "third_class_merit"});
  EXPECT_EQ(several.percent, 10);
  EXPECT_EQ(several.award, "second_class_merit");
}

TEST(ResettlementRules, TheLumpSumsAreExactToTheFen) {
  // 2.5 years at 6,789.01 a year = 16,972.525 → 16,972.53 (half up); 二等功 +10% of that =
  // 1,697.253 → 1,697.25; grant 3,000 + 2.5 × 1,000.01 = 5,500.025 → 5,500.03.
  const auto amounts = selfEmploymentAmounts(5, *Money::parse("6789.01"), {"second_class_merit"},
                                             Money::fromYuan(3000), *Money::parse("1000.01"));
  EXPECT_EQ(amounts.base.toString(), "16972.53");
  EXPECT_EQ(amounts.honours.percent, 10);
  EXPECT_EQ(amounts.supplement.toString(), "1697.25");
  EXPECT_EQ(amounts.lump_sum.toString(), "18669.78");
  EXPECT_EQ(amounts.local_grant.toString(), "5500.03");
  const auto none = selfEmploymentAmounts(4, Money::fromYuan(5000), {}, {}, {});
  EXPECT_EQ(none.lump_sum.toString(), "10000.00");
  EXPECT_EQ(none.supplement.fen(), 0);
  EXPECT_EQ(none.local_grant.fen(), 0);
}

// --- Facts ---------------------------------------------------------------------------------------

TEST(ResettlementRules, FactsThatCannotBeTogetherAreRefusedByField) {
  EXPECT_TRUE(checkFacts(conscript()).empty());
  auto facts = conscript();
  facts.approved_on = facts.enlisted_on;
  facts.disability_grade = 5;
  auto problems = checkFacts(facts);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].field + ":" + problems[0].rule, "approved_on:after-enlistment");
  EXPECT_EQ(problems[1].field + ":" + problems[1].rule, "disability_nature:nature-with-grade");
  facts = conscript();
  facts.disability_nature = "illness";
  facts.disability_grade = 7;
  problems = checkFacts(facts);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].field + ":" + problems[0].rule, "disability_grade:illness-grade");
  facts.disability_grade.reset();
  EXPECT_EQ(checkFacts(facts)[0].rule, "grade-with-nature");
}

// --- Job placement (§25, §35) -------------------------------------------------------------------

TEST(ResettlementRules, EachOfTheSixConditionsOpensJobPlacement) {
  EXPECT_EQ(jobPlacement(conscript()).rule, "job-placement-conditions");

  auto twelve = intermediateNco();
  twelve.enlisted_on = day("2013-12-01");  // exactly 12 years on 2025-12-01
  ASSERT_TRUE(jobPlacement(twelve).eligible);
  EXPECT_TRUE(jobPlacement(twelve).conditions[0].starts_with("§25(1)"));
  twelve.enlisted_on = day("2013-12-02");  // a day short
  EXPECT_EQ(jobPlacement(twelve).rule, "job-placement-conditions");
  auto conscript_twelve = conscript();  // §25(1) is for 军士 only
  conscript_twelve.enlisted_on = day("2010-01-01");
  EXPECT_FALSE(jobPlacement(conscript_twelve).eligible);

  const std::pair<const char*, const char*> awards[] = {{"medal", "§25(2)"},
                                                        {"honorary_title", "§25(2)"},
                                                        {"first_class_war_merit", "§25(3)"},
                                                        {"second_class_war_merit", "§25(3)"},
                                                        {"third_class_war_merit", "§25(3)"},
                                                        {"first_class_merit", "§25(3)"},
                                                        {"second_class_merit", "§25(3)"},
                                                        {"first_level_commendation", "§25(4)"}};
  for (const auto& [award, article] : awards) {
    auto facts = conscript();
    facts.awards = {award};
    const auto result = jobPlacement(facts);
    ASSERT_TRUE(result.eligible) << award;
    EXPECT_TRUE(result.conditions[0].starts_with(article)) << award;
  }
  // Below the line of §25(3): 三等功 and 四等战功 do not open it.
  for (const char* award : {"third_class_merit", "fourth_class_war_merit"}) {
    auto facts = conscript();
    facts.awards = {award};
    EXPECT_EQ(jobPlacement(facts).rule, "job-placement-conditions") << award;
  }

  for (int grade : {5, 8}) {
    auto facts = conscript();
    facts.disability_nature = "war";
    facts.disability_grade = grade;
    ASSERT_TRUE(jobPlacement(facts).eligible) << grade;
    EXPECT_TRUE(jobPlacement(facts).conditions[0].starts_with("§25(5)"));
  }
  auto nine = conscript();
  nine.disability_nature = "war";
  nine.disability_grade = 9;
  EXPECT_FALSE(jobPlacement(nine).eligible);
  auto duty = conscript();  // 因公 grade 6 is not 因战
  duty.disability_nature = "duty";
  duty.disability_grade = 6;
  EXPECT_FALSE(jobPlacement(duty).eligible);

  auto martyr = conscript();
  martyr.martyr_child = true;
  ASSERT_TRUE(jobPlacement(martyr).eligible);
  EXPECT_TRUE(jobPlacement(martyr).conditions[0].starts_with("§25(6)"));
}

TEST(ResettlementRules, EachExclusionRefusesJobPlacementNamingIt) {
  for (const auto& [flag, article] : std::vector<std::pair<bool ServiceFacts::*, const char*>>{
           {&ServiceFacts::party_expelled, "§35(1)"},
           {&ServiceFacts::criminal_record, "§35(2)"},
           {&ServiceFacts::forced_discharge, "§35(3)"}}) {
    auto facts = conscript();
    facts.awards = {"medal"};
    facts.*flag = true;
    const auto result = jobPlacement(facts);
    EXPECT_FALSE(result.eligible) << article;
    EXPECT_EQ(result.rule, "job-placement-excluded");
    ASSERT_EQ(result.exclusions.size(), 1u);
    EXPECT_TRUE(result.exclusions[0].starts_with(article));
    EXPECT_NE(result.message.find(article), std::string::npos);
    // The exclusion does not touch self-employment.
    EXPECT_TRUE(selfEmployment(facts).eligible);
  }
  try {
    auto facts = conscript();
    facts.martyr_child = true;
    facts.criminal_record = true;
    requireEligible("job_placement", facts);
    FAIL() << "not refused";
  } catch (const sdk::ValidationError& error) {
    ASSERT_EQ(error.fieldErrors().size(), 1u);
    EXPECT_EQ(error.fieldErrors()[0].field + ":" + error.fieldErrors()[0].rule,
              "type:job-placement-excluded");
  }
}

// --- Retirement (§36) and state care (§38)
// ----------------------------------------------------------

TEST(ResettlementRules, RetirementIsForIntermediateNcosMeetingOneCondition) {
  EXPECT_EQ(retirement(conscript()).rule, "retirement-rank");
  auto junior = intermediateNco();
  junior.rank_type = "junior_nco";
  EXPECT_EQ(retirement(junior).rule, "retirement-rank");
  EXPECT_EQ(retirement(intermediateNco()).rule, "retirement-conditions");

  auto aged = intermediateNco();
  aged.birth_date = day("1970-12-01");  // 55 on the day of leaving
  EXPECT_TRUE(retirement(aged).eligible);
  aged.birth_date = day("1970-12-02");
  EXPECT_FALSE(retirement(aged).eligible);

  auto thirty = intermediateNco();
  thirty.rank_type = "senior_nco";
  thirty.enlisted_on = day("1995-12-01");
  EXPECT_TRUE(retirement(thirty).eligible);

  auto disabled = intermediateNco();
  disabled.disability_nature = "duty";
  disabled.disability_grade = 6;
  EXPECT_TRUE(retirement(disabled).eligible);
  disabled.disability_nature = "illness";  // §36(3) is 因战、因公 only
  EXPECT_FALSE(retirement(disabled).eligible);

  auto ill = intermediateNco();
  ill.serious_illness = true;
  EXPECT_TRUE(retirement(ill).eligible);
  // Self-employment is not open to a soldier to be retired (§20).
  EXPECT_EQ(selfEmployment(ill).rule, "retirement-applies");
  ill.awards = {"medal"};
  EXPECT_EQ(jobPlacement(ill).rule, "retirement-applies");
}

TEST(ResettlementRules, AnNcoDisabledInWarAtGradeFiveOrSixMayChooseAJobInsteadOfRetirement) {
  auto facts = intermediateNco();
  facts.disability_nature = "war";
  facts.disability_grade = 6;
  EXPECT_TRUE(retirement(facts).eligible);
  const auto job = jobPlacement(facts);
  ASSERT_TRUE(job.eligible);
  EXPECT_TRUE(job.conditions.back().starts_with("§25 ¶3 "));
}

TEST(ResettlementRules, StateCareForGradesOneToFour) {
  EXPECT_EQ(stateCare(conscript()).rule, "state-care-conditions");
  auto facts = conscript();
  facts.disability_nature = "illness";
  facts.disability_grade = 4;
  EXPECT_TRUE(stateCare(facts).eligible);
  EXPECT_EQ(selfEmployment(facts).rule, "state-care-applies");
  facts.disability_grade = 5;
  EXPECT_FALSE(stateCare(facts).eligible);
  auto nco = intermediateNco();
  nco.disability_nature = "duty";
  nco.disability_grade = 2;
  EXPECT_TRUE(stateCare(nco).eligible);  // §38 ¶2, instead of retirement
  EXPECT_TRUE(retirement(nco).eligible);
  nco.disability_nature = "illness";
  EXPECT_FALSE(stateCare(nco).eligible);
}

TEST(ResettlementRules, SelfEmploymentIsEveryoneElsesAndAChoiceBesideAJob) {
  const auto plain = selfEmployment(conscript());
  ASSERT_TRUE(plain.eligible);
  EXPECT_EQ(plain.conditions.size(), 1u);
  auto martyr = conscript();
  martyr.martyr_child = true;
  const auto choice = selfEmployment(martyr);
  ASSERT_TRUE(choice.eligible);
  EXPECT_EQ(choice.conditions.size(), 2u);
}

// --- Placement and allowance ---------------------------------------------------------------------

TEST(ResettlementRules, PlacementWithinSixMonthsAndThePostWithinThirtyDays) {
  EXPECT_EQ(placementDue(day("2026-03-10")), day("2026-09-10"));
  EXPECT_EQ(placementDue(day("2026-08-31")), day("2027-02-28"));
  EXPECT_EQ(postDue(day("2026-09-01")), day("2026-10-01"));
  // Posted on day 30: nothing owed; day 31: the letter's month to the post's month.
  EXPECT_EQ(employerOwedMonths(day("2026-09-01"), day("2026-10-01"), day("2026-12-01")), 0);
  EXPECT_EQ(employerOwedMonths(day("2026-09-01"), day("2026-10-02"), day("2026-12-01")), 2);
  EXPECT_EQ(employerOwedMonths(day("2026-09-01"), std::nullopt, day("2026-09-30")), 0);
  EXPECT_EQ(employerOwedMonths(day("2026-09-01"), std::nullopt, day("2026-11-15")), 3);
}

TEST(ResettlementRules, TheLivingAllowanceIsTheMinimumWageByMonthToTheFen) {
  // Minimum wage 2,160.00 until 2026-04-30, 2,310.00 from 2026-05-01.
  const auto wage = [](sdk::Date on) {
    return on < day("2026-05-01") ? Money::fromYuan(2160) : Money::fromYuan(2310);
  };
  // Waiting from the report on 03-10 to the letter on 06-20 (not counted).
  const auto allowance = livingAllowance(day("2026-03-10"), day("2026-06-20"), wage);
  ASSERT_EQ(allowance.months.size(), 4u);
  // March: 22 of 31 days × 2,160 = 1,532.9032… → 1,532.90.
  EXPECT_EQ(allowance.months[0].days, 22);
  EXPECT_EQ(allowance.months[0].month_days, 31);
  EXPECT_EQ(allowance.months[0].amount.toString(), "1532.90");
  EXPECT_EQ(allowance.months[1].amount.toString(), "2160.00");  // April whole
  EXPECT_EQ(allowance.months[2].amount.toString(), "2310.00");  // May whole, the new wage
  // June: 19 of 30 days × 2,310 = 1,463.00.
  EXPECT_EQ(allowance.months[3].days, 19);
  EXPECT_EQ(allowance.months[3].amount.toString(), "1463.00");
  EXPECT_EQ(allowance.total.toString(), "7465.90");
  // One day of February 2028 (29 days): 2,310 / 29 = 79.6551… → 79.66 (half up).
  const auto leap = livingAllowance(day("2028-02-10"), day("2028-02-11"), wage);
  EXPECT_EQ(leap.total.toString(), "79.66");
  EXPECT_TRUE(livingAllowance(day("2026-03-10"), day("2026-03-10"), wage).months.empty());
}

TEST(ResettlementRules, AnnouncedNamesKeepTheFirstCharacter) {
  EXPECT_EQ(maskName("张三"), "张*");
  EXPECT_EQ(maskName("欧阳娜娜"), "欧***");
  EXPECT_EQ(maskName("Li"), "L*");
  EXPECT_EQ(permille(2, 3), 667);
  EXPECT_EQ(permille(1, 0), 0);
}

}  // namespace
}  // namespace civ::plugins::veterans::resettlement
