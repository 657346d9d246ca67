#include "social_orgs_plugin.h"

#include <tuple>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/policy.h>

#include "parameters.h"

namespace civ::plugins::social_orgs {

void SocialOrgsPlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  declarations.parameter(kGroupMinIndividualMembers);
  declarations.parameter(kGroupMinUnitMembers);
  declarations.parameter(kGroupMinMixedMembers);
  declarations.parameter(kGroupMinFunds);
  declarations.parameter(kFoundationMinFundsPublic);
  declarations.parameter(kFoundationMinFundsNonPublic);
  declarations.parameter(kPneMinFundsEducation);
  declarations.parameter(kPneMinFundsHealth);
  declarations.parameter(kPneMinFundsElderlyCare);
  declarations.parameter(kPneMinFundsCultureSports);
  declarations.parameter(kPneMinFundsOther);
  declarations.parameter(kDecisionDays);
  declarations.parameter(kRectificationMonths);
  declarations.parameter(kInspectionFormat);
  for (const auto& declaration : indicators()) declarations.indicator(declaration);
}

std::vector<sdk::Migration> SocialOrgsPlugin::migrations() const {
  return {{1,
           "organisations with their registration, annual inspections, counters",
           {"CREATE TABLE so_organisations ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " type TEXT NOT NULL CHECK (type IN ('group', 'pne', 'foundation')),"
            " name TEXT NOT NULL, sector TEXT, foundation_kind TEXT, sponsor_unit TEXT,"
            " rep_citizen_id TEXT NOT NULL, rep_name TEXT NOT NULL, address TEXT NOT NULL,"
            " township TEXT NOT NULL, individual_members BIGINT NOT NULL,"
            " unit_members BIGINT NOT NULL, funds_fen BIGINT NOT NULL, non_state_fen BIGINT,"
            " rural_association INTEGER NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('applied', 'registered', 'refused',"
            " 'liquidating', 'deregistered')),"
            " complete_on TEXT NOT NULL, decision_due TEXT NOT NULL, decided_on TEXT,"
            " refusal_ground TEXT, uscc TEXT UNIQUE, registered_on TEXT, first_activity_on TEXT,"
            " liquidation_ended_on TEXT, deregistration_due TEXT, deregistered_on TEXT,"
            " announced_on TEXT)",
            "CREATE INDEX so_organisations_county ON so_organisations (county_code, township)",
            "CREATE INDEX so_organisations_rep ON so_organisations (county_code, rep_citizen_id)",
            "CREATE TABLE so_inspections ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " organisation_id BIGINT NOT NULL REFERENCES so_organisations(id),"
            " year INTEGER NOT NULL, sponsor_submitted_on TEXT, submitted_on TEXT NOT NULL,"
            " result TEXT NOT NULL CHECK (result IN ('passed', 'basic', 'failed')),"
            " result_on TEXT NOT NULL, rectify_due TEXT, rectified_on TEXT,"
            " UNIQUE (organisation_id, year))",
            "CREATE INDEX so_inspections_county ON so_inspections (county_code, year)",
            "CREATE TABLE so_counters ("
            " county_code TEXT NOT NULL PRIMARY KEY, last_value BIGINT NOT NULL)"},
           {}},
          {2,
           "evaluation grades (1A-5A): awards, downgrades, cancellations",
           {"CREATE TABLE so_grades ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " organisation_id BIGINT NOT NULL REFERENCES so_organisations(id),"
            " action TEXT NOT NULL CHECK (action IN ('award', 'downgrade', 'cancel')),"
            " grade INTEGER, decided_on TEXT NOT NULL, valid_until TEXT)",
            "CREATE INDEX so_grades_organisation ON so_grades (organisation_id, decided_on)",
            "CREATE INDEX so_grades_county ON so_grades (county_code, decided_on)"},
           {}},
          {3,
           "credit lists: the abnormal-activity list and the serious-dishonesty list",
           {"CREATE TABLE so_listings ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " organisation_id BIGINT NOT NULL REFERENCES so_organisations(id),"
            " list TEXT NOT NULL CHECK (list IN ('abnormal', 'serious')), cause TEXT NOT NULL,"
            " cause_on TEXT NOT NULL, entry_due TEXT NOT NULL, listed_on TEXT NOT NULL)",
            "CREATE INDEX so_listings_organisation ON so_listings (organisation_id, list)",
            "CREATE INDEX so_listings_county ON so_listings (county_code, listed_on)"},
           {}}};
}

