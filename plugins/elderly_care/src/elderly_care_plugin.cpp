#include "elderly_care_plugin.h"

#include <cstdio>
#include <map>

#include <soci/soci.h>

#include <civ/sdk/calendar.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/month.h>
#include <civ/sdk/platform_events.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/schema.h>
#include <civ/sdk/sql.h>

#include "elderly_care_rules.h"
#include "parameters.h"

namespace civ::plugins::elderly_care {

namespace {

using nlohmann::json;

/// Two sums (part, whole) per township.
using Sums = std::map<std::string, std::pair<long long, long long>>;

Sums sums(soci::session& db, const std::string& sql, const sdk::IndicatorQuery& query) {
  const std::string to = query.to.toString();
  soci::rowset<soci::row> rows = (db.prepare << sql, soci::use(query.county), soci::use(to));
  Sums result;
  for (const auto& row : rows)
    result[sdk::sql::textAt(row, 0)] = {sdk::sql::optionalInt64At(row, 1).value_or(0),
                                        sdk::sql::optionalInt64At(row, 2).value_or(0)};
  return result;
}

std::int64_t countyShare(const Sums& by_township) {
  long long part = 0, whole = 0;
  for (const auto& [township, pair] : by_township) {
    part += pair.first;
    whole += pair.second;
  }
  return permille(part, whole);
}

std::vector<sdk::TownshipValue> townshipShares(const Sums& by_township) {
  std::vector<sdk::TownshipValue> values;
  for (const auto& [township, pair] : by_township)
    if (pair.second > 0) values.push_back({township, permille(pair.first, pair.second)});
  return values;
}

// Nursing beds and beds of institutions not closed, by township (bound: county, to).
const char* kNursingShareSql =
    "SELECT township, SUM(nursing_beds), SUM(beds) FROM ec_institutions WHERE county_code = :c"
    " AND status <> 'closed' AND registered_on <= :t GROUP BY township";
// Residents in residence on `to` and beds, by township.
const char* kOccupancySql =
    "SELECT i.township, (SELECT COUNT(*) FROM ec_residents r WHERE r.institution_id = i.id AND"
    " r.admitted_on <= q.d AND (r.discharged_on IS NULL OR r.discharged_on > q.d)), i.beds"
    " FROM ec_institutions i JOIN (SELECT CAST(:t AS TEXT) AS d) q ON 1 = 1"
    " WHERE i.county_code = :c AND i.status <> 'closed' AND i.registered_on <= q.d";

Sums occupancy(soci::session& db, const sdk::IndicatorQuery& query) {
  const std::string to = query.to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << kOccupancySql, soci::use(to), soci::use(query.county));
  Sums result;
  for (const auto& row : rows) {
    auto& pair = result[sdk::sql::textAt(row, 0)];
    pair.first += sdk::sql::int64At(row, 1);
    pair.second += sdk::sql::int64At(row, 2);
  }
  return result;
}

/// Resident-days in the period by township.
std::map<std::string, long long> residentDaysByTownship(soci::session& db,
                                                        const sdk::IndicatorQuery& query) {
  const std::string from = query.from.toString(), to = query.to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT i.township, r.admitted_on, r.discharged_on FROM ec_residents r JOIN"
                     " ec_institutions i ON i.id = r.institution_id WHERE r.county_code = :c AND"
                     " r.admitted_on <= :t AND (r.discharged_on IS NULL OR r.discharged_on > :f)",
       soci::use(query.county), soci::use(to), soci::use(from));
  std::map<std::string, long long> days;
  for (const auto& row : rows) {
    std::optional<sdk::Date> discharged;
    if (auto text = sdk::sql::optionalTextAt(row, 2)) discharged = sdk::Date::parse(*text);
    days[sdk::sql::textAt(row, 0)] +=
        residentDays(*sdk::Date::parse(sdk::sql::textAt(row, 1)), discharged, query.from, query.to);
  }
  return days;
}

std::string residentsOn(const std::string& extra) {
  return " FROM ec_residents r JOIN ec_institutions i ON i.id = r.institution_id"
         " JOIN (SELECT CAST(:to AS TEXT) AS d) q ON 1 = 1 WHERE r.county_code = :county AND"
         " r.admitted_on <= q.d AND (r.discharged_on IS NULL OR r.discharged_on > q.d)" +
         extra;
}

}  // namespace

