// The module's rules without a database: beds, registration, filing materials and deadline,
// ability result, resident-months and days, inspection due, fines, subsidies to the fen.
#include "../src/elderly_care_rules.h"

#include <gtest/gtest.h>

#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::elderly_care {
namespace {

using sdk::testing::day;

TEST(ElderlyCareRules, AnInstitutionHasTenBedsAndNursingBedsWithinThem) {
  EXPECT_TRUE(checkBeds(10, 10, 10).empty());
  const auto few = checkBeds(9, 0, 10);
  ASSERT_EQ(few.size(), 1u);
  EXPECT_EQ(few[0].field + ":" + few[0].rule, "beds:min-beds");
  const auto both = checkBeds(5, 6, 10);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[1].field + ":" + both[1].rule, "nursing_beds:nursing-within-beds");
}

TEST(ElderlyCareRules, TheCodeNamesTheRegistrationAuthorityAndTheNatureFitsIt) {
  EXPECT_FALSE(checkRegistration("52610902MJ0000018R", "civil_affairs", "non_profit"));
  EXPECT_FALSE(checkRegistration("91610902MA0000031L", "market_regulation", "for_profit"));
  EXPECT_FALSE(checkRegistration("126109024000000428", "establishment_office", "non_profit"));
  const auto mismatch = checkRegistration("91610902MA0000031L", "civil_affairs", "non_profit");
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->field + ":" + mismatch->rule, "uscc:uscc-authority");
  const auto profit = checkRegistration("52610902MJ0000018R", "civil_affairs", "for_profit");
  ASSERT_TRUE(profit);
  EXPECT_EQ(profit->field + ":" + profit->rule, "registration_authority:nature-authority");
  EXPECT_TRUE(checkRegistration("91610902MA0000031L", "market_regulation", "non_profit"));
}

TEST(ElderlyCareRules, OneNoticeListsEveryMissingMaterialInOrder) {
  EXPECT_TRUE(missingMaterials(filingMaterials()).empty());
  EXPECT_EQ(missingMaterials({"fire_safety", "application_form"}),
            (std::vector<std::string>{"registration_certificate", "premises_proof",
                                      "legal_representative", "compliance_pledge"}));
  EXPECT_EQ(missingMaterials({}).size(), 6u);
}

TEST(ElderlyCareRules, FilingIsDueTenWorkingDaysAfterTheFirstAdmissionAcrossTheHoliday) {
  const auto calendar = sdk::testing::publishedCalendar();
  // 2026-09-28 (Mon): 9-29, 9-30, then 国庆 10-01..07 off, 10-08, 10-09, 10-10 (make-up
  // Saturday), 10-12..16: the tenth working day is Friday 10-16.
  EXPECT_EQ(filingDeadline(calendar, day("2026-09-28"), 10).date, day("2026-10-16"));
  // An ordinary fortnight: Monday 2026-03-02 → Monday 03-16.
  EXPECT_EQ(filingDeadline(calendar, day("2026-03-02"), 10).date, day("2026-03-16"));
  EXPECT_FALSE(filingOverdue(day("2026-10-16"), day("2026-10-16")));
  EXPECT_TRUE(filingOverdue(day("2026-10-16"), day("2026-10-17")));
}

TEST(ElderlyCareRules, TheAbilityResultIsTheWorstOfTheFourDimensions) {
  const std::vector<std::string> levels = {"intact", "mild", "moderate", "severe", "total"};
  EXPECT_EQ(abilityResult(levels, {{"daily_living", "mild"},
                                   {"mental_state", "severe"},
                                   {"perception_communication", "intact"},
                                   {"social_participation", "moderate"}}),
            "severe");
  try {
    abilityResult(
        levels,
        {{"daily_living", "mild"}, {"mental_state", "mild"}, {"perception_communication", "mild"}});
    FAIL() << "a missing dimension was accepted";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field + ":" + error.fieldErrors()[0].rule,
              "dimensions:four-dimensions");
  }
  // A county listing three levels: "total" is not in force.
  try {
    abilityResult({"intact", "partial", "severe"}, {{"daily_living", "total"},
                                                    {"mental_state", "intact"},
                                                    {"perception_communication", "intact"},
                                                    {"social_participation", "intact"}});
    FAIL() << "a level not in force was accepted";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field + ":" + error.fieldErrors()[0].rule,
              "dimensions.daily_living:ability-level");
  }
}

TEST(ElderlyCareRules, ResidentMonthsAndResidentDays) {
  const auto june = *sdk::Month::parse("2026-06");
  EXPECT_TRUE(residentMonth(day("2026-06-30"), std::nullopt, june));
  EXPECT_FALSE(residentMonth(day("2026-07-01"), std::nullopt, june));
  EXPECT_TRUE(residentMonth(day("2026-01-01"), day("2026-06-02"), june));
  EXPECT_FALSE(residentMonth(day("2026-01-01"), day("2026-06-01"), june));  // left on the 1st
  // Admitted 06-10, discharged 06-20: days 10..19 = 10 resident days.
  EXPECT_EQ(residentDays(day("2026-06-10"), day("2026-06-20"), june.firstDay(), june.lastDay()),
            10);
  EXPECT_EQ(residentDays(day("2026-05-01"), std::nullopt, june.firstDay(), june.lastDay()), 30);
  EXPECT_EQ(residentDays(day("2026-07-01"), std::nullopt, june.firstDay(), june.lastDay()), 0);
  EXPECT_EQ(keepUntil(day("2026-06-20")), day("2031-06-20"));
}

TEST(ElderlyCareRules, InspectionsAreDueYearlyAndHazardsPastTheirDeadlineAreOverdue) {
  EXPECT_EQ(inspectionDue(std::nullopt, day("2026-01-15"), 12), day("2027-01-15"));
  EXPECT_EQ(inspectionDue(day("2026-03-01"), day("2020-01-01"), 12), day("2027-03-01"));
  EXPECT_FALSE(hazardOverdue(day("2026-04-30"), day("2026-04-30")));
  EXPECT_TRUE(hazardOverdue(day("2026-04-30"), day("2026-05-01")));
  EXPECT_EQ(hazardCategories().size(), 9u);
}

TEST(ElderlyCareRules, AFineIsAtMostThirtyThousandYuan) {
  const auto cap = sdk::Money::fromYuan(30000);
  EXPECT_FALSE(checkFine(sdk::Money::fromYuan(30000), cap));
  const auto over = checkFine(*sdk::Money::parse("30000.01"), cap);
  ASSERT_TRUE(over);
  EXPECT_EQ(over->field + ":" + over->rule, "amount:fine-maximum");
  EXPECT_TRUE(checkFine(sdk::Money{}, cap));
}

TEST(ElderlyCareRules, SubsidiesAreExactToTheFen) {
  EXPECT_EQ(constructionSubsidy(37, *sdk::Money::parse("3333.33")).fen(), 12333321);
  EXPECT_EQ(operatingSubsidy({{3, *sdk::Money::parse("100.01")}, {2, *sdk::Money::parse("250.50")}})
                .fen(),
            80103);
  EXPECT_EQ(permille(2, 3), 667);
  EXPECT_EQ(permille(1, 8), 125);
  EXPECT_EQ(permille(5, 0), 0);
}

}  // namespace
}  // namespace civ::plugins::elderly_care
