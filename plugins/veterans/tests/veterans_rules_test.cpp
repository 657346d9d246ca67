// The money rules of 优抚, pure, to the fen against a dated table: the monthly share and its
// December remainder, a mid-year standard change, 因病 grades 7–10 refused, the care allowance's
// shares, suspension months, funeral aid of 6 and 12 months, the one-time payments with the
// highest honour only, the eligibility of the §62 groups, the documents checklist, and the
// national table's import checks and precedence.
#include "../src/veterans_rules.h"

#include <gtest/gtest.h>

#include <civ/sdk/error.h>

#include "../src/national_table.h"

namespace civ::plugins::veterans {
namespace {

using nlohmann::json;

sdk::Date day(const char* text) { return *sdk::Date::parse(text); }
sdk::Month month(const char* text) { return *sdk::Month::parse(text); }
sdk::Money yuan(const char* text) { return *sdk::Money::parse(text); }

/// A table of two years: the standards of 2024-08-01 and of 2025-08-01, incomes, 少尉 pay.
NationalTable table() {
  std::int64_t id = 0;
  std::vector<StandardRow> rows;
  const auto add = [&](const char* item, const char* key, const char* amount, const char* from) {
    rows.push_back({++id, item, key, yuan(amount), day(from), false, 1});
  };
  add("disability_pension", "war_1", "72850.00", "2024-08-01");
  add("disability_pension", "war_1", "77220.00", "2025-08-01");
  add("disability_pension", "illness_2", "60130.00", "2024-08-01");
  add("disability_pension", "illness_2", "63140.00", "2025-08-01");
  add("survivor_pension", "martyr", "23130.00", "2024-08-01");
  add("survivor_pension", "martyr", "24330.00", "2025-08-01");
  add("survivor_pension", "illness", "12345.67", "2024-08-01");
  add("living_subsidy", "enlisted_before_1954", "26150.00", "2024-08-01");
  add("urban_income", "2023", "51821.00", "2024-01-01");
  add("urban_income", "2024", "54188.00", "2025-01-01");
  add("lieutenant_pay", "base", "4280.00", "2016-01-01");
  return NationalTable(rows);
}

std::string ruleOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const sdk::ValidationError& error) {
    return error.fieldErrors().front().field + ":" + error.fieldErrors().front().rule;
  }
  return "accepted";
}

TEST(MonthlyShare, ElevenMonthsHalfUpAndDecemberTheRemainder) {
  // 72,850.00 / 12 = 6,070.8333… → 6,070.83; December 72,850.00 − 11 × 6,070.83 = 6,070.87.
  EXPECT_EQ(monthlyShare(yuan("72850.00"), 1), yuan("6070.83"));
  EXPECT_EQ(monthlyShare(yuan("72850.00"), 11), yuan("6070.83"));
  EXPECT_EQ(monthlyShare(yuan("72850.00"), 12), yuan("6070.87"));
  // Half up: 18.06 / 12 = 1.505 → 1.51; December 18.06 − 16.61 = 1.45.
  EXPECT_EQ(monthlyShare(yuan("18.06"), 3), yuan("1.51"));
  EXPECT_EQ(monthlyShare(yuan("18.06"), 12), yuan("1.45"));
  for (const char* annual : {"72850.00", "23130.00", "12345.67", "8100.00", "0.11"}) {
    sdk::Money sum;
    for (unsigned m = 1; m <= 12; ++m) sum += monthlyShare(yuan(annual), m);
    EXPECT_EQ(sum, yuan(annual)) << annual << ": twelve months make the annual figure";
  }
}

