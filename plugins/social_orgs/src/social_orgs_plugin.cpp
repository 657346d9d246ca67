#include "social_orgs_plugin.h"

#include <map>
#include <tuple>
#include <utility>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/sql.h>

#include "parameters.h"
#include "social_orgs_rules.h"

namespace civ::plugins::social_orgs {

namespace {

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("bans"))
    return {"《取缔非法社会组织办法》（民政部令第77号）",
            "Measures for Banning Illegal Social Organisations (MCA Decree 77)"};
  if (id.starts_with("grades"))
    return {"《社会组织评估管理办法》（民政部令第39号）",
            "Measures for the Evaluation of Social Organisations (MCA Decree 39)"};
  if (id.find("penalt") != std::string::npos || id == "revoked")
    return {
        "《中华人民共和国行政处罚法》；《社会团体登记管理条例》第三十条；《民办非企业单位登记管理暂"
        "行条例》第二十五条",
        "Administrative Penalty Law; Regulations on Social Associations art. 30; Interim "
        "Regulations on Private Non-enterprise Units art. 25"};
  if (id.starts_with("inspection"))
    return {
        "《社会团体登记管理条例》第二十八条 年度检查",
        "Regulations on the Registration of Social Associations art. 28, the annual inspection"};
  return {"《社会团体登记管理条例》；《民办非企业单位登记管理暂行条例》；民政统计 社会组织",
          "Regulations on the Registration of Social Associations; Interim Regulations on Private "
          "Non-enterprise Units; civil-affairs statistics, social organisations"};
}

}  // namespace

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
  declarations.parameter(kPenaltyDecisionDays);
  declarations.parameter(kHearingLargeAmount);
  declarations.parameter(kFineTurnoverMin);
  declarations.parameter(kFineTurnoverMax);
  declarations.parameter(kFineIncomeMin);
  declarations.parameter(kFineIncomeMax);
  declarations.parameter(kChangeDecisionDays);
  for (auto declaration : indicators()) {
    declaration.source = indicatorSource(declaration.id);
    declarations.indicator(declaration);
  }
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
           {}},
          {4,
           "administrative penalties with hearing notices, revocation, bans of illegal bodies",
           {"ALTER TABLE so_organisations ADD COLUMN revoked_on TEXT",
            "CREATE TABLE so_penalties ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " organisation_id BIGINT NOT NULL REFERENCES so_organisations(id),"
            " ground TEXT NOT NULL, facts TEXT NOT NULL, opened_on TEXT NOT NULL,"
            " opened_by TEXT NOT NULL, decision_due TEXT NOT NULL, hearing_notified_on TEXT,"
            " hearing_requested_on TEXT, hearing_held_on TEXT,"
            " kind TEXT CHECK (kind IS NULL OR kind IN ('warning', 'fine', 'confiscation',"
            " 'suspension', 'revocation')),"
            " fine_fen BIGINT, turnover_fen BIGINT, income_fen BIGINT, confiscated_fen BIGINT,"
            " suspended_from TEXT, suspended_until TEXT, decided_on TEXT, decided_by TEXT)",
            "CREATE INDEX so_penalties_organisation ON so_penalties (organisation_id, decided_on)",
            "CREATE INDEX so_penalties_county ON so_penalties (county_code, opened_on)",
            "CREATE TABLE so_bans ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, name TEXT NOT NULL,"
            " acted_as TEXT NOT NULL CHECK (acted_as IN ('group', 'pne', 'foundation')),"
            " ground TEXT NOT NULL, persons_in_charge TEXT NOT NULL, address TEXT NOT NULL,"
            " township TEXT NOT NULL, facts TEXT NOT NULL, decided_on TEXT NOT NULL)",
            "CREATE INDEX so_bans_county ON so_bans (county_code, decided_on)"},
           {}},
          {5,
           "change registration and charter approval, seal and bank-account filings",
           {"ALTER TABLE so_organisations ADD COLUMN business_scope TEXT",
            "CREATE TABLE so_changes ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " organisation_id BIGINT NOT NULL REFERENCES so_organisations(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('change', 'charter')), proposed TEXT NOT NULL,"
            " charter_note TEXT, sponsor_approved_on TEXT, apply_due TEXT,"
            " applied_on TEXT NOT NULL, decision_due TEXT NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('applied', 'approved', 'refused')),"
            " decided_on TEXT, refusal_reason TEXT)",
            "CREATE INDEX so_changes_organisation ON so_changes (organisation_id, status)",
            "CREATE INDEX so_changes_county ON so_changes (county_code, applied_on)",
            "CREATE TABLE so_filings ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL,"
            " organisation_id BIGINT NOT NULL REFERENCES so_organisations(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('seal', 'bank_account')),"
            " description TEXT NOT NULL, filed_on TEXT NOT NULL)",
            "CREATE INDEX so_filings_organisation ON so_filings (organisation_id, filed_on)",
            "CREATE INDEX so_filings_county ON so_filings (county_code, filed_on)"},
           {}},
          {6,
           "removal from the credit lists",
           {"ALTER TABLE so_listings ADD COLUMN removed_on TEXT",
            "ALTER TABLE so_listings ADD COLUMN removal_reason TEXT"},
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
      " deregistered_on <= :to AND revoked_on IS NULL";
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
  penaltyIndicators(declared);
  return declared;
}

