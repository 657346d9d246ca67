#include "household_assessment.h"

#include <soci/soci.h>

#include <civ/sdk/sql.h>

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
          {"household_monthly_income", household_income.toString()},
          {"per_capita_income", dibao.per_capita_income.toString()},
          {"property_passes", property_failures.empty()},
          {"property_failures", failures},
          {"dibao_eligible", dibao.eligible && property_failures.empty()},
          {"dibao_edge_eligible", dibao.edge_eligible && property_failures.empty()},
          {"dibao_amount",
           (dibao.eligible && property_failures.empty()) ? dibao.total.toString() : "0.00"}};
}

HouseholdAssessment assessHousehold(soci::session& db, std::int64_t household_id,
                                    const AssistancePolicy& policy, sdk::Date month_start) {
  HouseholdAssessment assessment;
  const long long household = household_id;
  db << "SELECT category FROM sa_households WHERE id = :id", soci::into(assessment.category),
      soci::use(household);

  std::vector<CoveredMember> members;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT p.birth_date, m.disability_grade, m.serious_illness FROM "
                       "sa_members m JOIN civ_persons p ON p.id = m.person_id"
                       " WHERE m.household_id = :h AND m.lives_together = 1 AND m.left_on IS NULL",
         soci::use(household));
    for (const auto& row : rows) {
      CoveredMember member;
      member.birth_date = *sdk::Date::parse(sdk::sql::textAt(row, 0));
      if (auto grade = sdk::sql::optionalInt64At(row, 1))
        member.disability_grade = static_cast<int>(*grade);
      member.serious_illness = sdk::sql::int64At(row, 2) != 0;
      members.push_back(member);
    }
  }
  assessment.members = static_cast<int>(members.size());
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT treatment, SUM(amount_fen) FROM sa_income_items WHERE "
                       "household_id = :h GROUP BY treatment",
         soci::use(household));
    for (const auto& row : rows) {
      const auto amount = sdk::Money::fromFen(sdk::sql::int64At(row, 1));
      const auto treatment = sdk::sql::textAt(row, 0);
      if (treatment == "counted") assessment.counted_income = amount;
      if (treatment == "excluded") assessment.excluded_income = amount;
      if (treatment == "deduction") assessment.deductions = amount;
    }
  }
  assessment.period_months = policy.incomePeriodMonths();
  assessment.household_income = householdMonthlyIncome(
      assessment.counted_income, assessment.deductions, assessment.period_months);

  // Property (最低生活保障审核确认办法 §14, thresholds from the province).
  sdk::Money financial;
  long long homes = 0, vehicles = 0, businesses = 0;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT kind, SUM(value_fen), SUM(quantity) FROM sa_property_items WHERE "
                       "household_id = :h AND exempt = 0 GROUP BY kind",
         soci::use(household));
    for (const auto& row : rows) {
      const auto kind = sdk::sql::textAt(row, 0);
      const auto value = sdk::Money::fromFen(sdk::sql::int64At(row, 1));
      const auto quantity = sdk::sql::int64At(row, 2);
      if (kind == "deposit" || kind == "securities" || kind == "insurance" || kind == "other")
        financial += value;
      if (kind == "housing") homes += quantity;
      if (kind == "vehicle") vehicles += quantity;
      if (kind == "business") businesses += quantity;
    }
  }
  const DibaoPolicy dibao = policy.dibao(assessment.category);
  if (assessment.members > 0) {
    const sdk::Money limit_per_capita =
        dibao.standard * policy.integer("dibao.property.financial_months");
    if (financial > limit_per_capita * assessment.members)
      assessment.property_failures.push_back(
          {"property.financial", "dibao.property.financial_months",
           "per-capita financial assets " + financial.dividedBy(assessment.members).toString() +
               " exceed " + limit_per_capita.toString() + " (" +
               std::to_string(policy.integer("dibao.property.financial_months")) +
               " months of the standard)"});
  }
  if (homes > policy.integer("dibao.property.max_homes"))
    assessment.property_failures.push_back(
        {"property.housing", "dibao.property.max_homes",
         std::to_string(homes) + " homes; at most " +
             std::to_string(policy.integer("dibao.property.max_homes")) + " allowed"});
  if (vehicles > policy.integer("dibao.property.max_vehicles"))
    assessment.property_failures.push_back(
        {"property.vehicle", "dibao.property.max_vehicles",
         std::to_string(vehicles) + " vehicles not exempt; at most " +
             std::to_string(policy.integer("dibao.property.max_vehicles")) + " allowed"});
  if (businesses > 0)
    assessment.property_failures.push_back(
        {"property.business", "no-business-registration",
         "a member holds a business registration (市场主体) that is not exempt"});

  assessment.dibao = dibaoAmount(dibao, assessment.household_income, members, month_start);
  return assessment;
}

}  // namespace civ::plugins::social_assistance
