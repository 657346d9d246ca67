// Finding records: the lists a clerk pages and filters (households, applications, cases, payment
// runs, adjustments), on the SDK's list convention, in the request's county and the caller's
// township scope. Each list is one statement for the page and one for the total; filters are
// bound (sdk::ListQuery), the page's keyset and order are spliced by the SDK from checked values.
#include "search_routes.h"

#include <set>

#include <soci/soci.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "case_store.h"
#include "kept_queries.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

/// A household with a member (present or past) who matches `condition` on p (civ_persons).
std::string withMember(const std::string& condition) {
  return "EXISTS (SELECT 1 FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
         " WHERE m.household_id = h.id AND " +
         condition + ")";
}

/// The filters the application and case lists share, on `record` (their alias) and its household
/// h: the caller's townships, then program, status, township and household_id when given.
void addRecordOfHouseholdFilters(sdk::ListQuery& query, const sdk::Request& request,
                                 const std::string& record) {
  query.add(sdk::townshipCondition(request.caller(), "h.township"));
  for (const std::string field : {"program", "status"})
    if (auto value = request.queryParam(field))
      query.add(record + "." + field + " = " + query.text(*value));
  if (auto township = request.queryParam("township"))
    query.add("h.township = " + query.text(*township));
  if (auto household = request.queryParam("household_id"))
    query.add(record + ".household_id = " + query.number(std::stoll(*household)));
}

/// The columns the application and case lists start with, of `record` and its household h.
std::string recordOfHouseholdColumns(const std::string& record) {
  return record + ".id, " + record + ".number, " + record + ".program, " + record + ".status, " +
         record + ".household_id, h.number, h.township";
}

/// The fields an application or case item starts with, from recordOfHouseholdColumns.
json recordOfHouseholdItem(const soci::row& row) {
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"number", sdk::sql::textAt(row, 1)},
                          {"program", sdk::sql::textAt(row, 2)},
                          {"status", sdk::sql::textAt(row, 3)},
                          {"household_id", sdk::sql::int64At(row, 4)},
                          {"household_number", sdk::sql::textAt(row, 5)},
                          {"township", sdk::sql::textAt(row, 6)}});
}

}  // namespace

const sdk::ListSpec kHouseholdList{{"number", "created_on", "township"}, "id", 20, 200};
const sdk::ListSpec kApplicationList{{"number", "received_on", "status"}, "-id", 20, 200};
const sdk::ListSpec kCaseList{{"number", "start_month", "status"}, "-id", 20, 200};
const sdk::ListSpec kAdjustmentList{{"month"}, "-id", 20, 200};
const sdk::ListSpec kPaymentLineList{{"case_number", "amount"}, "id", 50, 200};