namespace {

/// The legal or statistical source of each indicator (SDK 1.4), for the statistician who checks it.
sdk::LocalizedText indicatorSource(const std::string& id) {
  if (id.starts_with("nursing_bed"))
    return {"《“十四五”国家老龄事业发展和养老服务体系规划》（国发〔2021〕35号）护理型床位占比",
            "14th Five-Year Plan for ageing and elderly care (Guo Fa [2021] No. 35), nursing-bed "
            "share"};
  if (id.starts_with("tekun"))
    return {
        "《特困人员认定办法》（民发〔2021〕43号）；《社会救助暂行办法》第十九条 集中供养",
        "Measures for Determining Persons in Extreme Poverty (2021); Interim Measures on Social "
        "Assistance art. 19, institutional support"};
  if (id.starts_with("inspections") || id.starts_with("hazards") || id.starts_with("overdue"))
    return {"《养老机构管理办法》（民政部令第66号）第五章 监督检查",
            "Measures for the Administration of Elderly Care Institutions (MCA Decree 66) ch. 5, "
            "supervision and inspection"};
  return {"《养老机构管理办法》（民政部令第66号）；民政统计 养老机构",
          "Measures for the Administration of Elderly Care Institutions (MCA Decree 66); "
          "civil-affairs statistics, elderly care institutions"};
}

}  // namespace

void ElderlyCarePlugin::declare(sdk::Declarations& declarations) const {
  for (const auto& step : migrations()) declarations.migration(step);
  declarations.parameter(kAbilityLevels);
  declarations.parameter(kCareLevels);
  declarations.parameter(kMinimumBeds);
  declarations.parameter(kFilingDays);
  declarations.parameter(kInspectionIntervalMonths);
  declarations.parameter(kFineMaximum);
  declarations.parameter(kConstructionPerBed);
  declarations.parameter(kOperatingSelfCare);
  declarations.parameter(kOperatingAssisted);
  declarations.parameter(kOperatingNursing);
  declarations.parameter(kOperatingSpecial);
  for (auto declaration : indicators()) {
    declaration.source = indicatorSource(declaration.id);
    declarations.indicator(declaration);
  }
  for (const auto& event : events()) declarations.event(event);
}

std::vector<sdk::EventDeclaration> ElderlyCarePlugin::events() const {
  using namespace sdk::schema;
  const json payload = object({{"resident_id", id()},
                               {"person_id", id()},
                               {"institution_id", id()},
                               {"on_date", date()},
                               {"from_month", month()}});
  sdk::EventDeclaration admitted;
  admitted.name = kTekunAdmitted;
  admitted.description = {"特困人员入住养老机构（集中供养）",
                          "A 特困 person was admitted on 特困 support: institutional support "
                          "(集中供养) from `from_month`"};
  admitted.payload_schema = payload;
  sdk::EventDeclaration discharged;
  discharged.name = kTekunDischarged;
  discharged.description = {"特困人员退住（含死亡）",
                            "A 特困 person left the institution or its 特困 support ended: "
                            "institutional support ends after `on_date`'s month"};
  discharged.payload_schema = payload;
  return {admitted, discharged};
}

void ElderlyCarePlugin::publishTekun(soci::session& db, const char* event,
                                     const std::string& county, std::int64_t resident_id,
                                     std::int64_t person_id, std::int64_t institution_id,
                                     sdk::Date on) const {
  context_->events().publish(db, event, county,
                             {{"resident_id", resident_id},
                              {"person_id", person_id},
                              {"institution_id", institution_id},
                              {"on_date", on.toString()},
                              {"from_month", sdk::Month::of(on).plus(1).toString()}});
}