TEST(PeriodicAmount, ComesFromTheTableInForceOnTheMonthsFirstDay) {
  const auto standards = table();
  const LocalFigures local{yuan("6543.21"), yuan("150.00")};
  PeriodicFacts war{"disability_pension", Disability{"war", 1, false}, "", ""};
  // 2024-08-01 table until July 2025, the 2025-08-01 table from August: a mid-year change.
  EXPECT_EQ(periodicMonthAmount(war, month("2025-07"), standards, local), yuan("6070.83"));
  EXPECT_EQ(periodicMonthAmount(war, month("2025-08"), standards, local), yuan("6435.00"));
  EXPECT_EQ(periodicMonthAmount(war, month("2025-12"), standards, local), yuan("6435.00"));
  // December 2024 carries the remainder of the 2024 table.
  EXPECT_EQ(periodicMonthAmount(war, month("2024-12"), standards, local), yuan("6070.87"));
  // Before any table: refused, naming the table.
  EXPECT_EQ(ruleOf([&] { periodicMonthAmount(war, month("2024-07"), standards, local); }),
            "national_standards:national-table");
  PeriodicFacts survivor{"survivor_pension", std::nullopt, "martyr", ""};
  EXPECT_EQ(periodicMonthAmount(survivor, month("2025-03"), standards, local), yuan("1927.50"));
  EXPECT_EQ(periodicMonthAmount(survivor, month("2025-09"), standards, local), yuan("2027.50"));
  PeriodicFacts group{"living_subsidy", std::nullopt, "", "enlisted_before_1954"};
  // 26,150.00 / 12 = 2,179.1666… → 2,179.17.
  EXPECT_EQ(periodicMonthAmount(group, month("2025-03"), standards, local), yuan("2179.17"));
  PeriodicFacts hardship{"hardship", std::nullopt, "", ""};
  EXPECT_EQ(periodicMonthAmount(hardship, month("2025-03"), standards, local), yuan("150.00"));
}

TEST(DisabilityPension, IllnessOnlyGradesOneToSix) {
  EXPECT_EQ(ruleOf([] {
              requirePensionableGrade({"illness", 6, false}, "disability.grade");
            }),
            "accepted");
  for (int grade = 7; grade <= 10; ++grade)
    EXPECT_EQ(ruleOf([&] {
                requirePensionableGrade({"illness", grade, false}, "disability.grade");
              }),
              "disability.grade:illness-grades-1-6");
  EXPECT_EQ(ruleOf([] {
              requirePensionableGrade({"war", 10, false}, "disability.grade");
            }),
            "accepted");
  EXPECT_EQ(ruleOf([] {
              requirePensionableGrade({"duty", 10, false}, "disability.grade");
            }),
            "accepted");
  EXPECT_EQ(ruleOf([] {
              requirePensionableGrade({"war", 11, false}, "disability.grade");
            }),
            "disability.grade:grade-1-10");
  EXPECT_NE(keyProblem("disability_pension", "illness_7"), "");
  EXPECT_EQ(keyProblem("disability_pension", "illness_6"), "");
  EXPECT_EQ(keyProblem("disability_pension", "duty_10"), "");
}

TEST(CareAllowance, ShareOfTheLocalAverageWageByNatureAndGrade) {
  const LocalFigures local{yuan("6543.21"), yuan("0.00")};
  const auto care = [&](const char* nature, int grade, bool mental) {
    return periodicMonthAmount({"care_allowance", Disability{nature, grade, mental}, "", ""},
                               month("2026-03"), table(), local);
  };
  EXPECT_EQ(care("war", 1, false), yuan("3271.61"));      // 50 %: 3,271.605 → half up
  EXPECT_EQ(care("duty", 2, false), yuan("3271.61"));     // 50 %
  EXPECT_EQ(care("duty", 3, false), yuan("2617.28"));     // 40 %: 2,617.284
  EXPECT_EQ(care("war", 4, false), yuan("2617.28"));      // 40 %
  EXPECT_EQ(care("illness", 4, false), yuan("1962.96"));  // 30 %: 1,962.963
  EXPECT_EQ(care("illness", 5, true), yuan("1635.80"));   // mental illness, 25 %: 1,635.8025
  EXPECT_EQ(care("war", 6, true), yuan("1635.80"));
  EXPECT_EQ(care("war", 5, false), yuan("0.00"));  // outside §34
  EXPECT_FALSE(careAllowanceShare({"illness", 5, false}));
  EXPECT_FALSE(careAllowanceShare({"war", 7, true}));
}