namespace {

/// Each township's (whole, part), and the county's under "".
using Shares = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

std::int64_t permille(std::pair<std::int64_t, std::int64_t> share) {
  if (share.first == 0) return 0;
  return (2000 * share.second + share.first) / (2 * share.first);  // half up
}

/// The inspection of the year before the period's last day: organisations that owed it (in
/// existence on 31 December, not exempt) and those whose inspection is recorded by :to.
Shares participation(soci::session& db, const sdk::IndicatorQuery& query) {
  const int year = query.to.year() - 1;
  const std::string year_end = std::to_string(year) + "-12-31", to = query.to.toString();
  Shares shares;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT o.type, o.township, o.registered_on, (SELECT COUNT(*) FROM"
                     " so_inspections i WHERE i.organisation_id = o.id AND i.year = :y AND"
                     " i.result_on <= :to) FROM so_organisations o WHERE o.county_code = :c AND"
                     " o.registered_on IS NOT NULL AND o.registered_on <= :e AND"
                     " (o.deregistered_on IS NULL OR o.deregistered_on > :e2)",
       soci::use(year), soci::use(to), soci::use(query.county), soci::use(year_end),
       soci::use(year_end));
  for (const auto& row : rows) {
    const auto registered = sdk::Date::parse(sdk::sql::textAt(row, 2));
    if (!registered || !inspectionRequired(sdk::sql::textAt(row, 0), *registered, year)) continue;
    const bool attended = sdk::sql::int64At(row, 3) > 0;
    for (const std::string& key : {std::string(), sdk::sql::textAt(row, 1)}) {
      ++shares[key].first;
      if (attended) ++shares[key].second;
    }
  }
  return shares;
}

std::vector<sdk::TownshipValue> townshipPermille(const Shares& shares) {
  std::vector<sdk::TownshipValue> values;
  for (const auto& [township, share] : shares)
    if (!township.empty()) values.push_back({township, permille(share)});
  return values;
}

}  // namespace