std::vector<sdk::Migration> ElderlyCarePlugin::migrations() const {
  return {{1,
           "institutions, status changes, filings, residents, assessments, absences, inspections,"
           " hazards, penalties, subsidies, counters",
           {"CREATE TABLE ec_institutions ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, name TEXT NOT NULL,"
            " uscc TEXT NOT NULL, profit TEXT NOT NULL CHECK (profit IN ('for_profit',"
            " 'non_profit')), ownership TEXT NOT NULL CHECK (ownership IN ('public', 'private')),"
            " registration_authority TEXT NOT NULL, address TEXT NOT NULL, township TEXT NOT NULL,"
            " legal_representative TEXT NOT NULL, beds INTEGER NOT NULL, nursing_beds INTEGER NOT"
            " NULL, floor_area_m2 INTEGER NOT NULL, grade INTEGER, status TEXT NOT NULL CHECK"
            " (status IN ('operating', 'suspended', 'closed')), first_admission_on TEXT,"
            " receipt_number TEXT, filed_on TEXT, registered_on TEXT NOT NULL,"
            " UNIQUE (county_code, uscc))",
            "CREATE INDEX ec_institutions_county ON ec_institutions (county_code, township)",
            "CREATE TABLE ec_status_changes ("
            " id {{ID_PRIMARY_KEY}}, institution_id BIGINT NOT NULL REFERENCES"
            " ec_institutions(id), status TEXT NOT NULL, on_date TEXT NOT NULL, reason TEXT NOT"
            " NULL, resettlement_plan TEXT, residents INTEGER NOT NULL, by_user TEXT NOT NULL)",
            "CREATE INDEX ec_status_changes_institution ON ec_status_changes (institution_id)",
            "CREATE TABLE ec_filings ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, institution_id BIGINT NOT NULL"
            " REFERENCES ec_institutions(id), submitted_on TEXT NOT NULL, materials TEXT NOT"
            " NULL, missing TEXT NOT NULL, receipt_number TEXT, submitted_by TEXT NOT NULL)",
            "CREATE INDEX ec_filings_institution ON ec_filings (institution_id)",
            "CREATE TABLE ec_residents ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, institution_id BIGINT NOT NULL"
            " REFERENCES ec_institutions(id), person_id BIGINT NOT NULL REFERENCES"
            " civ_persons(id), bed_number TEXT NOT NULL, admitted_on TEXT NOT NULL,"
            " ability_level TEXT NOT NULL, care_level TEXT NOT NULL, agreement_number TEXT NOT"
            " NULL, agreement_signed_on TEXT NOT NULL, emergency_name TEXT NOT NULL,"
            " emergency_phone TEXT NOT NULL, funding TEXT NOT NULL CHECK (funding IN"
            " ('self_paid', 'tekun', 'subsidy')), status TEXT NOT NULL, discharged_on TEXT,"
            " discharge_reason TEXT)",
            "CREATE INDEX ec_residents_institution ON ec_residents (institution_id)",
            "CREATE INDEX ec_residents_person ON ec_residents (person_id)",
            "CREATE INDEX ec_residents_county ON ec_residents (county_code, admitted_on)",
            "CREATE UNIQUE INDEX ec_residents_one_per_bed ON ec_residents (institution_id,"
            " bed_number) WHERE discharged_on IS NULL",
            "CREATE TABLE ec_assessments ("
            " id {{ID_PRIMARY_KEY}}, resident_id BIGINT NOT NULL REFERENCES ec_residents(id),"
            " assessed_on TEXT NOT NULL, reason TEXT NOT NULL, daily_living TEXT NOT NULL,"
            " mental_state TEXT NOT NULL, perception_communication TEXT NOT NULL,"
            " social_participation TEXT NOT NULL, result TEXT NOT NULL, care_level TEXT NOT NULL,"
            " assessor TEXT NOT NULL)",
            "CREATE INDEX ec_assessments_resident ON ec_assessments (resident_id)",
            "CREATE TABLE ec_absences ("
            " id {{ID_PRIMARY_KEY}}, resident_id BIGINT NOT NULL REFERENCES ec_residents(id),"
            " kind TEXT NOT NULL CHECK (kind IN ('leave', 'hospital')), start_on TEXT NOT NULL,"
            " end_on TEXT, note TEXT NOT NULL)",
            "CREATE INDEX ec_absences_resident ON ec_absences (resident_id)",
            "CREATE TABLE ec_inspections ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, institution_id BIGINT NOT NULL"
            " REFERENCES ec_institutions(id), inspected_on TEXT NOT NULL, inspectors TEXT NOT"
            " NULL, findings TEXT NOT NULL, recorded_by TEXT NOT NULL)",
            "CREATE INDEX ec_inspections_institution ON ec_inspections (institution_id,"
            " inspected_on)",
            "CREATE TABLE ec_hazards ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, institution_id BIGINT NOT NULL"
            " REFERENCES ec_institutions(id), inspection_id BIGINT NOT NULL REFERENCES"
            " ec_inspections(id), category TEXT, major_situation INTEGER, description TEXT NOT"
            " NULL, found_on TEXT NOT NULL, deadline TEXT NOT NULL, status TEXT NOT NULL CHECK"
            " (status IN ('open', 'closed')), rechecked_on TEXT, closed_on TEXT)",
            "CREATE INDEX ec_hazards_institution ON ec_hazards (institution_id)",
            "CREATE INDEX ec_hazards_inspection ON ec_hazards (inspection_id)",
            "CREATE INDEX ec_hazards_county ON ec_hazards (county_code, status, deadline)",
            "CREATE TABLE ec_hazard_rechecks ("
            " id {{ID_PRIMARY_KEY}}, hazard_id BIGINT NOT NULL REFERENCES ec_hazards(id),"
            " on_date TEXT NOT NULL, rectified INTEGER NOT NULL, note TEXT NOT NULL,"
            " new_deadline TEXT, by_user TEXT NOT NULL)",
            "CREATE INDEX ec_hazard_rechecks_hazard ON ec_hazard_rechecks (hazard_id)",
            "CREATE TABLE ec_penalties ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, institution_id BIGINT NOT NULL"
            " REFERENCES ec_institutions(id), kind TEXT NOT NULL CHECK (kind IN ('warning',"
            " 'fine')), amount_fen BIGINT NOT NULL, decided_on TEXT NOT NULL, basis TEXT NOT"
            " NULL, by_user TEXT NOT NULL)",
            "CREATE INDEX ec_penalties_institution ON ec_penalties (institution_id)",
            "CREATE TABLE ec_construction_subsidies ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, institution_id BIGINT NOT NULL"
            " REFERENCES ec_institutions(id), new_beds INTEGER NOT NULL, completed_on TEXT NOT"
            " NULL, per_bed_fen BIGINT NOT NULL, amount_fen BIGINT NOT NULL, status TEXT NOT NULL"
            " CHECK (status IN ('prepared', 'confirmed')), prepared_by TEXT NOT NULL,"
            " prepared_on TEXT NOT NULL, confirmed_by TEXT, confirmed_on TEXT)",
            "CREATE INDEX ec_construction_institution ON ec_construction_subsidies"
            " (institution_id)",
            "CREATE TABLE ec_runs ("
            " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, month TEXT NOT NULL,"
            " status TEXT NOT NULL CHECK (status IN ('prepared', 'confirmed')),"
            " total_fen BIGINT NOT NULL, prepared_by TEXT NOT NULL, prepared_on TEXT NOT NULL,"
            " confirmed_by TEXT, confirmed_on TEXT, UNIQUE (county_code, month))",
            "CREATE TABLE ec_run_lines ("
            " id {{ID_PRIMARY_KEY}}, run_id BIGINT NOT NULL REFERENCES ec_runs(id),"
            " institution_id BIGINT NOT NULL REFERENCES ec_institutions(id), care_level TEXT NOT"
            " NULL, resident_months INTEGER NOT NULL, rate_fen BIGINT NOT NULL, amount_fen BIGINT"
            " NOT NULL)",
            "CREATE INDEX ec_run_lines_run ON ec_run_lines (run_id)",
            "CREATE INDEX ec_run_lines_institution ON ec_run_lines (institution_id)",
            "CREATE TABLE ec_counters ("
            " county_code TEXT NOT NULL, kind TEXT NOT NULL, year INTEGER NOT NULL, last_value"
            " BIGINT NOT NULL, PRIMARY KEY (county_code, kind, year))"},
           {}},
          {2,
           "subsidies are paid through the SDK's payment runs (ec_payment_runs, ec_payment_lines,"
           " ec_cancelled_runs): the runs made before are carried over with their care levels"
           " (ec_subsidy_line_levels); institutions have a bank account; a confirmed construction"
           " subsidy is paid by the next run",
           subsidyRunMigration(),
           {}}};
}