sdk::Response SocialAssistancePlugin::listHouseholds(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kHouseholdList);
  auto& db = request.db();
  sdk::ListQuery query("h.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "h.township"));
  if (auto township = request.queryParam("township"))
    query.add("h.township = " + query.text(*township));
  // Filtered by place alone (the county, the caller's townships, a township), the total is the
  // townships' tallies (migration 7): a township of 20,000 households is not counted entry by
  // entry on every page. The clause names only h.county_code and h.township, which the tally
  // table has under the same alias.
  bool by_place_alone = true;
  if (auto village = request.queryParam("village")) {
    query.add("h.village = " + query.text(*village));
    by_place_alone = false;
  }
  if (auto category = request.queryParam("category")) {
    query.add("h.category = " + query.text(*category));
    by_place_alone = false;
  }
  // A member by name or citizen ID; the ID is bound, never logged.
  if (auto name = request.queryParam("name")) {
    query.add(withMember("p.name " + query.containing(*name)));
    by_place_alone = false;
  }
  if (auto citizen_id = request.queryParam("citizen_id")) {
    query.add(withMember("p.citizen_id = " + query.text(*citizen_id)));
    by_place_alone = false;
  }
  const std::string table = " FROM sa_households h";
  // The total is a column of the page's statement (one round trip on PostgreSQL, not two); the
  // inner h of its subquery is the tally's or the count's own. An empty page asks it apart.
  const std::string tally_table = " FROM sa_household_tallies h";
  const std::string total_column =
      by_place_alone ? query.sumColumn("h.households", tally_table) : query.countColumn(table);
  const std::string keyset = page.keysetCondition("h.id");
  const std::string order = page.orderAndLimit({{"id", "h.id"},
                                                {"number", "h.number"},
                                                {"created_on", "h.created_on"},
                                                {"township", "h.township"}});
  const std::string sql =
      "SELECT h.id, h.number, h.category, h.township, h.village, h.created_on, h.review_flag,"
      " (SELECT COUNT(*) FROM sa_members m WHERE m.household_id = h.id AND m.left_on IS NULL), " +
      total_column + table + query.clause() + " AND " + keyset + order;
  json items = json::array();
  std::vector<std::int64_t> ids;
  std::int64_t total = 0;
  const auto add = [&](const soci::row& row) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(sdk::jsonObject({{"id", ids.back()},
                                     {"number", sdk::sql::textAt(row, 1)},
                                     {"category", sdk::sql::textAt(row, 2)},
                                     {"township", sdk::sql::textAt(row, 3)},
                                     {"village", sdk::sql::textAt(row, 4)},
                                     {"created_on", sdk::sql::textAt(row, 5)},
                                     {"review_flag", sdk::sql::textOrNullAt(row, 6)},
                                     {"members", sdk::sql::int64At(row, 7)}}));
    total = sdk::sql::int64At(row, 8);
  };
  // A first page repeats (the same filters again); a later page's position is written into
  // the SQL, so it is run unkept rather than take a place in the cache (KeptQueryCache).
  if (page.firstPage())
    query.forEach(queries_->lists, db, sql, add);
  else
    query.forEach(db, sql, add);
  if (ids.empty())
    total = by_place_alone ? query.sum(queries_->lists, db, "h.households", tally_table)
                           : query.count(queries_->lists, db, table);
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listApplications(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kApplicationList);
  auto& db = request.db();
  sdk::ListQuery query("a.county_code", request.county());
  addRecordOfHouseholdFilters(query, request, "a");
  // Overdue is counted in working days by the calendar, not in SQL: the open applications with a
  // step past its limit today (GET /overdue), then bound as ids. Their number changes the text,
  // so such a count is not kept (it would take a place in the cache for each number of ids).
  const bool by_overdue = request.queryParam("overdue").has_value();
  if (auto overdue = request.queryParam("overdue")) {
    std::set<std::int64_t> late;
    for (const auto& step : overdueSteps(request))
      late.insert(step["application_id"].get<std::int64_t>());
    std::string ids;
    for (const auto id : late) ids += (ids.empty() ? "" : ", ") + query.number(id);
    if (*overdue == "true")
      query.add(ids.empty() ? "1 = 0" : "a.id IN (" + ids + ")");
    else if (!ids.empty())
      query.add("a.id NOT IN (" + ids + ")");
  }
  const std::string tables =
      " FROM sa_applications a JOIN sa_households h ON h.id = a.household_id"
      " JOIN civ_persons p ON p.id = a.applicant_person_id";
  const auto total =
      by_overdue ? query.count(db, tables) : query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db, "SELECT " + recordOfHouseholdColumns("a") +
                         ", h.village, p.name, a.received_on, a.decided_on" + tables +
                         query.clause() + " AND " + page.keysetCondition("a.id") +
                         page.orderAndLimit({{"id", "a.id"},
                                             {"number", "a.number"},
                                             {"received_on", "a.received_on"},
                                             {"status", "a.status"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    json item = recordOfHouseholdItem(row);
    item["village"] = sdk::sql::textAt(row, 7);
    item["applicant"] = sdk::sql::textAt(row, 8);
    item["received_on"] = sdk::sql::textAt(row, 9);
    item["decided_on"] = sdk::sql::textOrNullAt(row, 10);
    items.push_back(std::move(item));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listCases(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kCaseList);
  auto& db = request.db();
  sdk::ListQuery query("c.county_code", request.county());
  addRecordOfHouseholdFilters(query, request, "c");
  // The 特困 support mode of this month (a switch since the decision counts); the month is a
  // literal made here from the clock, not from the request.
  const std::string this_month = "'" + sdk::Month::of(request.today()).toString() + "'";
  if (auto mode = request.queryParam("support_mode"))
    query.add(supportModeInMonthSql(this_month) + " = " + query.text(*mode));
  const std::string tables =
      " FROM sa_cases c JOIN sa_households h ON h.id = c.household_id"
      " JOIN civ_persons p ON p.id = c.payee_person_id";
  const auto total = query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows = query.rows(
      db, "SELECT " + recordOfHouseholdColumns("c") + ", p.name, c.start_month, c.end_month, " +
              supportModeInMonthSql(this_month) + tables + query.clause() + " AND " +
              page.keysetCondition("c.id") +
              page.orderAndLimit({{"id", "c.id"},
                                  {"number", "c.number"},
                                  {"start_month", "c.start_month"},
                                  {"status", "c.status"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    json item = recordOfHouseholdItem(row);
    item["payee"] = sdk::sql::textAt(row, 7);
    item["start_month"] = sdk::sql::textAt(row, 8);
    item["end_month"] = sdk::sql::textOrNullAt(row, 9);
    item["support_mode"] = sdk::sql::textOrNullAt(row, 10);
    items.push_back(std::move(item));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listAdjustments(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kAdjustmentList);
  auto& db = request.db();
  sdk::ListQuery query("c.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "h.township"));
  if (auto case_id = request.queryParam("case_id"))
    query.add("a.case_id = " + query.number(std::stoll(*case_id)));
  if (request.queryParam("unconfirmed") == "true") query.add("a.confirmed_by IS NULL");
  if (request.queryParam("unpaid") == "true") query.add("a.paid_in_run IS NULL");
  const std::string tables =
      " FROM sa_adjustments a JOIN sa_cases c ON c.id = a.case_id"
      " JOIN sa_households h ON h.id = c.household_id";
  const auto total = query.count(queries_->lists, db, tables);
  soci::rowset<soci::row> rows =
      query.rows(db,
                 "SELECT a.id, a.case_id, a.month, a.amount_fen, a.reason, a.recorded_by,"
                 " a.confirmed_by, a.paid_in_run" +
                     tables + query.clause() + " AND " + page.keysetCondition("a.id") +
                     page.orderAndLimit({{"id", "a.id"}, {"month", "a.month"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(
        sdk::jsonObject({{"id", ids.back()},
                         {"case_id", sdk::sql::int64At(row, 1)},
                         {"month", sdk::sql::textAt(row, 2)},
                         {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 3)).toString()},
                         {"reason", sdk::sql::textAt(row, 4)},
                         {"recorded_by", sdk::sql::textAt(row, 5)},
                         {"confirmed_by", sdk::sql::textOrNullAt(row, 6)},
                         {"paid_with_run", sdk::sql::int64OrNullAt(row, 7)}}));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::social_assistance
