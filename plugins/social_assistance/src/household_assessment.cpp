#include "household_assessment.h"

#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "parameters.h"

namespace civ::plugins::social_assistance {

nlohmann::json HouseholdAssessment::toJson() const {
  nlohmann::json failures = nlohmann::json::array();
  for (const auto& failure : property_failures)
    failures.push_back(
        {{"field", failure.field}, {"rule", failure.rule}, {"message", failure.message}});
  return {{"category", category},
          {"members", members},
          {"counted_income", counted_income.toString()},
          {"excluded_income", excluded_income.toString()},
          {"deductions", deductions.toString()},
          {"income_period_months", period_months},
          {"income_window",
           {{"from", monthText(income_window.first)}, {"to", monthText(income_window.last)}}},
          {"household_monthly_income", household_income.toString()},
          {"per_capita_income", dibao.per_capita_income.toString()},
          {"property_passes", property_failures.empty()},
          {"property_failures", failures},
          {"dibao_eligible", dibao.eligible && property_failures.empty()},
          {"dibao_edge_eligible", dibao.edge_eligible && property_failures.empty()},
          {"dibao_amount",
           (dibao.eligible && property_failures.empty()) ? dibao.total.toString() : "0.00"}};
}

HouseholdAssessment assess(const HouseholdRecords& records, const AssistancePolicy& policy,
                           sdk::Date month_start) {
  HouseholdAssessment assessment;
  assessment.category = records.category;
  assessment.members = static_cast<int>(records.members.size());
  assessment.income_window = records.income_window;
  assessment.counted_income = records.counted_income;
  assessment.excluded_income = records.excluded_income;
  assessment.deductions = records.deductions;
  // The months the income was read for (incomeWindowOf: the policy's period).
  assessment.period_months = records.income_window.months;
  assessment.household_income = householdMonthlyIncome(
      assessment.counted_income, assessment.deductions, assessment.period_months);

  // Property (最低生活保障审核确认办法 §14, thresholds from the province).
  const DibaoPolicy dibao = policy.dibao(assessment.category);
  if (assessment.members > 0) {
    const sdk::Money limit_per_capita = dibao.standard * policy.get(kDibaoPropertyFinancialMonths);
    if (records.financial > limit_per_capita * assessment.members)
      assessment.property_failures.push_back(
          {"property.financial", kDibaoPropertyFinancialMonths.key,
           "per-capita financial assets " +
               records.financial.dividedBy(assessment.members).toString() + " exceed " +
               limit_per_capita.toString() + " (" +
               std::to_string(policy.get(kDibaoPropertyFinancialMonths)) +
               " months of the standard)"});
  }
  if (records.homes > policy.get(kDibaoPropertyMaxHomes))
    assessment.property_failures.push_back({"property.housing", kDibaoPropertyMaxHomes.key,
                                            std::to_string(records.homes) + " homes; at most " +
                                                std::to_string(policy.get(kDibaoPropertyMaxHomes)) +
                                                " allowed"});
  if (records.vehicles > policy.get(kDibaoPropertyMaxVehicles))
    assessment.property_failures.push_back(
        {"property.vehicle", kDibaoPropertyMaxVehicles.key,
         std::to_string(records.vehicles) + " vehicles not exempt; at most " +
             std::to_string(policy.get(kDibaoPropertyMaxVehicles)) + " allowed"});
  if (records.businesses > 0)
    assessment.property_failures.push_back(
        {"property.business", "no-business-registration",
         "a member holds a business registration (市场主体) that is not exempt"});

  assessment.dibao = dibaoAmount(dibao, assessment.household_income, records.members, month_start);
  return assessment;
}

namespace {

CoveredMember coveredMember(const soci::row& row, std::size_t first) {
  CoveredMember member;
  member.birth_date = *sdk::Date::parse(sdk::sql::textAt(row, first));
  if (auto grade = sdk::sql::optionalInt64At(row, first + 1))
    member.disability_grade = static_cast<int>(*grade);
  member.serious_illness = sdk::sql::int64At(row, first + 2) != 0;
  return member;
}

/// Adds one income item to the records for its share of their window. Each item's share is rounded
/// to the fen on its own (incomeInWindow), then the shares are summed by treatment;
/// householdMonthlyIncome divides the sum by the window's months, half up.
void addIncome(HouseholdRecords& records, const std::string& treatment, std::int64_t amount_fen,
               const std::string& period_from, const std::string& period_to) {
  const auto from = sdk::Date::parse(period_from);
  const auto to = sdk::Date::parse(period_to);
  if (!from || !to) return;  // not written by this module: every writer checks the dates
  const sdk::Money share =
      incomeInWindow(sdk::Money::fromFen(amount_fen), *from, *to, records.income_window);
  if (treatment == "counted") records.counted_income += share;
  if (treatment == "excluded") records.excluded_income += share;
  if (treatment == "deduction") records.deductions += share;
}

// The items whose period overlaps the window ('YYYY-MM-DD' text compares as dates).
// Withdrawn items (entered wrongly, kept on file) never count.
constexpr const char* kIncomeOverlapsWindow =
    " AND withdrawn_on IS NULL AND period_from <= :last AND period_to >= :first";

void addProperty(HouseholdRecords& records, const std::string& kind, std::int64_t value_fen,
                 std::int64_t quantity) {
  if (kind == "deposit" || kind == "securities" || kind == "insurance" || kind == "other")
    records.financial += sdk::Money::fromFen(value_fen);
  if (kind == "housing") records.homes += quantity;
  if (kind == "vehicle") records.vehicles += quantity;
  if (kind == "business") records.businesses += quantity;
}

}  // namespace

IncomeWindow incomeWindowOf(const AssistancePolicy& policy, sdk::Date month_start,
                            sdk::Date today) {
  return incomeWindow(month_start, today, policy.incomePeriodMonths());
}

HouseholdRecords readHouseholdRecords(soci::session& db, std::int64_t household_id,
                                      const IncomeWindow& window) {
  HouseholdRecords records;
  records.income_window = window;
  const std::string first = window.first.toString(), last = window.last.toString();
  const long long household = household_id;
  db << "SELECT category FROM sa_households WHERE id = :id", soci::into(records.category),
      soci::use(household);
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT p.birth_date, m.disability_grade, m.serious_illness FROM "
                       "sa_members m JOIN civ_persons p ON p.id = m.person_id"
                       " WHERE m.household_id = :h AND m.lives_together = 1 AND m.left_on IS NULL",
         soci::use(household));
    for (const auto& row : rows) records.members.push_back(coveredMember(row, 0));
  }
  {
    soci::rowset<soci::row> rows =
        (db.prepare << std::string("SELECT treatment, amount_fen, period_from, period_to FROM"
                                   " sa_income_items WHERE household_id = :h") +
                           kIncomeOverlapsWindow,
         soci::use(household), soci::use(last), soci::use(first));
    for (const auto& row : rows)
      addIncome(records, sdk::sql::textAt(row, 0), sdk::sql::int64At(row, 1),
                sdk::sql::textAt(row, 2), sdk::sql::textAt(row, 3));
  }
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT kind, SUM(value_fen), SUM(quantity) FROM sa_property_items WHERE "
                       "household_id = :h AND exempt = 0 AND withdrawn_on IS NULL GROUP BY kind",
         soci::use(household));
    for (const auto& row : rows)
      addProperty(records, sdk::sql::textAt(row, 0), sdk::sql::int64At(row, 1),
                  sdk::sql::int64At(row, 2));
  }
  return records;
}