TEST(Suspension, NoPaymentFromTheFirstSuspendedMonthThroughTheLast) {
  const std::vector<Suspension> prison = {{month("2026-03"), month("2026-05")}};
  const auto start = month("2026-01");
  EXPECT_TRUE(paysMonth(start, std::nullopt, prison, month("2026-02")));
  EXPECT_FALSE(paysMonth(start, std::nullopt, prison, month("2026-03")));
  EXPECT_FALSE(paysMonth(start, std::nullopt, prison, month("2026-05")));
  EXPECT_TRUE(paysMonth(start, std::nullopt, prison, month("2026-06")));
  const std::vector<Suspension> open = {{month("2026-03"), std::nullopt}};
  EXPECT_FALSE(paysMonth(start, std::nullopt, open, month("2030-01")));
  // Start and end bound the months paid.
  EXPECT_FALSE(paysMonth(start, std::nullopt, {}, month("2025-12")));
  EXPECT_TRUE(paysMonth(start, month("2026-04"), {}, month("2026-04")));
  EXPECT_FALSE(paysMonth(start, month("2026-04"), {}, month("2026-05")));
}

TEST(FuneralAid, SixMonthsOfTheSurvivorsPensionTwelveOfTheDisabilityPension) {
  const auto standards = table();
  // §22: 6 months of 24,330.00 a year (the table in force on the day of death): 6 × 2,027.50.
  auto aid = funeralAid({"survivor_pension", std::nullopt, "martyr", ""}, day("2025-09-10"), false,
                        standards);
  ASSERT_TRUE(aid);
  EXPECT_EQ(aid->months, 6);
  EXPECT_EQ(aid->amount, yuan("12165.00"));
  // Before August 2025: the 2024 table, 6 × 1,927.50 = 11,565.00.
  EXPECT_EQ(funeralAid({"survivor_pension", std::nullopt, "martyr", ""}, day("2025-07-31"), false,
                       standards)
                ->amount,
            yuan("11565.00"));
  // Six monthly payments: 12,345.67 / 12 = 1,028.8058 → 1,028.81 a month, × 6 = 6,172.86 (half
  // the year would be 6,172.84: not what six months of payments are).
  EXPECT_EQ(funeralAid({"survivor_pension", std::nullopt, "illness", ""}, day("2025-07-31"), false,
                       standards)
                ->amount,
            yuan("6172.86"));
  // §32: a disabled serviceman dead of illness, 12 months = the annual 63,140.00.
  aid = funeralAid({"disability_pension", Disability{"illness", 2, false}, "", ""},
                   day("2025-10-01"), true, standards);
  ASSERT_TRUE(aid);
  EXPECT_EQ(aid->months, 12);
  EXPECT_EQ(aid->amount, yuan("63140.00"));
  EXPECT_FALSE(funeralAid({"disability_pension", Disability{"illness", 2, false}, "", ""},
                          day("2025-10-01"), false, standards));
  EXPECT_FALSE(funeralAid({"living_subsidy", std::nullopt, "", "enlisted_before_1954"},
                          day("2025-10-01"), true, standards));
}

TEST(OneTime, MartyrHonourIsThirtyTimesLastYearsIncome) {
  const auto payment = martyrHonour(day("2025-03-10"), table());
  EXPECT_EQ(payment.income_year, 2024);
  EXPECT_EQ(payment.amount, yuan("1625640.00"));  // 30 × 54,188
  // A death in 2026 needs 2025's income, not in the table: refused, naming it.
  EXPECT_EQ(ruleOf([] { martyrHonour(day("2026-05-01"), table()); }),
            "national_standards:national-table");
}