std::vector<sdk::IndicatorDeclaration> ElderlyCarePlugin::indicators() const {
  const std::string institutions =
      " FROM ec_institutions WHERE county_code = :county AND status <> 'closed' AND"
      " registered_on <= :to";
  std::vector<sdk::IndicatorDeclaration> list = {
      sdk::sqlIndicator("institutions", {"养老机构数", "Institutions"}, sdk::Measure::Count,
                        "institutions",
                        {"期末在册且未终止的养老机构",
                         "Institutions registered by the period's "
                         "end and not closed"},
                        "SELECT COUNT(*)" + institutions,
                        "SELECT township, COUNT(*)" + institutions + " GROUP BY township"),
      sdk::sqlIndicator("beds", {"床位数", "Beds"}, sdk::Measure::Count, "beds",
                        {"未终止机构的床位合计", "Beds of the institutions not closed"},
                        "SELECT SUM(beds)" + institutions,
                        "SELECT township, SUM(beds)" + institutions + " GROUP BY township"),
      sdk::sqlIndicator("nursing_beds", {"护理型床位数", "Nursing-type beds"}, sdk::Measure::Count,
                        "beds",
                        {"未终止机构的护理型床位合计", "Nursing-type beds of the institutions"},
                        "SELECT SUM(nursing_beds)" + institutions,
                        "SELECT township, SUM(nursing_beds)" + institutions + " GROUP BY township"),
      sdk::IndicatorDeclaration{
          .id = "nursing_bed_share_permille",
          .name = {"护理型床位占比（‰）", "Nursing-bed share (per mille)"},
          .unit = "permille",
          .description = {"护理型床位 / 床位 × 1000，四舍五入（目标 ≥550‰）",
                          "Nursing-type beds / beds × 1000, half up (national target ≥ 55%)"},
          .compute =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                return countyShare(sums(db, kNursingShareSql, query));
              },
          .measure = sdk::Measure::Ratio,
          .by_township =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                return townshipShares(sums(db, kNursingShareSql, query));
              }},
      sdk::sqlIndicator("residents", {"在院老人数", "Residents"}, sdk::Measure::Count, "persons",
                        {"期末在院（含请假、住院）",
                         "In residence on the period's last day "
                         "(leave and hospital stays included)"},
                        "SELECT COUNT(*)" + residentsOn(""),
                        "SELECT i.township, COUNT(*)" + residentsOn(" GROUP BY i.township")),
      sdk::IndicatorDeclaration{
          .id = "occupancy_permille",
          .name = {"入住率（‰）", "Occupancy (per mille)"},
          .unit = "permille",
          .description = {"期末在院老人数 / 床位数 × 1000，四舍五入",
                          "Residents on the period's last day / beds × 1000, half up"},
          .compute =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                return countyShare(occupancy(db, query));
              },
          .measure = sdk::Measure::Ratio,
          .by_township =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                return townshipShares(occupancy(db, query));
              }},
      sdk::sqlIndicator(
          "tekun_residents", {"集中供养特困人员数", "特困 persons in institutional support"},
          sdk::Measure::Count, "persons",
          {"期末在院且经费为特困集中供养", "In residence on the last day, funded as 特困 support"},
          "SELECT COUNT(*)" + residentsOn(" AND r.funding = 'tekun'"),
          "SELECT i.township, COUNT(*)" +
              residentsOn(" AND r.funding = 'tekun' GROUP BY i.township")),
      sdk::IndicatorDeclaration{
          .id = "resident_days",
          .name = {"在院总人天数", "Resident-days"},
          .unit = "days",
          .description = {"期间内每位老人在院天数之和（出院当天不计）",
                          "Days in residence within the period, summed (the discharge day not "
                          "counted)"},
          .compute =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                long long total = 0;
                for (const auto& [township, days] : residentDaysByTownship(db, query))
                  total += days;
                return static_cast<std::int64_t>(total);
              },
          .measure = sdk::Measure::Count,
          .by_township =
              [](soci::session& db, const sdk::IndicatorQuery& query) {
                std::vector<sdk::TownshipValue> values;
                for (const auto& [township, days] : residentDaysByTownship(db, query))
                  values.push_back({township, days});
                return values;
              }},
      sdk::IndicatorDeclaration{
          .id = "overdue_filings",
          .name = {"逾期未备案机构", "Institutions with an overdue filing"},
          .unit = "institutions",
          .description = {"收住首位老人后10个工作日内未取得备案回执（按期末日计）",
                          "No filing receipt within the working days after the first admission, "
                          "on the period's last day"},
          .compute =
              [this](soci::session& db, const sdk::IndicatorQuery& query) {
                return static_cast<std::int64_t>(
                    overdueFilingsOf(db, query.county, query.to).size());
              },
          .measure = sdk::Measure::Count,
          .by_township =
              [this](soci::session& db, const sdk::IndicatorQuery& query) {
                std::map<std::string, std::int64_t> counts;
                for (const auto& overdue : overdueFilingsOf(db, query.county, query.to))
                  ++counts[overdue.township];
                std::vector<sdk::TownshipValue> values;
                for (const auto& [township, n] : counts) values.push_back({township, n});
                return values;
              }},
  };
  list.push_back(sdk::IndicatorDeclaration{
      .id = "overdue_inspections",
      .name = {"逾期未现场检查机构", "Institutions overdue for the yearly inspection"},
      .unit = "institutions",
      .description = {"期末日距上次现场检查（或登记）已超过检查间隔",
                      "On the period's last day, the inspection interval has passed since the "
                      "last on-site inspection (or the registration)"},
      .compute =
          [this](soci::session& db, const sdk::IndicatorQuery& query) {
            return static_cast<std::int64_t>(
                overdueInspectionsOf(db, query.county, query.to).size());
          },
      .measure = sdk::Measure::Count,
      .by_township =
          [this](soci::session& db, const sdk::IndicatorQuery& query) {
            std::map<std::string, std::int64_t> counts;
            for (const auto& township : overdueInspectionsOf(db, query.county, query.to))
              ++counts[township];
            std::vector<sdk::TownshipValue> values;
            for (const auto& [township, n] : counts) values.push_back({township, n});
            return values;
          }});
  for (const auto& option : kCareLevelOptions) {
    const std::string code = option.code;
    list.push_back(sdk::sqlIndicator(
        "residents_care_" + code,
        {std::string("在院老人：") + option.zh, std::string("Residents, care level ") + option.en},
        sdk::Measure::Count, "persons",
        {"期末在院且照料护理等级为" + std::string(option.zh),
         "In residence on the last day at care level " + code},
        "SELECT COUNT(*)" + residentsOn(" AND r.care_level = '" + code + "'"),
        "SELECT i.township, COUNT(*)" +
            residentsOn(" AND r.care_level = '" + code + "' GROUP BY i.township")));
  }
  const std::string inspections =
      " FROM ec_inspections x JOIN ec_institutions i ON i.id = x.institution_id WHERE"
      " x.county_code = :county AND x.inspected_on >= :from AND x.inspected_on <= :to";
  const std::string found =
      " FROM ec_hazards h JOIN ec_institutions i ON i.id = h.institution_id WHERE"
      " h.county_code = :county AND h.found_on >= :from AND h.found_on <= :to";
  const std::string rectified =
      " FROM ec_hazards h JOIN ec_institutions i ON i.id = h.institution_id WHERE"
      " h.county_code = :county AND h.closed_on >= :from AND h.closed_on <= :to";
  const std::string open =
      " FROM ec_hazards h JOIN ec_institutions i ON i.id = h.institution_id JOIN (SELECT"
      " CAST(:to AS TEXT) AS d) q ON 1 = 1 WHERE h.county_code = :county AND h.found_on <= q.d"
      " AND (h.closed_on IS NULL OR h.closed_on > q.d)";
  list.push_back(sdk::sqlIndicator(
      "inspections", {"现场检查次数", "On-site inspections"}, sdk::Measure::Count, "inspections",
      {"检查日期在期间内", "Inspections dated in the period"}, "SELECT COUNT(*)" + inspections,
      "SELECT i.township, COUNT(*)" + inspections + " GROUP BY i.township"));
  list.push_back(sdk::sqlIndicator(
      "hazards_found", {"发现隐患", "Hazards found"}, sdk::Measure::Count, "hazards",
      {"发现日期在期间内", "Hazards found in the period"}, "SELECT COUNT(*)" + found,
      "SELECT i.township, COUNT(*)" + found + " GROUP BY i.township"));
  list.push_back(sdk::sqlIndicator(
      "hazards_rectified", {"整改销号隐患", "Hazards rectified"}, sdk::Measure::Count, "hazards",
      {"复查销号日期在期间内", "Hazards closed after re-check in the period"},
      "SELECT COUNT(*)" + rectified,
      "SELECT i.township, COUNT(*)" + rectified + " GROUP BY i.township"));
  list.push_back(sdk::sqlIndicator(
      "hazards_open", {"整改中隐患", "Hazards open"}, sdk::Measure::Count, "hazards",
      {"期末尚未销号", "Not closed on the period's last day"}, "SELECT COUNT(*)" + open,
      "SELECT i.township, COUNT(*)" + open + " GROUP BY i.township"));
  list.push_back(sdk::sqlIndicator(
      "hazards_overdue", {"逾期未整改隐患", "Hazards past their deadline"}, sdk::Measure::Count,
      "hazards", {"期末尚未销号且已过整改期限", "Open on the last day and past the deadline"},
      "SELECT COUNT(*)" + open + " AND h.deadline < q.d",
      "SELECT i.township, COUNT(*)" + open + " AND h.deadline < q.d GROUP BY i.township"));
  return list;
}