std::unordered_map<std::int64_t, HouseholdRecords> readRecordsOfActiveDibaoHouseholds(
    soci::session& db, const std::string& county, const IncomeWindow& window,
    std::size_t expected_households) {
  std::unordered_map<std::int64_t, HouseholdRecords> households;
  households.reserve(expected_households);
  const std::string first = window.first.toString(), last = window.last.toString();
  // The same readings as readHouseholdRecords, each one statement for the county.
  const std::string active =
      "SELECT household_id FROM sa_cases WHERE county_code = :county AND program = 'dibao' AND"
      " status = 'active'";
  // Typed columns a block at a time (not soci::row, one value at a time): a county of a million
  // persons has 250,000 active households, 600,000 members and 450,000 income items.
  constexpr std::size_t kBlock = 4096;
  {
    std::vector<long long> ids(kBlock);
    std::vector<std::string> categories(kBlock);
    soci::statement select =
        (db.prepare << "SELECT id, category FROM sa_households WHERE id IN (" + active + ")",
         soci::into(ids), soci::into(categories), soci::use(county));
    select.execute();
    while (select.fetch()) {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        auto& records = households[ids[i]];
        records.category = std::move(categories[i]);
        records.income_window = window;
      }
      ids.resize(kBlock);
      categories.resize(kBlock);
    }
  }
  {
    std::vector<long long> household_ids(kBlock), grades(kBlock), illnesses(kBlock);
    std::vector<std::string> births(kBlock);
    std::vector<soci::indicator> grade_present(kBlock);
    soci::statement select =
        (db.prepare << "SELECT m.household_id, p.birth_date, m.disability_grade,"
                       " m.serious_illness FROM sa_members m JOIN civ_persons p ON p.id ="
                       " m.person_id WHERE m.lives_together = 1 AND m.left_on IS NULL AND"
                       " m.household_id IN (" +
                           active + ")",
         soci::into(household_ids), soci::into(births), soci::into(grades, grade_present),
         soci::into(illnesses), soci::use(county));
    select.execute();
    HouseholdRecords* records = nullptr;
    long long records_of = 0;
    while (select.fetch()) {
      for (std::size_t i = 0; i < household_ids.size(); ++i) {
        if (records == nullptr || records_of != household_ids[i]) {
          records_of = household_ids[i];
          records = &households[records_of];
        }
        CoveredMember member;
        member.birth_date = *sdk::Date::parse(births[i]);
        if (grade_present[i] == soci::i_ok) member.disability_grade = static_cast<int>(grades[i]);
        member.serious_illness = illnesses[i] != 0;
        records->members.push_back(member);
      }
      for (auto* column : {&household_ids, &grades, &illnesses}) column->resize(kBlock);
      births.resize(kBlock);
      grade_present.resize(kBlock);
    }
  }
  {
    std::vector<long long> household_ids(kBlock), amounts(kBlock);
    std::vector<std::string> treatments(kBlock), froms(kBlock), tos(kBlock);
    soci::statement select =
        (db.prepare << "SELECT household_id, treatment, amount_fen, period_from, period_to FROM"
                       " sa_income_items WHERE household_id IN (" +
                           active + ")" + kIncomeOverlapsWindow,
         soci::into(household_ids), soci::into(treatments), soci::into(amounts), soci::into(froms),
         soci::into(tos), soci::use(county), soci::use(last), soci::use(first));
    select.execute();
    while (select.fetch()) {
      for (std::size_t i = 0; i < household_ids.size(); ++i) {
        auto& records = households[household_ids[i]];
        records.income_window = window;
        addIncome(records, treatments[i], amounts[i], froms[i], tos[i]);
      }
      for (auto* column : {&household_ids, &amounts}) column->resize(kBlock);
      for (auto* column : {&treatments, &froms, &tos}) column->resize(kBlock);
    }
  }
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT household_id, kind, SUM(value_fen), SUM(quantity) FROM"
                       " sa_property_items WHERE exempt = 0 AND withdrawn_on IS NULL AND "
                       "household_id IN (" +
                           active + ") GROUP BY household_id, kind",
         soci::use(county));
    for (const auto& row : rows)
      addProperty(households[sdk::sql::int64At(row, 0)], sdk::sql::textAt(row, 1),
                  sdk::sql::int64At(row, 2), sdk::sql::int64At(row, 3));
  }
  return households;
}

HouseholdAssessment assessHousehold(soci::session& db, std::int64_t household_id,
                                    const AssistancePolicy& policy, sdk::Date month_start,
                                    sdk::Date today) {
  return assess(readHouseholdRecords(db, household_id, incomeWindowOf(policy, month_start, today)),
                policy, month_start);
}

}  // namespace civ::plugins::social_assistance