std::vector<sdk::IndicatorDeclaration> SocialOrgsPlugin::indicators() const {
  // Registered on the last day of the period: registered by then, not deregistered by then.
  const std::string in_force =
      " FROM so_organisations WHERE county_code = :county AND registered_on <= :to AND"
      " (deregistered_on IS NULL OR deregistered_on > :to)";
  const std::string registered =
      " FROM so_organisations WHERE county_code = :county AND registered_on >= :from AND"
      " registered_on <= :to";
  const std::string deregistered =
      " FROM so_organisations WHERE county_code = :county AND deregistered_on >= :from AND"
      " deregistered_on <= :to";
  const std::string inspections =
      " FROM so_inspections i JOIN so_organisations o ON o.id = i.organisation_id WHERE"
      " i.county_code = :county AND i.result_on >= :from AND i.result_on <= :to";
  const std::string overdue_decisions =
      " FROM so_organisations WHERE county_code = :county AND status = 'applied' AND"
      " decision_due < :to";
  const std::string overdue_rectifications =
      " FROM so_inspections i JOIN so_organisations o ON o.id = i.organisation_id WHERE"
      " i.county_code = :county AND i.rectify_due < :to AND i.rectified_on IS NULL";
  const std::string overdue_deregistrations =
      " FROM so_organisations WHERE county_code = :county AND status = 'liquidating' AND"
      " deregistration_due < :to";
  std::vector<sdk::IndicatorDeclaration> declared;
  const auto byType = [&](const char* type, const char* zh, const char* en) {
    const std::string where = in_force + " AND type = '" + type + "'";
    declared.push_back(sdk::sqlIndicator(
        std::string("organisations_") + type, {zh, en}, sdk::Measure::Count, "organisations",
        {"期末存续登记的组织", "Registered and not deregistered on the period's last day"},
        "SELECT COUNT(*)" + where, "SELECT township, COUNT(*)" + where + " GROUP BY township"));
  };
  byType("group", "社会团体（期末）", "Social groups");
  byType("pne", "民办非企业单位（期末）", "Private non-enterprise units");
  byType("foundation", "基金会（期末）", "Foundations");
  const std::string rural = in_force + " AND rural_association = 1";
  declared.push_back(sdk::sqlIndicator(
      "rural_associations",
      {"农村专业经济协会（期末）", "Rural professional economic associations"}, sdk::Measure::Count,
      "organisations",
      {"期末存续的农村专业经济协会（社团）", "Registered rural professional economic associations"},
      "SELECT COUNT(*)" + rural, "SELECT township, COUNT(*)" + rural + " GROUP BY township"));
  declared.push_back(sdk::sqlIndicator(
      "registered", {"新登记组织", "Newly registered"}, sdk::Measure::Count, "organisations",
      {"期间内成立登记", "Registered in the period"}, "SELECT COUNT(*)" + registered,
      "SELECT township, COUNT(*)" + registered + " GROUP BY township"));
  declared.push_back(sdk::sqlIndicator(
      "deregistered", {"注销组织", "Deregistered"}, sdk::Measure::Count, "organisations",
      {"期间内注销登记", "Deregistered in the period"}, "SELECT COUNT(*)" + deregistered,
      "SELECT township, COUNT(*)" + deregistered + " GROUP BY township"));
  for (const auto& [result, zh, en] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"passed", "年检合格", "Inspections passed"},
           {"basic", "年检基本合格", "Inspections basically passed"},
           {"failed", "年检不合格", "Inspections failed"}}) {
    const std::string where = inspections + " AND i.result = '" + result + "'";
    declared.push_back(sdk::sqlIndicator(
        "inspections_" + result, {zh, en}, sdk::Measure::Count, "inspections",
        {"期间内作出的年检结论", "Inspection results given in the period"},
        "SELECT COUNT(*)" + where, "SELECT o.township, COUNT(*)" + where + " GROUP BY o.township"));
  }
  declared.push_back(sdk::sqlIndicator(
      "overdue_decisions", {"逾期未决定的登记申请", "Registration decisions overdue"},
      sdk::Measure::Count, "applications",
      {"期末超过60日仍未决定", "Undecided after their due day, at the period's end"},
      "SELECT COUNT(*)" + overdue_decisions,
      "SELECT township, COUNT(*)" + overdue_decisions + " GROUP BY township"));
  declared.push_back(sdk::sqlIndicator(
      "overdue_rectifications", {"逾期未整改", "Rectifications overdue"}, sdk::Measure::Count,
      "inspections",
      {"整改期满未整改（期末）", "Not rectified by their due day, at the period's end"},
      "SELECT COUNT(*)" + overdue_rectifications,
      "SELECT o.township, COUNT(*)" + overdue_rectifications + " GROUP BY o.township"));
  declared.push_back(sdk::sqlIndicator(
      "overdue_deregistrations", {"清算后逾期未注销", "Deregistrations overdue"},
      sdk::Measure::Count, "organisations",
      {"清算结束15日后仍未注销（期末）", "Not deregistered 15 days after liquidation ended"},
      "SELECT COUNT(*)" + overdue_deregistrations,
      "SELECT township, COUNT(*)" + overdue_deregistrations + " GROUP BY township"));
  const std::string grades =
      " FROM so_grades g JOIN so_organisations o ON o.id = g.organisation_id WHERE"
      " g.county_code = :county AND g.action = 'award' AND g.decided_on >= :from AND"
      " g.decided_on <= :to";
  declared.push_back(sdk::sqlIndicator(
      "grades_awarded", {"评估等级评定", "Grades awarded"}, sdk::Measure::Count, "organisations",
      {"期间内评定等级（1A-5A）", "Grades (1A-5A) awarded in the period"},
      "SELECT COUNT(*)" + grades, "SELECT o.township, COUNT(*)" + grades + " GROUP BY o.township"));
  return declared;
}

void SocialOrgsPlugin::start(sdk::Context& context) {
  context_ = &context;
  addRoutes();
}

}  // namespace civ::plugins::social_orgs
