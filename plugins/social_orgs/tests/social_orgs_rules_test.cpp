// The social-organisation decisions that need no database: registration conditions by type,
// the credit code, inspection dates and exemptions, the revocation rules, grades and their bars,
// the credit lists' limits (rules.md §7, §8.3).
#include "../src/social_orgs_rules.h"

#include <gtest/gtest.h>

#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::social_orgs {
namespace {

using sdk::testing::day;

std::vector<std::string> rules(const std::vector<sdk::FieldError>& problems) {
  std::vector<std::string> named;
  for (const auto& problem : problems) named.push_back(problem.field + ":" + problem.rule);
  return named;
}

RegistrationFacts group(std::int64_t individuals, std::int64_t units, const char* funds) {
  RegistrationFacts facts;
  facts.type = kGroup;
  facts.name = "汉滨区茶叶协会";
  facts.individual_members = individuals;
  facts.unit_members = units;
  facts.funds = *sdk::Money::parse(funds);
  facts.sponsor_unit = "汉滨区农业农村局";
  return facts;
}

RegistrationMinimums minimums(const char* funds) {
  RegistrationMinimums m;
  m.funds = *sdk::Money::parse(funds);
  return m;
}

TEST(RegistrationRules, SocialGroupMembersCountIndividualsUnitsOrBoth) {
  EXPECT_TRUE(registrationProblems(group(50, 0, "30000"), minimums("30000")).empty());
  EXPECT_EQ(rules(registrationProblems(group(49, 0, "30000"), minimums("30000"))),
            std::vector<std::string>{"individual_members:member-count"});
  EXPECT_TRUE(registrationProblems(group(0, 30, "30000"), minimums("30000")).empty());
  EXPECT_EQ(rules(registrationProblems(group(0, 29, "30000"), minimums("30000"))),
            std::vector<std::string>{"unit_members:member-count"});
  // Mixed: 40 individuals and 10 units make 50; 40 and 9 do not.
  EXPECT_TRUE(registrationProblems(group(40, 10, "30000"), minimums("30000")).empty());
  EXPECT_EQ(rules(registrationProblems(group(40, 9, "30000"), minimums("30000"))),
            std::vector<std::string>{"individual_members:member-count"});
}

TEST(RegistrationRules, FundsAreComparedToTheFen) {
  EXPECT_TRUE(registrationProblems(group(50, 0, "30000.00"), minimums("30000.00")).empty());
  EXPECT_EQ(rules(registrationProblems(group(50, 0, "29999.99"), minimums("30000.00"))),
            std::vector<std::string>{"funds:minimum-funds"});
}

TEST(RegistrationRules, ALocalBodyMayNotTakeANationalPrefix) {
  for (const char* name : {"中国茶叶协会", "全国茶叶协会", "中华茶叶协会"}) {
    auto facts = group(50, 0, "30000");
    facts.name = name;
    EXPECT_EQ(rules(registrationProblems(facts, minimums("30000"))),
              std::vector<std::string>{"name:local-name-prefix"})
        << name;
  }
  EXPECT_FALSE(hasNationalPrefix("汉滨区中华传统文化研究会"));  // only at the start
}

TEST(RegistrationRules, PneNeedsTwoThirdsNonStateAssetsAndASponsor) {
  RegistrationFacts facts;
  facts.type = kPne;
  facts.name = "汉滨区夕阳红养老服务中心";
  facts.funds = *sdk::Money::parse("30000.00");
  facts.non_state_assets = *sdk::Money::parse("20000.00");  // exactly two thirds
  facts.sponsor_unit = "汉滨区民政局";
  EXPECT_TRUE(registrationProblems(facts, minimums("30000")).empty());
  facts.non_state_assets = *sdk::Money::parse("19999.99");
  facts.sponsor_unit.clear();
  EXPECT_EQ(rules(registrationProblems(facts, minimums("30000"))),
            (std::vector<std::string>{"non_state_assets:non-state-share",
                                      "sponsor_unit:sponsor-approval"}));
}

TEST(RegistrationRules, FoundationNeedsItsKindAndNoSponsorCheck) {
  RegistrationFacts facts;
  facts.type = kFoundation;
  facts.name = "汉滨区教育基金会";
  facts.funds = *sdk::Money::parse("2000000.00");
  EXPECT_EQ(rules(registrationProblems(facts, minimums("2000000"))),
            std::vector<std::string>{"foundation_kind:foundation-kind"});
  facts.foundation_kind = "public";
  EXPECT_EQ(rules(registrationProblems(facts, minimums("4000000"))),
            std::vector<std::string>{"funds:minimum-funds"});
}

TEST(RegistrationRules, TheDecisionIsDueSixtyCalendarDaysAfterCompleteDocuments) {
  EXPECT_EQ(decisionDue(day("2026-03-02"), 60), day("2026-05-01"));
}

TEST(CreditCode, RealAndCorruptedCodesEachNameTheirRule) {
  EXPECT_FALSE(usccProblem("51410105501234569T", kGroup));  // rules.md 8.3 worked example
  EXPECT_EQ(usccProblem("51410105501234568T", kGroup)->rule, "uscc-organisation_code");
  EXPECT_EQ(usccProblem("51410105501234569A", kGroup)->rule, "uscc-checksum");
  EXPECT_EQ(usccProblem("5141010550123456", kGroup)->rule, "uscc-length");
  EXPECT_EQ(usccProblem("91350200MA2YJ1XR9G", kGroup)->rule, "uscc-registry");  // real, 市场监管
  EXPECT_EQ(usccProblem("51410105501234569T", kPne)->rule, "uscc-type");
  EXPECT_EQ(usccProblem("91350203M0001QAY9B", kGroup)->rule, "uscc-checksum");  // never whitelisted
}

TEST(CreditCode, AssignedCodesPassTheirOwnCheck) {
  for (const char* type : {kGroup, kPne, kFoundation}) {
    const auto code = assignedUscc(type, "610902", 17);
    EXPECT_EQ(code.size(), 18u);
    EXPECT_EQ(code.substr(2, 6), "610902");
    EXPECT_EQ(code.substr(8, 8), "MJ000017");
    EXPECT_FALSE(usccProblem(code, type)) << code;
  }
}

TEST(Inspection, PapersAreDueToTheSponsorAndTheRegistry) {
  const auto group_dates = inspectionDates(kGroup, 2025);
  EXPECT_EQ(group_dates.sponsor_due, day("2026-03-31"));
  EXPECT_EQ(group_dates.registry_due, day("2026-05-31"));
  const auto foundation_dates = inspectionDates(kFoundation, 2025);
  EXPECT_FALSE(foundation_dates.sponsor_due);
  EXPECT_EQ(foundation_dates.registry_due, day("2026-03-31"));
}

TEST(Inspection, APneRegisteredLessThanSixMonthsBeforeYearEndIsExempt) {
  EXPECT_TRUE(inspectionRequired(kPne, day("2025-06-30"), 2025));
  EXPECT_FALSE(inspectionRequired(kPne, day("2025-07-01"), 2025));
  EXPECT_TRUE(inspectionRequired(kPne, day("2025-07-01"), 2026));
  EXPECT_TRUE(inspectionRequired(kGroup, day("2025-12-01"), 2025));  // the exemption is 民非's
  EXPECT_FALSE(inspectionRequired(kGroup, day("2026-01-02"), 2025));
}

TEST(Inspection, TwoConsecutiveYearsAbsentOrFailedRevokeAPne) {
  EXPECT_EQ(twoYearRevocationYear(kPne, {{2023, "failed"}, {2024, "absent"}}), 2024);
  EXPECT_EQ(twoYearRevocationYear(kPne, {{2023, "absent"}, {2024, "absent"}}), 2024);
  EXPECT_FALSE(twoYearRevocationYear(kPne, {{2023, "failed"}, {2024, "basic"}, {2025, "failed"}}));
  EXPECT_FALSE(twoYearRevocationYear(kPne, {{2023, "failed"}, {2024, "exempt"}}));
  EXPECT_FALSE(twoYearRevocationYear(kGroup, {{2023, "failed"}, {2024, "absent"}}));
}

TEST(Inspection, ASocialGroupInactiveForAYearAfterRegistration) {
  EXPECT_FALSE(
      inactiveAfterRegistration(kGroup, day("2025-03-02"), std::nullopt, day("2026-03-01")));
  EXPECT_TRUE(
      inactiveAfterRegistration(kGroup, day("2025-03-02"), std::nullopt, day("2026-03-02")));
  EXPECT_FALSE(
      inactiveAfterRegistration(kGroup, day("2025-03-02"), day("2025-09-01"), day("2026-03-02")));
  EXPECT_FALSE(inactiveAfterRegistration(kPne, day("2025-03-02"), std::nullopt, day("2026-03-02")));
}

TEST(Inspection, BasicAndFailedResultsAreRectifiedWithinThreeMonths) {
  EXPECT_TRUE(needsRectification("basic"));
  EXPECT_TRUE(needsRectification("failed"));
  EXPECT_FALSE(needsRectification("passed"));
  EXPECT_EQ(rectificationDue(day("2026-11-30"), 3), day("2027-02-28"));
}

GradeFacts eligible() {
  GradeFacts facts;
  facts.registered_on = day("2023-03-01");
  facts.applied_on = day("2026-03-02");
  facts.last_year_outcome = "passed";
  facts.year_before_outcome = "passed";
  return facts;
}

TEST(Grades, ValidFiveYearsWithTheirConsequences) {
  EXPECT_EQ(gradeValidUntil(day("2026-03-02")), day("2031-03-01"));
  EXPECT_FALSE(gradeConsequences(2).priority_purchase);
  EXPECT_TRUE(gradeConsequences(3).priority_purchase);
  EXPECT_FALSE(gradeConsequences(3).simpler_inspection);
  EXPECT_TRUE(gradeConsequences(4).simpler_inspection);
}

TEST(Grades, EligibilityNamesEachRule) {
  EXPECT_TRUE(gradeProblems(eligible()).empty());
  auto young = eligible();
  young.registered_on = day("2024-03-03");
  EXPECT_EQ(rules(gradeProblems(young)),
            std::vector<std::string>{"applied_on:registered-two-years"});
  auto absent = eligible();
  absent.last_year_outcome = std::nullopt;
  EXPECT_EQ(rules(gradeProblems(absent)),
            std::vector<std::string>{"inspection:attended-last-inspection"});
  auto failed = eligible();
  failed.last_year_outcome = "failed";
  EXPECT_EQ(rules(gradeProblems(failed)),
            std::vector<std::string>{"inspection:passed-last-inspection"});
  auto basic = eligible();
  basic.last_year_outcome = basic.year_before_outcome = "basic";
  EXPECT_EQ(rules(gradeProblems(basic)), std::vector<std::string>{"inspection:basic-two-years"});
  auto penalised = eligible();
  penalised.penalised_last_year = true;
  EXPECT_EQ(rules(gradeProblems(penalised)),
            std::vector<std::string>{"penalties:no-penalty-last-year"});
  auto investigated = eligible();
  investigated.under_investigation = true;
  EXPECT_EQ(rules(gradeProblems(investigated)),
            std::vector<std::string>{"penalties:under-investigation"});
}

TEST(Grades, TwoYearsBarAfterADowngradeAndThreeAfterACancellation) {
  auto downgraded = eligible();
  downgraded.last_downgraded_on = day("2024-03-03");
  EXPECT_EQ(rules(gradeProblems(downgraded)), std::vector<std::string>{"grade:downgrade-bar"});
  downgraded.last_downgraded_on = day("2024-03-02");
  EXPECT_TRUE(gradeProblems(downgraded).empty());
  auto cancelled = eligible();
  cancelled.last_cancelled_on = day("2023-03-03");
  EXPECT_EQ(rules(gradeProblems(cancelled)), std::vector<std::string>{"grade:cancellation-bar"});
  cancelled.last_cancelled_on = day("2023-03-02");
  EXPECT_TRUE(gradeProblems(cancelled).empty());
}

TEST(TimeLimits, ChangesDeregistrationAndTheCreditLists) {
  EXPECT_EQ(changeDue(day("2026-03-02")), day("2026-04-01"));
  EXPECT_EQ(deregistrationDue(day("2026-03-02")), day("2026-03-17"));
  EXPECT_EQ(seriousListingDue(day("2024-02-29")), day("2026-02-28"));
  sdk::WorkingDayCalendar calendar;
  // 2026: 10-01..10-07 national day holiday, 10-10 (Saturday) a make-up working day.
  std::vector<sdk::Date> holidays;
  for (int d = 1; d <= 7; ++d) holidays.push_back(*sdk::Date::fromParts(2026, 10, d));
  calendar.addYear(2026, holidays, {day("2026-10-10")});
  // Cause on Tuesday 09-29: 09-30, 10-08, 10-09, 10-10 (make-up), 10-12.
  EXPECT_EQ(abnormalListingDue(calendar, day("2026-09-29")).date, day("2026-10-12"));
}

// --- Administrative penalties ---------------------------------------------------------------

sdk::Money yuan(const char* text) { return *sdk::Money::parse(text); }

PenaltyDecisionFacts fineOf(const char* fine, std::optional<const char*> turnover,
                            std::optional<const char*> income) {
  PenaltyDecisionFacts facts;
  facts.kind = "fine";
  facts.fine = yuan(fine);
  if (turnover) facts.illegal_turnover = yuan(*turnover);
  if (income) facts.illegal_income = yuan(*income);
  facts.decided_on = day("2026-03-02");
  return facts;
}

TEST(PenaltyRules, TheDecisionIsDueNinetyCalendarDaysAfterFiling) {
  EXPECT_EQ(penaltyDecisionDue(day("2026-03-02"), 90), day("2026-05-31"));
  EXPECT_EQ(penaltyDecisionDue(day("2025-12-15"), 90), day("2026-03-15"));
}

TEST(PenaltyRules, AHearingIsOfferedForSuspensionRevocationAndLargeAmounts) {
  const auto large = yuan("50000.00");
  EXPECT_FALSE(hearingRequired("warning", std::nullopt, std::nullopt, large));
  EXPECT_FALSE(hearingRequired("fine", yuan("49999.99"), std::nullopt, large));
  EXPECT_TRUE(hearingRequired("fine", yuan("50000.00"), std::nullopt, large));
  EXPECT_FALSE(hearingRequired("confiscation", std::nullopt, yuan("49999.99"), large));
  EXPECT_TRUE(hearingRequired("confiscation", std::nullopt, yuan("50000.00"), large));
  EXPECT_TRUE(hearingRequired("suspension", std::nullopt, std::nullopt, large));
  EXPECT_TRUE(hearingRequired("revocation", std::nullopt, std::nullopt, large));
}

TEST(PenaltyRules, AFineIsOneToThreeTimesTheTurnoverOrThreeToFiveTimesTheIncomeToTheFen) {
  const FineMultiples multiples;
  const auto check = [&](const PenaltyDecisionFacts& facts) {
    return rules(penaltyDecisionProblems(facts, multiples));
  };
  const std::vector<std::string> none;
  const std::vector<std::string> range{"fine:fine-range"};
  EXPECT_EQ(check(fineOf("9999.99", "10000.00", std::nullopt)), range);
  EXPECT_EQ(check(fineOf("10000.00", "10000.00", std::nullopt)), none);
  EXPECT_EQ(check(fineOf("30000.00", "10000.00", std::nullopt)), none);
  EXPECT_EQ(check(fineOf("30000.01", "10000.00", std::nullopt)), range);
  EXPECT_EQ(check(fineOf("29999.99", std::nullopt, "10000.00")), range);
  EXPECT_EQ(check(fineOf("30000.00", std::nullopt, "10000.00")), none);
  EXPECT_EQ(check(fineOf("50000.00", std::nullopt, "10000.00")), none);
  EXPECT_EQ(check(fineOf("50000.01", std::nullopt, "10000.00")), range);
  EXPECT_EQ(check(fineOf("100.00", "100.00", "100.00")),
            std::vector<std::string>{"illegal_turnover:fine-base"});
  EXPECT_EQ(check(fineOf("100.00", std::nullopt, std::nullopt)),
            std::vector<std::string>{"illegal_turnover:fine-base"});
  auto no_amount = fineOf("100.00", "100.00", std::nullopt);
  no_amount.fine.reset();
  EXPECT_EQ(check(no_amount), std::vector<std::string>{"fine:fine-required"});
  // The multiples are parameters.
  FineMultiples wider;
  wider.turnover_max = 4;
  EXPECT_TRUE(penaltyDecisionProblems(fineOf("40000.00", "10000.00", std::nullopt), wider).empty());
}

TEST(PenaltyRules, EachKindCarriesOnlyItsOwnFields) {
  const FineMultiples multiples;
  PenaltyDecisionFacts warning;
  warning.kind = "warning";
  warning.decided_on = day("2026-03-02");
  EXPECT_TRUE(penaltyDecisionProblems(warning, multiples).empty());
  warning.fine = yuan("100.00");
  EXPECT_EQ(rules(penaltyDecisionProblems(warning, multiples)),
            std::vector<std::string>{"fine:fine-only"});
  PenaltyDecisionFacts confiscation;
  confiscation.kind = "confiscation";
  confiscation.decided_on = day("2026-03-02");
  EXPECT_EQ(rules(penaltyDecisionProblems(confiscation, multiples)),
            std::vector<std::string>{"confiscated:confiscated-required"});
  confiscation.confiscated = yuan("0.01");
  EXPECT_TRUE(penaltyDecisionProblems(confiscation, multiples).empty());
  PenaltyDecisionFacts suspension;
  suspension.kind = "suspension";
  suspension.decided_on = day("2026-03-02");
  suspension.suspended_from = day("2026-03-01");
  suspension.suspended_until = day("2026-06-01");
  EXPECT_EQ(rules(penaltyDecisionProblems(suspension, multiples)),
            std::vector<std::string>{"suspended_from:suspension-dates"});
  suspension.suspended_from = day("2026-03-02");
  EXPECT_TRUE(penaltyDecisionProblems(suspension, multiples).empty());
  suspension.suspended_until = day("2026-03-01");
  EXPECT_EQ(rules(penaltyDecisionProblems(suspension, multiples)),
            std::vector<std::string>{"suspended_from:suspension-dates"});
  warning.fine.reset();
  warning.suspended_until = day("2026-06-01");
  EXPECT_EQ(rules(penaltyDecisionProblems(warning, multiples)),
            std::vector<std::string>{"suspended_until:suspension-only"});
}

TEST(PenaltyRules, TheHearingNoticeThenFiveWorkingDaysToAskThenTheHearing) {
  sdk::WorkingDayCalendar calendar;
  calendar.addYear(2026, {}, {});
  HearingFacts hearing;
  EXPECT_EQ(rules(hearingProblems(calendar, hearing, day("2026-03-10"))),
            std::vector<std::string>{"kind:hearing-notice"});
  // Noticed on Monday 03-02: five working days (§85) run to Monday 03-09.
  hearing.notified_on = day("2026-03-02");
  EXPECT_EQ(hearingRequestDeadline(calendar, *hearing.notified_on), day("2026-03-09"));
  EXPECT_EQ(rules(hearingProblems(calendar, hearing, day("2026-03-09"))),
            std::vector<std::string>{"kind:hearing-window"});
  EXPECT_TRUE(hearingProblems(calendar, hearing, day("2026-03-10")).empty());
  hearing.requested_on = day("2026-03-04");
  // Seven working days' notice of the hearing: not before Friday 03-13.
  EXPECT_EQ(earliestHearing(calendar, *hearing.requested_on), day("2026-03-13"));
  EXPECT_EQ(rules(hearingProblems(calendar, hearing, day("2026-03-20"))),
            std::vector<std::string>{"kind:hearing-held"});
  hearing.held_on = day("2026-03-16");
  EXPECT_TRUE(hearingProblems(calendar, hearing, day("2026-03-16")).empty());
}

}  // namespace
}  // namespace civ::plugins::social_orgs