void SocialOrgsPlugin::penaltyIndicators(std::vector<sdk::IndicatorDeclaration>& declared) const {
  declared.push_back(sdk::IndicatorDeclaration{
      .id = "inspection_participation_permille",
      .name = {"年检参检率（‰）", "Annual inspection participation (per mille)"},
      .unit = "permille",
      .description =
          {"期末上一年度应参加年检的组织（当年12月31日存续、不属免检）中，期末前已登记年检"
           "结论的 × 1000，四舍五入",
           "Of the organisations that owed the inspection of the year before the "
           "period's last day (in existence on its 31 December, not exempt), those "
           "with a result recorded by the period's end, × 1000, half up"},
      .compute =
          [](soci::session& db, const sdk::IndicatorQuery& query) {
            const auto shares = participation(db, query);
            const auto county = shares.find("");
            return county == shares.end() ? std::int64_t{0} : permille(county->second);
          },
      .measure = sdk::Measure::Ratio,
      .by_township =
          [](soci::session& db, const sdk::IndicatorQuery& query) {
            return townshipPermille(participation(db, query));
          }});
  const std::string inspections =
      " FROM so_inspections i JOIN so_organisations o ON o.id = i.organisation_id WHERE"
      " i.county_code = :county AND i.result_on >= :from AND i.result_on <= :to";
  const std::string pass_rate =
      "CASE WHEN COUNT(*) = 0 THEN 0 ELSE (2000 * SUM(CASE WHEN i.result = 'passed' THEN 1 ELSE 0"
      " END) + COUNT(*)) / (2 * COUNT(*)) END";
  declared.push_back(sdk::sqlIndicator(
      "inspection_pass_permille", {"年检合格率（‰）", "Annual inspection pass rate (per mille)"},
      sdk::Measure::Ratio, "permille",
      {"期间内作出的年检结论中合格（不含基本合格）的 × 1000，四舍五入",
       "Of the inspection results given in the period, those 合格 (基本合格 not counted), "
       "× 1000, half up"},
      "SELECT " + pass_rate + inspections,
      "SELECT o.township, " + pass_rate + inspections + " GROUP BY o.township"));
  const std::string decided =
      " FROM so_penalties p JOIN so_organisations o ON o.id = p.organisation_id WHERE"
      " p.county_code = :county AND p.decided_on >= :from AND p.decided_on <= :to";
  declared.push_back(sdk::sqlIndicator(
      "penalties", {"行政处罚决定", "Penalty decisions"}, sdk::Measure::Count, "cases",
      {"期间内作出的行政处罚决定", "Penalties decided in the period"}, "SELECT COUNT(*)" + decided,
      "SELECT o.township, COUNT(*)" + decided + " GROUP BY o.township"));
  declared.push_back(sdk::sqlIndicator(
      "penalty_fines", {"罚款金额", "Fines imposed"}, sdk::Measure::Money, "fen",
      {"期间内决定的罚款合计", "Fines decided in the period"}, "SELECT SUM(p.fine_fen)" + decided,
      "SELECT o.township, SUM(p.fine_fen)" + decided + " GROUP BY o.township"));
  const std::string overdue =
      " FROM so_penalties p JOIN so_organisations o ON o.id = p.organisation_id WHERE"
      " p.county_code = :county AND p.opened_on <= :to AND (p.decided_on IS NULL OR"
      " p.decided_on > :to) AND p.decision_due < :to";  // as the period's end saw it
  declared.push_back(sdk::sqlIndicator(
      "overdue_penalties", {"逾期未决定的处罚案件", "Penalty cases overdue"}, sdk::Measure::Count,
      "cases",
      {"立案满90日仍未作出决定（期末）", "Undecided after their due day, at the period's end"},
      "SELECT COUNT(*)" + overdue,
      "SELECT o.township, COUNT(*)" + overdue + " GROUP BY o.township"));
  const std::string revoked =
      " FROM so_organisations WHERE county_code = :county AND revoked_on >= :from AND"
      " revoked_on <= :to";
  declared.push_back(sdk::sqlIndicator(
      "revoked", {"撤销登记组织", "Registrations revoked"}, sdk::Measure::Count, "organisations",
      {"期间内以行政处罚撤销登记", "Registrations revoked by a penalty in the period"},
      "SELECT COUNT(*)" + revoked, "SELECT township, COUNT(*)" + revoked + " GROUP BY township"));
  const std::string changes =
      " FROM so_changes c JOIN so_organisations o ON o.id = c.organisation_id WHERE"
      " c.county_code = :county AND c.status = 'approved' AND c.decided_on >= :from AND"
      " c.decided_on <= :to";
  declared.push_back(
      sdk::sqlIndicator("changes_approved", {"核准变更登记、章程", "Changes and charters approved"},
                        sdk::Measure::Count, "applications",
                        {"期间内核准的变更登记和章程核准",
                         "Change registrations and charters approved in the period"},
                        "SELECT COUNT(*)" + changes,
                        "SELECT o.township, COUNT(*)" + changes + " GROUP BY o.township"));
  const std::string overdue_changes =
      " FROM so_changes c JOIN so_organisations o ON o.id = c.organisation_id WHERE"
      " c.county_code = :county AND c.applied_on <= :to AND (c.decided_on IS NULL OR"
      " c.decided_on > :to) AND c.decision_due < :to";  // as the period's end saw it
  declared.push_back(sdk::sqlIndicator(
      "overdue_changes", {"逾期未决定的变更申请", "Change decisions overdue"}, sdk::Measure::Count,
      "applications",
      {"申请满30日仍未决定（期末）", "Undecided after their due day, at the period's end"},
      "SELECT COUNT(*)" + overdue_changes,
      "SELECT o.township, COUNT(*)" + overdue_changes + " GROUP BY o.township"));
  const std::string bans =
      " FROM so_bans WHERE county_code = :county AND decided_on >= :from AND decided_on <= :to";
  declared.push_back(sdk::sqlIndicator(
      "bans", {"取缔非法社会组织", "Illegal organisations banned"}, sdk::Measure::Count, "cases",
      {"期间内作出的取缔决定（民政部令第77号）", "Bans decided in the period"},
      "SELECT COUNT(*)" + bans, "SELECT township, COUNT(*)" + bans + " GROUP BY township"));
}

void SocialOrgsPlugin::start(sdk::Context& context) {
  lists_ = std::make_unique<sdk::KeptQueryCache>(context.storage());
  context_ = &context;
  addRoutes();
}

void SocialOrgsPlugin::stop() noexcept { lists_.reset(); }

}  // namespace civ::plugins::social_orgs