void ElderlyCarePlugin::start(sdk::Context& context) {
  lists_ = std::make_unique<sdk::KeptQueryCache>(context.storage());
  context_ = &context;
  payments_ = std::make_unique<SubsidyPayments>(context);
  payment_runs_ = std::make_unique<sdk::PaymentRuns>(context, subsidyRunSpec(), *payments_);
  addRoutes();
  subscribeToEvents();
}

void ElderlyCarePlugin::stop() noexcept { lists_.reset(); }

void ElderlyCarePlugin::subscribeToEvents() {
  // A death discharges the person's residence on the date of death, in whichever county the
  // residence is, audited there (the event may come from another county's funeral module).
  context_->events().subscribe(
      sdk::platform::kPersonDeceased, "discharge_on_death",
      [this](soci::session& db, const sdk::Event& event) {
        const long long person = event.payload.at("person_id").get<std::int64_t>();
        const std::string death = event.payload.at("death_date").get<std::string>();
        soci::rowset<soci::row> rows =
            (db.prepare << "SELECT id, county_code, status, admitted_on, funding, institution_id"
                           " FROM ec_residents WHERE person_id = :p AND discharged_on IS NULL",
             soci::use(person));
        std::vector<
            std::tuple<long long, std::string, std::string, std::string, std::string, long long>>
            residences;
        for (const auto& row : rows)
          residences.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                                  sdk::sql::textAt(row, 2), sdk::sql::textAt(row, 3),
                                  sdk::sql::textAt(row, 4), sdk::sql::int64At(row, 5));
        for (const auto& [id, county, status, admitted, funding, institution] : residences) {
          // A death recorded before the admission (a data error elsewhere) still ends the stay,
          // on the admission day at the earliest.
          const std::string on = death < admitted ? admitted : death;
          long long key = id;
          db << "UPDATE ec_residents SET status = 'deceased', discharged_on = :d,"
                " discharge_reason = 'deceased' WHERE id = :id",
              soci::use(on), soci::use(key);
          db << "UPDATE ec_absences SET end_on = :d WHERE resident_id = :id AND end_on IS NULL",
              soci::use(on), soci::use(key);
          context_->events().audit(
              db, event, county,
              {sizeof(sdk::AuditRecord),
               "resident.death",
               "resident",
               std::to_string(id),
               {{"status", {{"old", status}, {"new", "deceased"}}},
                {"discharged_on", {{"old", nullptr}, {"new", on}}},
                {"discharge_reason", {{"old", nullptr}, {"new", "deceased"}}}}});
          if (funding == "tekun")
            publishTekun(db, kTekunDischarged, county, id, person, institution,
                         *sdk::Date::parse(on));
        }
      });
}

