// Finding records without their id: offices, appointments, marriages and certificates of the
// county (list.h: ?limit&sort&cursor plus each route's filters; one statement for the page and
// one for the total). Divorce applications are listed in divorce_routes.cpp.
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "marriage_plugin.h"

namespace civ::plugins::marriage {

namespace {

using nlohmann::json;

/// The latest correction of `field` of marriage m, else `archived` (marriageJson overlays the
/// same way).
std::string corrected(const std::string& field, const std::string& archived) {
  return "COALESCE((SELECT c.new_value FROM marriage_corrections c WHERE c.marriage_id = m.id"
         " AND c.field = '" +
         field + "' ORDER BY c.id DESC LIMIT 1), " + archived + ")";
}

json party(const soci::row& row, std::size_t first) {
  return sdk::jsonObject({{"person_id", sdk::sql::int64At(row, first)},
                          {"name", sdk::sql::textAt(row, first + 1)},
                          {"citizen_id", sdk::sql::textAt(row, first + 2)}});
}

}  // namespace

sdk::Response MarriagePlugin::listOffices(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kOfficeList);
  sdk::ListQuery query("county_code", request.county());
  const std::string table = " FROM marriage_offices";
  const auto total = query.count(*lists_, request.db(), table);
  soci::rowset<soci::row> rows = query.rows(
      request.db(), "SELECT id, code, name" + table + query.clause() + " AND " +
                        page.keysetCondition("id") +
                        page.orderAndLimit({{"id", "id"}, {"code", "code"}, {"name", "name"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                     {"code", sdk::sql::textAt(row, 1)},
                                     {"name", sdk::sql::textAt(row, 2)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response MarriagePlugin::listAppointments(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kAppointmentList);
  sdk::ListQuery query("a.county_code", request.county());
  if (auto day = request.queryDate("date"))
    query.add("a.appointment_date = " + query.text(day->toString()));
  if (auto office = request.queryParam("office")) query.add("o.code = " + query.text(*office));
  if (auto citizen_id = request.queryParam("citizen_id"))
    query.add("(pa.citizen_id = " + query.text(*citizen_id) +
              " OR pb.citizen_id = " + query.text(*citizen_id) + ")");
  const std::string tables =
      " FROM marriage_appointments a JOIN marriage_offices o ON o.id = a.office_id"
      " JOIN civ_persons pa ON pa.id = a.party_a_id JOIN civ_persons pb ON pb.id = a.party_b_id";
  const auto total = query.count(*lists_, request.db(), tables);
  soci::rowset<soci::row> rows = query.rows(
      request.db(),
      "SELECT a.id, o.code, a.appointment_date, pa.id, pa.name, pa.citizen_id, pb.id, pb.name,"
      " pb.citizen_id" +
          tables + query.clause() + " AND " + page.keysetCondition("a.id") +
          page.orderAndLimit({{"id", "a.id"}, {"date", "a.appointment_date"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                     {"office_code", sdk::sql::textAt(row, 1)},
                                     {"date", sdk::sql::textAt(row, 2)},
                                     {"party_a", party(row, 3)},
                                     {"party_b", party(row, 6)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response MarriagePlugin::listMarriages(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kMarriageList);
  // Names and the date as the record reads today: the latest correction over the archive.
  const std::string registered_on = corrected("registered_on", "m.registered_on");
  sdk::ListQuery query("m.county_code", request.county());
  query.addPeriod(request, registered_on, "registered_from", "registered_to");
  if (auto citizen_id = request.queryParam("citizen_id"))
    query.add("(h.citizen_id = " + query.text(*citizen_id) +
              " OR w.citizen_id = " + query.text(*citizen_id) + ")");
  if (auto name = request.queryParam("name"))
    // Any name the record has carried: the registry's, or a correction of either party's.
    query.add("(h.name " + query.containing(*name) + " OR w.name " + query.containing(*name) +
              " OR EXISTS (SELECT 1 FROM marriage_corrections c WHERE c.marriage_id = m.id"
              " AND c.field IN ('husband_name', 'wife_name') AND c.new_value " +
              query.containing(*name) + "))");
  if (auto office = request.queryParam("office")) query.add("o.code = " + query.text(*office));
  if (auto status = request.queryParam("status")) query.add("m.status = " + query.text(*status));
  const std::string tables =
      " FROM marriage_records m JOIN marriage_offices o ON o.id = m.office_id"
      " JOIN civ_persons h ON h.id = m.husband_id JOIN civ_persons w ON w.id = m.wife_id";
  const auto total = query.count(*lists_, request.db(), tables);
  soci::rowset<soci::row> rows = query.rows(
      request.db(), "SELECT m.id, o.code, h.id, " + corrected("husband_name", "h.name") +
                        ", h.citizen_id, w.id, " + corrected("wife_name", "w.name") +
                        ", w.citizen_id, " + registered_on +
                        ", m.status, m.ended_on, m.previous_marriage_id, m.back_entered" + tables +
                        query.clause() + " AND " + page.keysetCondition("m.id") +
                        page.orderAndLimit({{"id", "m.id"}, {"registered_on", registered_on}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                     {"office_code", sdk::sql::textAt(row, 1)},
                                     {"husband", party(row, 2)},
                                     {"wife", party(row, 5)},
                                     {"registered_on", sdk::sql::textAt(row, 8)},
                                     {"status", sdk::sql::textAt(row, 9)},
                                     {"ended_on", sdk::sql::textOrNullAt(row, 10)},
                                     {"remarriage_of", sdk::sql::int64OrNullAt(row, 11)},
                                     {"back_entered", sdk::sql::int64At(row, 12) != 0}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response MarriagePlugin::listCertificates(sdk::Request& request) {
  const auto page = sdk::ListRequest::from(request, kCertificateList);
  sdk::ListQuery query("c.county_code", request.county());
  if (auto number = request.queryParam("number")) query.add("c.number = " + query.text(*number));
  if (auto kind = request.queryParam("kind")) query.add("c.kind = " + query.text(*kind));
  if (auto marriage = request.queryParam("marriage_id"))
    query.add("c.marriage_id = " + query.number(std::stoll(*marriage)));
  const std::string tables =
      " FROM marriage_certificates c LEFT JOIN marriage_certificates r ON r.id = c.replaces_id";
  const auto total = query.count(*lists_, request.db(), tables);
  soci::rowset<soci::row> rows = query.rows(
      request.db(),
      "SELECT c.id, c.number, c.kind, c.marriage_id, c.divorce_application_id, c.issued_on,"
      " r.number" +
          tables + query.clause() + " AND " + page.keysetCondition("c.id") +
          page.orderAndLimit(
              {{"id", "c.id"}, {"issued_on", "c.issued_on"}, {"number", "c.number"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                                     {"number", sdk::sql::textAt(row, 1)},
                                     {"kind", sdk::sql::textAt(row, 2)},
                                     {"marriage_id", sdk::sql::int64At(row, 3)},
                                     {"divorce_application_id", sdk::sql::int64OrNullAt(row, 4)},
                                     {"issued_on", sdk::sql::textAt(row, 5)},
                                     {"replaces", sdk::sql::textOrNullAt(row, 6)}}));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::marriage
