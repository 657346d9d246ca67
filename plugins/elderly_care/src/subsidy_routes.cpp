// Subsidies: the construction subsidy per new bed, prepared by one approver and payable once a
// second confirms it, then paid by the next monthly run; and the paged lines of a run (the
// runs themselves are the SDK's payment runs, subsidy_payments.h).
#include <algorithm>
#include <iterator>
#include <map>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
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
    " s.amount_fen, s.status, s.prepared_by, s.confirmed_by, s.confirmed_on, p.month FROM"
    " ec_construction_subsidies s JOIN ec_institutions i ON i.id = s.institution_id"
    " LEFT JOIN ec_payment_runs p ON p.id = s.paid_in_run";

json constructionRow(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"institution_id", sdk::sql::int64At(row, 1)},
                          {"institution", sdk::sql::textAt(row, 2)},
                          {"new_beds", sdk::sql::int64At(row, 3)},
                          {"completed_on", sdk::sql::textAt(row, 4)},
                          {"per_bed", sdk::Money::fromFen(sdk::sql::int64At(row, 5)).toString()},
                          {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 6)).toString()},
                          {"status", sdk::sql::textAt(row, 7)},
                          {"prepared_by", sdk::sql::textAt(row, 8)},
                          {"confirmed_by", sdk::sql::textOrNullAt(row, 9)},
                          {"confirmed_on", sdk::sql::textOrNullAt(row, 10)},
                          {"paid_in_month", sdk::sql::textOrNullAt(row, 11)}});
}

std::size_t careLevelOrder(const std::string& level) {
  for (std::size_t i = 0; i < std::size(kCareLevelOptions); ++i)
    if (level == kCareLevelOptions[i].code) return i;
  return std::size(kCareLevelOptions);
}

json constructionJson(soci::session& db, long long id) {
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kConstructionColumns) + " WHERE s.id = :id", soci::use(id));
  for (const auto& row : rows) return constructionRow(row);
  throw sdk::NotFound("no construction subsidy " + std::to_string(id));
}

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
  if (auto paid = request.queryParam("paid"))
    query.add(*paid == "true" ? "s.paid_in_run IS NOT NULL" : "s.paid_in_run IS NULL");
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

sdk::Response ElderlyCarePlugin::listSubsidyLines(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the subsidy roll");
  auto& db = request.db();
  const std::string month = request.pathParam("month");
  if (!sdk::Month::parse(month)) throw sdk::NotFound("no payment run for month '" + month + "'");
  long long run_id = 0;
  soci::indicator present = soci::i_null;
  db << "SELECT id FROM ec_payment_runs WHERE county_code = :c AND month = :m",
      soci::into(run_id, present), soci::use(request.county()), soci::use(month);
  if (present != soci::i_ok)
    throw sdk::NotFound("no payment run for " + month + " in county " + request.county());
  const auto page = sdk::ListRequest::from(request, kSubsidyLineList);
  sdk::ListQuery query("r.county_code", request.county());
  query.add("l.run_id = " + query.number(run_id));
  if (auto institution = request.queryParam("institution_id"))
    query.add("l.institution_id = " + query.number(std::stoll(*institution)));
  if (auto program = request.queryParam("program"))
    query.add("l.program = " + query.text(*program));
  if (auto kind = request.queryParam("kind")) query.add("l.kind = " + query.text(*kind));
  if (auto township = request.queryParam("township"))
    query.add("i.township = " + query.text(*township));
  const std::string has_account = "(i.bank_account IS NOT NULL AND i.bank_account <> '')";
  if (auto account = request.queryParam("bank_account"))
    query.add(*account == "true" ? has_account : "NOT " + has_account);
  const std::string tables =
      " FROM ec_payment_lines l JOIN ec_payment_runs r ON r.id = l.run_id"
      " JOIN ec_institutions i ON i.id = l.institution_id";
  const auto total = query.count(*lists_, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT l.id, l.institution_id, i.name, i.township, i.receipt_number, l.program, l.kind,"
      " l.month, l.amount_fen, CASE WHEN " +
          has_account + " THEN 1 ELSE 0 END, l.adjustment_id" + tables + query.clause() + " AND " +
          page.keysetCondition("l.id") +
          page.orderAndLimit(
              {{"id", "l.id"}, {"institution", "i.name"}, {"amount", "l.amount_fen"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    const std::string kind = sdk::sql::textAt(row, 6);
    const auto subsidy = sdk::sql::optionalInt64At(row, 10);
    items.push_back(
        sdk::jsonObject({{"line_id", ids.back()},
                         {"institution_id", sdk::sql::int64At(row, 1)},
                         {"institution", sdk::sql::textAt(row, 2)},
                         {"township", sdk::sql::textAt(row, 3)},
                         {"receipt_number", sdk::sql::textOrNullAt(row, 4)},
                         {"program", sdk::sql::textAt(row, 5)},
                         {"kind", kind},
                         {"month", sdk::sql::textAt(row, 7)},
                         {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 8)).toString()},
                         {"has_bank_account", sdk::sql::int64At(row, 9) != 0},
                         {"construction_subsidy_id",
                          kind == "construction" && subsidy ? json(*subsidy) : json(nullptr)},
                         {"levels", json::array()}}));
  }
  // The care levels of the page's operating lines, in one query (the ids are integers).
  if (!ids.empty()) {
    std::string in;
    for (const auto id : ids) in += (in.empty() ? "" : ",") + std::to_string(id);
    std::map<std::int64_t, json> levels;
    soci::rowset<soci::row> detail =
        (db.prepare << "SELECT line_id, care_level, resident_months, rate_fen, amount_fen FROM"
                       " ec_subsidy_line_levels WHERE line_id IN (" +
                           in + ")");
    for (const auto& row : detail)
      levels[sdk::sql::int64At(row, 0)].push_back(
          sdk::jsonObject({{"care_level", sdk::sql::textAt(row, 1)},
                           {"resident_months", sdk::sql::int64At(row, 2)},
                           {"rate", sdk::Money::fromFen(sdk::sql::int64At(row, 3)).toString()},
                           {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 4)).toString()}}));
    for (auto& item : items) {
      const auto found = levels.find(item["line_id"].get<std::int64_t>());
      if (found == levels.end()) continue;
      // In the declared care-level order.
      auto list = found->second;
      std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
        return careLevelOrder(a["care_level"].get<std::string>()) <
               careLevelOrder(b["care_level"].get<std::string>());
      });
      item["levels"] = std::move(list);
    }
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}
}  // namespace civ::plugins::elderly_care