TEST(OneTime, DeathLumpSumWithTheHighestHonourOnly) {
  const std::vector<Award> awards = {{"fourth_class_battle_or_third_class_merit", "三等功"},
                                     {"second_class_battle_or_first_class_merit", "一等功"},
                                     {"other", "嘉奖"}};
  // 烈士: 20 × 54,188 + 40 × 5,000.00 = 1,283,760.00; + 25 % (一等功) = 320,940.00.
  auto sum = deathLumpSum("martyr", day("2025-03-10"), yuan("5000.00"), awards, table());
  EXPECT_EQ(sum.base, yuan("1283760.00"));
  ASSERT_TRUE(sum.honour);
  EXPECT_EQ(sum.honour->percent, 25);
  EXPECT_EQ(sum.supplement, yuan("320940.00"));
  EXPECT_EQ(sum.amount, yuan("1604700.00"));
  // 病故 with no own pay on file (义务兵): 2 × 54,188 + 40 × 4,280.00 (少尉) = 279,576.00; + 5 %.
  sum = deathLumpSum("illness", day("2025-03-10"), std::nullopt,
                     {{"fourth_class_battle_or_third_class_merit", "三等功"}}, table());
  EXPECT_EQ(sum.monthly_pay, yuan("4280.00"));
  EXPECT_EQ(sum.base, yuan("279576.00"));
  EXPECT_EQ(sum.supplement, yuan("13978.80"));
  EXPECT_EQ(sum.amount, yuan("293554.80"));
  // Own pay below a 少尉's counts as a 少尉's; no honour, no supplement.
  sum = deathLumpSum("duty", day("2025-03-10"), yuan("3000.00"), {{"other", "嘉奖"}}, table());
  EXPECT_EQ(sum.monthly_pay, yuan("4280.00"));
  EXPECT_FALSE(sum.honour);
  EXPECT_EQ(sum.amount, yuan("1254960.00"));  // 1,083,760 + 171,200
}

TEST(Eligibility, TheGroupsConditionsAreNamed) {
  BeneficiaryFacts veteran;
  veteran.category = "veteran";
  veteran.hukou = "rural";
  veteran.birth_date = day("1966-05-01");
  veteran.subsidy_group = "rural_veteran_60";
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", veteran, day("2026-04-30")); }),
            "type:aged-60");
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", veteran, day("2026-05-01")); }),
            "accepted");
  veteran.hukou = "urban";
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", veteran, day("2026-05-01")); }),
            "type:rural-hukou");
  veteran.subsidy_group = "enlisted_before_1954";
  veteran.enlisted_on = day("1954-11-01");
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", veteran, day("2026-05-01")); }),
            "type:enlisted-before-1954-10-31");
  veteran.enlisted_on = day("1954-10-31");
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", veteran, day("2026-05-01")); }),
            "accepted");
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("survivor_pension", veteran, day("2026-05-01")); }),
            "type:survivor-of-fallen");
  EXPECT_EQ(
      ruleOf([&] { requireEntitlementFits("disability_pension", veteran, day("2026-05-01")); }),
      "type:disability");
  veteran.disability = Disability{"war", 6, false};
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("care_allowance", veteran, day("2026-05-01")); }),
            "type:care-allowance-band");
  veteran.disability = Disability{"illness", 8, false};
  EXPECT_EQ(
      ruleOf([&] { requireEntitlementFits("disability_pension", veteran, day("2026-05-01")); }),
      "type:illness-grades-1-6");
  BeneficiaryFacts child;
  child.category = "martyr_survivor";
  child.relationship = "spouse";
  child.subsidy_group = "martyr_child_60";
  child.birth_date = day("1950-01-01");
  child.fallen_death_kind = "martyr";
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", child, day("2026-05-01")); }),
            "type:martyr-child");
  child.relationship = "child";
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("living_subsidy", child, day("2026-05-01")); }),
            "accepted");
  EXPECT_EQ(ruleOf([&] { requireEntitlementFits("survivor_pension", child, day("2026-05-01")); }),
            "accepted");
}

TEST(Documents, TheChecklistFollowsTheCategory) {
  BeneficiaryFacts facts;
  facts.category = "disabled_serviceman";
  facts.disability = Disability{"war", 3, false};
  facts.subsidy_group = "war_participant";
  EXPECT_EQ(missingDocuments(facts, {"id_card", "hukou_register", "disability_certificate"}),
            (std::vector<std::string>{"bank_account_proof", "discharge_certificate",
                                      "disability_assessment", "group_proof"}));
  BeneficiaryFacts survivor;
  survivor.category = "martyr_survivor";
  EXPECT_EQ(requiredDocuments(survivor),
            (std::vector<std::string>{"id_card", "hukou_register", "bank_account_proof",
                                      "martyr_certificate", "relationship_proof"}));
}

