// Subsidies: construction subsidy per new bed and operating subsidy per resident-month by care
// level, each prepared by one approver and payable only once a second approver confirms it.
#include <map>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "elderly_care_plugin.h"
#include "elderly_care_rules.h"
#include "parameters.h"

namespace civ::plugins::elderly_care {

namespace {

using nlohmann::json;

const char* kConstructionColumns =
    "SELECT s.id, s.institution_id, i.name, s.new_beds, s.completed_on, s.per_bed_fen,"
    " s.amount_fen, s.status, s.prepared_by, s.confirmed_by, s.confirmed_on FROM"
    " ec_construction_subsidies s JOIN ec_institutions i ON i.id = s.institution_id";

json constructionRow(const soci::row& row) {
  return {{"id", sdk::sql::int64At(row, 0)},
          {"institution_id", sdk::sql::int64At(row, 1)},
          {"institution", sdk::sql::textAt(row, 2)},
          {"new_beds", sdk::sql::int64At(row, 3)},
          {"completed_on", sdk::sql::textAt(row, 4)},
          {"per_bed", sdk::Money::fromFen(sdk::sql::int64At(row, 5)).toString()},
          {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 6)).toString()},
          {"status", sdk::sql::textAt(row, 7)},
          {"prepared_by", sdk::sql::textAt(row, 8)},
          {"confirmed_by", sdk::sql::textOrNullAt(row, 9)},
          {"confirmed_on", sdk::sql::textOrNullAt(row, 10)}};
}

json constructionJson(soci::session& db, long long id) {
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kConstructionColumns) + " WHERE s.id = :id", soci::use(id));
  for (const auto& row : rows) return constructionRow(row);
  throw sdk::NotFound("no construction subsidy " + std::to_string(id));
}

struct Run {
  long long id = 0;
  std::string status;
  std::string prepared_by;
};

std::optional<Run> findRun(soci::session& db, const std::string& county, const std::string& month) {
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, status, prepared_by FROM ec_runs WHERE county_code = :c AND month"
                     " = :m",
       soci::use(county), soci::use(month));
  for (const auto& row : rows)
    return Run{sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2)};
  return std::nullopt;
}

json runJson(soci::session& db, long long id, bool with_lines) {
  json body;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, month, status, total_fen, prepared_by, confirmed_by, confirmed_on"
                     " FROM ec_runs WHERE id = :id",
       soci::use(id));
  for (const auto& row : rows)
    body = {{"id", sdk::sql::int64At(row, 0)},
            {"month", sdk::sql::textAt(row, 1)},
            {"status", sdk::sql::textAt(row, 2)},
            {"total", sdk::Money::fromFen(sdk::sql::int64At(row, 3)).toString()},
            {"prepared_by", sdk::sql::textAt(row, 4)},
            {"confirmed_by", sdk::sql::textOrNullAt(row, 5)},
            {"confirmed_on", sdk::sql::textOrNullAt(row, 6)}};
  if (body.is_null()) throw sdk::NotFound("no subsidy run " + std::to_string(id));
  if (!with_lines) return body;
  json lines = json::array();
  soci::rowset<soci::row> stored =
      (db.prepare << "SELECT l.institution_id, i.name, l.care_level, l.resident_months,"
                     " l.rate_fen, l.amount_fen FROM ec_run_lines l JOIN ec_institutions i ON"
                     " i.id = l.institution_id WHERE l.run_id = :id ORDER BY l.institution_id,"
                     " l.care_level",
       soci::use(id));
  for (const auto& row : stored)
    lines.push_back({{"institution_id", sdk::sql::int64At(row, 0)},
                     {"institution", sdk::sql::textAt(row, 1)},
                     {"care_level", sdk::sql::textAt(row, 2)},
                     {"resident_months", sdk::sql::int64At(row, 3)},
                     {"rate", sdk::Money::fromFen(sdk::sql::int64At(row, 4)).toString()},
                     {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 5)).toString()}});
  body["lines"] = lines;
  return body;
}

sdk::Month monthOf(sdk::Request& request) { return *sdk::Month::parse(request.pathParam("month")); }

}  // namespace