// --- Shared helpers ---------------------------------------------------------------------------

sdk::Date dateOf(const json& value) { return *sdk::Date::parse(value.get<std::string>()); }

void notInFuture(sdk::Date date, sdk::Date today, const std::string& field) {
  if (date > today)
    throw sdk::ValidationError(
        field, "not-in-future",
        "the date " + date.toString() + " is after today " + today.toString());
}

std::string nextNumber(soci::session& db, const std::string& county, const std::string& kind,
                       int year) {
  long long sequence = 0;
  db << "INSERT INTO ec_counters (county_code, kind, year, last_value) VALUES (:c, :k, :y, 1)"
        " ON CONFLICT (county_code, kind, year) DO UPDATE SET last_value ="
        " ec_counters.last_value + 1 RETURNING last_value",
      soci::use(county), soci::use(kind), soci::use(year), soci::into(sequence);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s%s-%04d-%06lld", kind.c_str(), county.c_str(), year,
                sequence);
  return buffer;
}

sdk::Date ElderlyCarePlugin::filingDeadline(const std::string& county,
                                            sdk::Date first_admission) const {
  const auto days = context_->policy().get(kFilingDays, county, first_admission);
  return elderly_care::filingDeadline(context_->calendar(), first_admission, static_cast<int>(days))
      .date;
}