TEST(NationalTable, ACountysImportOutranksTheBundledTableAtTheSameDate) {
  std::vector<StandardRow> rows = {
      {1, "survivor_pension", "duty", yuan("19860.00"), day("2025-08-01"), false, 1},
      {2, "survivor_pension", "duty", yuan("21000.00"), day("2025-08-01"), true, 2},
      {3, "survivor_pension", "duty", yuan("21060.00"), day("2025-08-01"), true, 3},
      {4, "survivor_pension", "duty", yuan("22000.00"), day("2026-08-01"), false, 1}};
  const NationalTable standards(rows);
  EXPECT_EQ(standards.inForce("survivor_pension", "duty", day("2025-08-01"))->amount,
            yuan("21060.00"));  // the later of the county's two imports
  EXPECT_EQ(standards.inForce("survivor_pension", "duty", day("2026-08-01"))->amount,
            yuan("22000.00"));
  EXPECT_EQ(standards.inForce("survivor_pension", "duty", day("2025-07-31")), nullptr);
  EXPECT_EQ(standards.asOf(day("2026-01-01")).size(), 1u);
}

TEST(NationalTable, AnImportListsEveryBadRowAndImportsNothing) {
  const json rows = json::array({
      {{"item", "disability_pension"},
       {"key", "war_1"},
       {"amount", "77220.00"},
       {"effective_from", "2026-08-01"}},
      {{"item", "disability_pension"},
       {"key", "illness_7"},
       {"amount", "20000.00"},
       {"effective_from", "2026-08-01"}},
      {{"item", "pension"}, {"key", "x"}, {"amount", "1.00"}, {"effective_from", "2026-08-01"}},
      {{"item", "survivor_pension"},
       {"key", "martyr"},
       {"amount", "0.00"},
       {"effective_from", "2026-08-01"}},
      {{"item", "disability_pension"},
       {"key", "war_1"},
       {"amount", "77000.00"},
       {"effective_from", "2026-08-01"}},
  });
  try {
    importRowsFromJson(rows);
    FAIL() << "refused";
  } catch (const sdk::ValidationError& error) {
    std::vector<std::string> found;
    for (const auto& field : error.fieldErrors()) found.push_back(field.field + ":" + field.rule);
    EXPECT_EQ(found,
              (std::vector<std::string>{"rows[1].key:standard-key", "rows[2].item:standard-item",
                                        "rows[3].amount:positive", "rows[4].key:duplicate-row"}));
  }
  EXPECT_EQ(importRowsFromJson(json::array({rows[0]})).size(), 1u);
}

TEST(NationalTable, AFileImportReadsChineseHeadingsAndNamesSpreadsheetRows) {
  const std::vector<std::vector<std::string>> file = {
      {"项目", "键", "金额", "生效日期", "备注"},
      {"survivor_pension", "martyr", "25530.00", "2026-08-01", "烈属"},
      {"", "", "", "", ""},
      {"survivor_pension", "duty", "21,000", "2026-08-01", ""}};
  try {
    importRowsFromTable(file);
    FAIL() << "refused";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors().front().field, "rows[4].amount");
    EXPECT_EQ(error.fieldErrors().front().rule, "format");
  }
  const auto rows = importRowsFromTable({file[0], file[1]});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].amount, yuan("25530.00"));
  EXPECT_EQ(ruleOf([] { importRowsFromTable({{"item", "amount"}, {"x", "1"}}); }), "file:columns");
}

TEST(NationalTable, TheBundledTableLoadsAndObeysTheImportRules) {
  const auto statements = bundledTableStatements();
  ASSERT_GE(statements.size(), 2u);
  std::string all;
  for (const auto& statement : statements) all += statement;
  EXPECT_NE(all.find("'urban_income', '2024', 5418800"), std::string::npos);
  EXPECT_NE(all.find("'disability_pension', 'war_1', 7722000, '2025-08-01'"), std::string::npos);
}

}  // namespace
}  // namespace civ::plugins::veterans