sdk::Response ElderlyCarePlugin::prepareConstruction(sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "a subsidy");
  const json& body = request.body();
  const auto institution = institutionField(
      db, request.county(), body["institution_id"].get<std::int64_t>(), "institution_id");
  const auto completed = dateOf(body["completed_on"]);
  notInFuture(completed, request.today(), "completed_on");
  const long long new_beds = body["new_beds"].get<long long>();
  if (!institution.receipt_number)
    throw sdk::ValidationError(
        "institution_id", "filed-institution",
        "subsidies go to filed institutions (备案); " + institution.name + " has no receipt");
  const long long key = institution.id;
  long long subsidised = 0;
  soci::rowset<soci::row> sums =
      (db.prepare
           << "SELECT SUM(new_beds) FROM ec_construction_subsidies WHERE institution_id = :i",
       soci::use(key));
  for (const auto& row : sums) subsidised = sdk::sql::optionalInt64At(row, 0).value_or(0);
  if (subsidised + new_beds > institution.beds)
    throw sdk::ValidationError("new_beds", "beds-subsidised-once",
                               std::to_string(subsidised) + " of the institution's " +
                                   std::to_string(institution.beds) +
                                   " beds have had a construction subsidy; " +
                                   std::to_string(new_beds) + " more exceed the beds");
  const auto per_bed = context_->policy().get(kConstructionPerBed, request.county(), completed);
  const auto amount = constructionSubsidy(new_beds, per_bed);
  const long long per_bed_fen = per_bed.fen(), amount_fen = amount.fen();
  const int beds = static_cast<int>(new_beds);
  const std::string day = completed.toString(), today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO ec_construction_subsidies (county_code, institution_id, new_beds,"
        " completed_on, per_bed_fen, amount_fen, status, prepared_by, prepared_on) VALUES (:c, :i,"
        " :n, :d, :p, :a, 'prepared', :by, :t) RETURNING id",
      soci::use(request.county()), soci::use(key), soci::use(beds), soci::use(day),
      soci::use(per_bed_fen), soci::use(amount_fen), soci::use(request.caller().user),
      soci::use(today), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "construction_subsidy.prepare", "construction_subsidy",
                 std::to_string(id),
                 sdk::changedFields(nullptr, {{"institution_id", institution.id},
                                              {"new_beds", new_beds},
                                              {"amount", amount.toString()},
                                              {"status", "prepared"}})});
  return sdk::Response::created(constructionJson(db, id), "/construction-subsidies");
}

sdk::Response ElderlyCarePlugin::confirmConstruction(sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "a subsidy");
  const long long id = request.pathId("id");
  std::string status, prepared_by;
  db << "SELECT status, prepared_by FROM ec_construction_subsidies WHERE id = :id AND"
        " county_code = :c",
      soci::into(status), soci::into(prepared_by), soci::use(id), soci::use(request.county());
  if (!db.got_data())
    throw sdk::NotFound("no construction subsidy " + std::to_string(id) + " in county " +
                        request.county());
  sdk::requireFourEyes(request.caller(), prepared_by, "construction subsidy " + std::to_string(id));
  if (status != "prepared")
    throw sdk::Conflict("construction subsidy " + std::to_string(id) + " is already confirmed");
  const std::string today = request.today().toString();
  db << "UPDATE ec_construction_subsidies SET status = 'confirmed', confirmed_by = :by,"
        " confirmed_on = :d WHERE id = :id",
      soci::use(request.caller().user), soci::use(today), soci::use(id);
  request.audit({sizeof(sdk::AuditRecord),
                 "construction_subsidy.confirm",
                 "construction_subsidy",
                 std::to_string(id),
                 {{"status", {{"old", "prepared"}, {"new", "confirmed"}}},
                  {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}}}});
  return sdk::Response::ok(constructionJson(db, id));
}