std::vector<ElderlyCarePlugin::OverdueFiling> ElderlyCarePlugin::overdueFilingsOf(
    soci::session& db, const std::string& county, sdk::Date today) const {
  const std::string day = today.toString();
  // Not receipted by `today` (a receipt issued later does not undo past overdue days).
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, name, township, first_admission_on FROM ec_institutions WHERE"
                     " county_code = :c AND first_admission_on IS NOT NULL AND first_admission_on"
                     " <= :d AND (filed_on IS NULL OR filed_on > :d2) AND status <> 'closed'"
                     " ORDER BY id",
       soci::use(county), soci::use(day), soci::use(day));
  std::vector<OverdueFiling> overdue;
  for (const auto& row : rows) {
    const auto first = *sdk::Date::parse(sdk::sql::textAt(row, 3));
    const auto deadline = filingDeadline(county, first);
    if (filingOverdue(deadline, today))
      overdue.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                         sdk::sql::textAt(row, 2), first, deadline});
  }
  return overdue;
}

std::vector<std::string> ElderlyCarePlugin::overdueInspectionsOf(soci::session& db,
                                                                 const std::string& county,
                                                                 sdk::Date day) const {
  const auto months =
      static_cast<int>(context_->policy().get(kInspectionIntervalMonths, county, day));
  const std::string text = day.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT i.township, i.registered_on, (SELECT MAX(x.inspected_on) FROM"
                     " ec_inspections x WHERE x.institution_id = i.id AND x.inspected_on <= :d)"
                     " FROM ec_institutions i WHERE i.county_code = :c AND i.status <> 'closed'"
                     " AND i.registered_on <= :d2",
       soci::use(text), soci::use(county), soci::use(text));
  std::vector<std::string> townships;
  for (const auto& row : rows) {
    std::optional<sdk::Date> last;
    if (auto inspected = sdk::sql::optionalTextAt(row, 2)) last = sdk::Date::parse(*inspected);
    if (day > inspectionDue(last, *sdk::Date::parse(sdk::sql::textAt(row, 1)), months))
      townships.push_back(sdk::sql::textAt(row, 0));
  }
  return townships;
}

std::vector<std::string> ElderlyCarePlugin::abilityLevels(const std::string& county,
                                                          sdk::Date on) const {
  return context_->policy().get(kAbilityLevels, county, on);
}

std::vector<std::string> ElderlyCarePlugin::careLevels(const std::string& county,
                                                       sdk::Date on) const {
  return context_->policy().get(kCareLevels, county, on);
}

}  // namespace civ::plugins::elderly_care
