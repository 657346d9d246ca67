// Finding records: the lists a clerk pages and filters (households, applications, cases, payment
// runs, adjustments), on the SDK's list convention, in the request's county and the caller's
// township scope. Each list is one statement for the page and one for the total; filters are
// bound, the page's keyset and order are spliced by the SDK from checked values.
#include "search_routes.h"

#include <soci/soci.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/list.h>
#include <civ/sdk/money.h>
#include <civ/sdk/sql.h>

#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;

std::string param(const sdk::Request& request, const char* name) {
  return request.queryParam(name).value_or("");
}

json optionalText(const soci::row& row, std::size_t column) {
  auto value = sdk::sql::optionalTextAt(row, column);
  return value ? json(*value) : json(nullptr);
}

}  // namespace

const sdk::ListSpec kHouseholdList{{"number", "created_on", "township"}, "id", 20, 200};
const sdk::ListSpec kApplicationList{{"number", "received_on", "status"}, "-id", 20, 200};
const sdk::ListSpec kCaseList{{"number", "start_month", "status"}, "-id", 20, 200};
const sdk::ListSpec kPaymentRunList{{"month"}, "-month", 20, 200};
const sdk::ListSpec kAdjustmentList{{"month"}, "-id", 20, 200};

sdk::Response SocialAssistancePlugin::listHouseholds(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kHouseholdList);
  auto& db = request.db();
  const std::string township = param(request, "township"), village = param(request, "village"),
                    category = param(request, "category"), name = param(request, "name"),
                    citizen_id = param(request, "citizen_id");
  std::string name_pattern = "%";  // the name anywhere, its LIKE wildcards taken literally
  for (char c : name) {
    if (c == '%' || c == '_' || c == '!') name_pattern += '!';
    name_pattern += c;
  }
  name_pattern += "%";
  // A member (present or past) by name or citizen ID; the ID is bound, never logged.
  const std::string filters =
      " FROM sa_households h WHERE h.county_code = :county"
      " AND (:t1 = '' OR h.township = :t2) AND (:v1 = '' OR h.village = :v2)"
      " AND (:c1 = '' OR h.category = :c2)"
      " AND (:n1 = '' OR EXISTS (SELECT 1 FROM sa_members m JOIN civ_persons p ON p.id ="
      " m.person_id WHERE m.household_id = h.id AND p.name LIKE :n2 ESCAPE '!'))"
      " AND (:i1 = '' OR EXISTS (SELECT 1 FROM sa_members m JOIN civ_persons p ON p.id ="
      " m.person_id WHERE m.household_id = h.id AND p.citizen_id = :i2)) AND " +
      sdk::townshipCondition(request.caller(), "h.township");
  long long total = 0;
  db << "SELECT COUNT(*)" + filters, soci::into(total), soci::use(request.county()),
      soci::use(township), soci::use(township), soci::use(village), soci::use(village),
      soci::use(category), soci::use(category), soci::use(name), soci::use(name_pattern),
      soci::use(citizen_id), soci::use(citizen_id);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT h.id, h.number, h.category, h.township, h.village, h.created_on,"
                     " h.review_flag, (SELECT COUNT(*) FROM sa_members m WHERE m.household_id ="
                     " h.id AND m.left_on IS NULL)" +
                         filters + " AND " + page.keysetCondition("h.id") +
                         page.orderAndLimit({{"id", "h.id"},
                                             {"number", "h.number"},
                                             {"created_on", "h.created_on"},
                                             {"township", "h.township"}}),
       soci::use(request.county()), soci::use(township), soci::use(township), soci::use(village),
       soci::use(village), soci::use(category), soci::use(category), soci::use(name),
       soci::use(name_pattern), soci::use(citizen_id), soci::use(citizen_id));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back({{"id", ids.back()},
                     {"number", sdk::sql::textAt(row, 1)},
                     {"category", sdk::sql::textAt(row, 2)},
                     {"township", sdk::sql::textAt(row, 3)},
                     {"village", sdk::sql::textAt(row, 4)},
                     {"created_on", sdk::sql::textAt(row, 5)},
                     {"review_flag", optionalText(row, 6)},
                     {"members", sdk::sql::int64At(row, 7)}});
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listApplications(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kApplicationList);
  auto& db = request.db();
  const std::string program = param(request, "program"), status = param(request, "status"),
                    township = param(request, "township");
  const long long household = std::stoll(request.queryParam("household_id").value_or("0"));
  const std::string filters =
      " FROM sa_applications a JOIN sa_households h ON h.id = a.household_id"
      " JOIN civ_persons p ON p.id = a.applicant_person_id WHERE a.county_code = :county"
      " AND (:p1 = '' OR a.program = :p2) AND (:s1 = '' OR a.status = :s2)"
      " AND (:t1 = '' OR h.township = :t2) AND (:h1 = 0 OR a.household_id = :h2) AND " +
      sdk::townshipCondition(request.caller(), "h.township");
  long long total = 0;
  db << "SELECT COUNT(*)" + filters, soci::into(total), soci::use(request.county()),
      soci::use(program), soci::use(program), soci::use(status), soci::use(status),
      soci::use(township), soci::use(township), soci::use(household), soci::use(household);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.id, a.number, a.program, a.status, a.household_id, h.number,"
                     " h.township, h.village, p.name, a.received_on, a.decided_on" +
                         filters + " AND " + page.keysetCondition("a.id") +
                         page.orderAndLimit({{"id", "a.id"},
                                             {"number", "a.number"},
                                             {"received_on", "a.received_on"},
                                             {"status", "a.status"}}),
       soci::use(request.county()), soci::use(program), soci::use(program), soci::use(status),
       soci::use(status), soci::use(township), soci::use(township), soci::use(household),
       soci::use(household));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back({{"id", ids.back()},
                     {"number", sdk::sql::textAt(row, 1)},
                     {"program", sdk::sql::textAt(row, 2)},
                     {"status", sdk::sql::textAt(row, 3)},
                     {"household_id", sdk::sql::int64At(row, 4)},
                     {"household_number", sdk::sql::textAt(row, 5)},
                     {"township", sdk::sql::textAt(row, 6)},
                     {"village", sdk::sql::textAt(row, 7)},
                     {"applicant", sdk::sql::textAt(row, 8)},
                     {"received_on", sdk::sql::textAt(row, 9)},
                     {"decided_on", optionalText(row, 10)}});
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listCases(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kCaseList);
  auto& db = request.db();
  const std::string program = param(request, "program"), status = param(request, "status"),
                    township = param(request, "township"),
                    support_mode = param(request, "support_mode");
  const long long household = std::stoll(request.queryParam("household_id").value_or("0"));
  const std::string filters =
      " FROM sa_cases c JOIN sa_households h ON h.id = c.household_id"
      " JOIN civ_persons p ON p.id = c.payee_person_id WHERE c.county_code = :county"
      " AND (:p1 = '' OR c.program = :p2) AND (:s1 = '' OR c.status = :s2)"
      " AND (:t1 = '' OR h.township = :t2) AND (:m1 = '' OR c.support_mode = :m2)"
      " AND (:h1 = 0 OR c.household_id = :h2) AND " +
      sdk::townshipCondition(request.caller(), "h.township");
  long long total = 0;
  db << "SELECT COUNT(*)" + filters, soci::into(total), soci::use(request.county()),
      soci::use(program), soci::use(program), soci::use(status), soci::use(status),
      soci::use(township), soci::use(township), soci::use(support_mode), soci::use(support_mode),
      soci::use(household), soci::use(household);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT c.id, c.number, c.program, c.status, c.household_id, h.number,"
                     " h.township, p.name, c.start_month, c.end_month, c.support_mode" +
                         filters + " AND " + page.keysetCondition("c.id") +
                         page.orderAndLimit({{"id", "c.id"},
                                             {"number", "c.number"},
                                             {"start_month", "c.start_month"},
                                             {"status", "c.status"}}),
       soci::use(request.county()), soci::use(program), soci::use(program), soci::use(status),
       soci::use(status), soci::use(township), soci::use(township), soci::use(support_mode),
       soci::use(support_mode), soci::use(household), soci::use(household));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back({{"id", ids.back()},
                     {"number", sdk::sql::textAt(row, 1)},
                     {"program", sdk::sql::textAt(row, 2)},
                     {"status", sdk::sql::textAt(row, 3)},
                     {"household_id", sdk::sql::int64At(row, 4)},
                     {"household_number", sdk::sql::textAt(row, 5)},
                     {"township", sdk::sql::textAt(row, 6)},
                     {"payee", sdk::sql::textAt(row, 7)},
                     {"start_month", sdk::sql::textAt(row, 8)},
                     {"end_month", optionalText(row, 9)},
                     {"support_mode", optionalText(row, 10)}});
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listPaymentRuns(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "payment runs");
  const auto page = sdk::ListRequest::from(request, kPaymentRunList);
  auto& db = request.db();
  const std::string status = param(request, "status");
  const std::string filters =
      " FROM sa_payment_runs WHERE county_code = :county AND (:s1 = '' OR status = :s2)";
  long long total = 0;
  db << "SELECT COUNT(*)" + filters, soci::into(total), soci::use(request.county()),
      soci::use(status), soci::use(status);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, month, run_on, run_by, status, confirmed_by, line_count,"
                     " total_fen" +
                         filters + " AND " + page.keysetCondition("id") +
                         page.orderAndLimit({{"id", "id"}, {"month", "month"}}),
       soci::use(request.county()), soci::use(status), soci::use(status));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back({{"run_id", ids.back()},
                     {"month", sdk::sql::textAt(row, 1)},
                     {"run_on", sdk::sql::textAt(row, 2)},
                     {"run_by", sdk::sql::textAt(row, 3)},
                     {"status", sdk::sql::textAt(row, 4)},
                     {"confirmed_by", optionalText(row, 5)},
                     {"lines", sdk::sql::int64At(row, 6)},
                     {"total", sdk::Money::fromFen(sdk::sql::int64At(row, 7)).toString()}});
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response SocialAssistancePlugin::listAdjustments(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kAdjustmentList);
  auto& db = request.db();
  const long long case_id = std::stoll(request.queryParam("case_id").value_or("0"));
  const bool unconfirmed = request.queryParam("unconfirmed") == "true";
  const bool unpaid = request.queryParam("unpaid") == "true";
  const std::string filters =
      " FROM sa_adjustments a JOIN sa_cases c ON c.id = a.case_id JOIN sa_households h ON h.id ="
      " c.household_id WHERE c.county_code = :county AND (:c1 = 0 OR a.case_id = :c2)" +
      std::string(unconfirmed ? " AND a.confirmed_by IS NULL" : "") +
      std::string(unpaid ? " AND a.paid_in_run IS NULL" : "") + " AND " +
      sdk::townshipCondition(request.caller(), "h.township");
  long long total = 0;
  db << "SELECT COUNT(*)" + filters, soci::into(total), soci::use(request.county()),
      soci::use(case_id), soci::use(case_id);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT a.id, a.case_id, a.month, a.amount_fen, a.reason, a.recorded_by,"
                     " a.confirmed_by, a.paid_in_run" +
                         filters + " AND " + page.keysetCondition("a.id") +
                         page.orderAndLimit({{"id", "a.id"}, {"month", "a.month"}}),
       soci::use(request.county()), soci::use(case_id), soci::use(case_id));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    const auto run = sdk::sql::optionalInt64At(row, 7);
    items.push_back({{"id", ids.back()},
                     {"case_id", sdk::sql::int64At(row, 1)},
                     {"month", sdk::sql::textAt(row, 2)},
                     {"amount", sdk::Money::fromFen(sdk::sql::int64At(row, 3)).toString()},
                     {"reason", sdk::sql::textAt(row, 4)},
                     {"recorded_by", sdk::sql::textAt(row, 5)},
                     {"confirmed_by", optionalText(row, 6)},
                     {"paid_with_run", run ? json(*run) : json(nullptr)}});
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::social_assistance