sdk::Response ElderlyCarePlugin::listConstruction(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kConstructionList);
  sdk::ListQuery query("s.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "i.township"));
  if (auto institution = request.queryParam("institution_id"))
    query.add("s.institution_id = " + query.number(std::stoll(*institution)));
  const auto total = query.count(
      db, " FROM ec_construction_subsidies s JOIN ec_institutions i ON i.id = s.institution_id");
  soci::rowset<soci::row> rows =
      query.rows(db, std::string(kConstructionColumns) + query.clause() + " AND " +
                         page.keysetCondition("s.id") +
                         page.orderAndLimit({{"id", "s.id"}, {"completed_on", "s.completed_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(constructionRow(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::prepareRun(sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "a subsidy run");
  const auto month = *sdk::Month::parse(request.body()["month"].get<std::string>());
  const std::string month_text = month.toString();
  if (month.lastDay() >= request.today())
    throw sdk::ValidationError("month", "month-ended",
                               "a month's operating subsidy is computed after the month ends");
  if (auto existing = findRun(db, request.county(), month_text))
    return sdk::Response::ok(runJson(db, existing->id, true));
  // Resident-months by institution and care level: filed institutions, residents in residence
  // on at least one day of the month.
  const std::string first = month.firstDay().toString(), last = month.lastDay().toString();
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT r.institution_id, r.care_level, r.admitted_on, r.discharged_on FROM"
                     " ec_residents r JOIN ec_institutions i ON i.id = r.institution_id WHERE"
                     " r.county_code = :c AND i.filed_on IS NOT NULL AND i.filed_on <= :l AND"
                     " r.admitted_on <= :l2 AND (r.discharged_on IS NULL OR r.discharged_on > :f)"
                     " ORDER BY r.institution_id, r.care_level",
       soci::use(request.county()), soci::use(last), soci::use(last), soci::use(first));
  std::map<std::pair<long long, std::string>, long long> months;
  for (const auto& row : rows) {
    std::optional<sdk::Date> discharged;
    if (auto text = sdk::sql::optionalTextAt(row, 3)) discharged = sdk::Date::parse(*text);
    if (residentMonth(*sdk::Date::parse(sdk::sql::textAt(row, 2)), discharged, month))
      ++months[{sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1)}];
  }
  const std::string today = request.today().toString();
  long long run_id = 0;
  const long long zero = 0;
  db << "INSERT INTO ec_runs (county_code, month, status, total_fen, prepared_by, prepared_on)"
        " VALUES (:c, :m, 'prepared', :t, :by, :d) RETURNING id",
      soci::use(request.county()), soci::use(month_text), soci::use(zero),
      soci::use(request.caller().user), soci::use(today), soci::into(run_id);
  sdk::Money total;
  for (const auto& [key, count] : months) {
    const auto* parameter = operatingSubsidy(key.second);
    const sdk::Money rate =
        parameter ? context_->policy().get(*parameter, request.county(), month.firstDay())
                  : sdk::Money{};
    const auto amount = elderly_care::operatingSubsidy({{count, rate}});
    total += amount;
    const long long institution = key.first, rate_fen = rate.fen(), amount_fen = amount.fen();
    const int resident_months = static_cast<int>(count);
    const std::string level = key.second;
    db << "INSERT INTO ec_run_lines (run_id, institution_id, care_level, resident_months,"
          " rate_fen, amount_fen) VALUES (:r, :i, :l, :n, :rate, :a)",
        soci::use(run_id), soci::use(institution), soci::use(level), soci::use(resident_months),
        soci::use(rate_fen), soci::use(amount_fen);
  }
  const long long total_fen = total.fen();
  db << "UPDATE ec_runs SET total_fen = :t WHERE id = :id", soci::use(total_fen), soci::use(run_id);
  request.audit(
      {sizeof(sdk::AuditRecord), "subsidy_run.prepare", "subsidy_run", month_text,
       sdk::changedFields(
           nullptr, {{"month", month_text}, {"total", total.toString()}, {"status", "prepared"}})});
  return sdk::Response::created(runJson(db, run_id, true), "/subsidy-runs/" + month_text);
}

sdk::Response ElderlyCarePlugin::confirmRun(sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "a subsidy run");
  const std::string month = monthOf(request).toString();
  const auto run = findRun(db, request.county(), month);
  if (!run) throw sdk::NotFound("no subsidy run for " + month);
  sdk::requireFourEyes(request.caller(), run->prepared_by, "the subsidy run of " + month);
  if (run->status != "prepared")
    throw sdk::Conflict("the subsidy run of " + month + " is confirmed");
  const std::string today = request.today().toString();
  db << "UPDATE ec_runs SET status = 'confirmed', confirmed_by = :by, confirmed_on = :d WHERE"
        " id = :id",
      soci::use(request.caller().user), soci::use(today), soci::use(run->id);
  request.audit({sizeof(sdk::AuditRecord),
                 "subsidy_run.confirm",
                 "subsidy_run",
                 month,
                 {{"status", {{"old", "prepared"}, {"new", "confirmed"}}},
                  {"confirmed_by", {{"old", nullptr}, {"new", request.caller().user}}}}});
  return sdk::Response::ok(runJson(db, run->id, true));
}

sdk::Response ElderlyCarePlugin::getRun(sdk::Request& request) {
  auto& db = request.db();
  const std::string month = monthOf(request).toString();
  const auto run = findRun(db, request.county(), month);
  if (!run) throw sdk::NotFound("no subsidy run for " + month);
  return sdk::Response::ok(runJson(db, run->id, true));
}

sdk::Response ElderlyCarePlugin::listRuns(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kRunList);
  sdk::ListQuery query("county_code", request.county());
  const auto total = query.count(db, " FROM ec_runs");
  soci::rowset<soci::row> rows = query.rows(
      db, "SELECT id FROM ec_runs" + query.clause() + " AND " + page.keysetCondition("id") +
              page.orderAndLimit({{"id", "id"}, {"month", "month"}}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  json items = json::array();
  for (const auto id : ids) items.push_back(runJson(db, id, false));
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response ElderlyCarePlugin::runRoll(sdk::Request& request) {
  auto& db = request.db();
  sdk::requireCountyWide(request.caller(), "the subsidy roll");
  const std::string month = monthOf(request).toString();
  const auto run = findRun(db, request.county(), month);
  if (!run) throw sdk::NotFound("no subsidy run for " + month);
  if (run->status != "confirmed")
    throw sdk::Conflict("run-confirmed: the subsidy run of " + month +
                        " is not confirmed by a second approver; nothing is payable yet");
  const json body = runJson(db, run->id, true);
  std::string csv = "institution_id,institution,care_level,resident_months,rate,amount\n";
  for (const auto& line : body["lines"]) {
    std::string name = line["institution"];
    std::string quoted = "\"";
    for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += "\"";
    csv += std::to_string(line["institution_id"].get<long long>()) + "," + quoted + "," +
           line["care_level"].get<std::string>() + "," +
           std::to_string(line["resident_months"].get<long long>()) + "," +
           line["rate"].get<std::string>() + "," + line["amount"].get<std::string>() + "\n";
  }
  csv += ",total,,,," + body["total"].get<std::string>() + "\n";
  return sdk::Response::file(sdk::kCsv, csv, "elderly-care-subsidy-" + month + ".csv");
}

}  // namespace civ::plugins::elderly_care
