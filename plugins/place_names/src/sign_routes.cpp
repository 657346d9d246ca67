// Name signs (地名标志): the text of a standard name in characters and upper-case pinyin
// (rules.md §5.1, §5.3), who answers for it, its condition from the latest inspection.
#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "place_names_plugin.h"

namespace civ::plugins::place_names {

namespace {

using nlohmann::json;

constexpr const char* kSignColumns =
    "SELECT s.id, s.name_id, s.kind, s.text_zh, s.text_pinyin, s.township, s.longitude,"
    " s.latitude, s.responsible, s.installed_on, s.condition, s.inspected_on FROM pn_signs s";

json signItem(const soci::row& row) {
  json location = nullptr;
  if (row.get_indicator(6) == soci::i_ok && row.get_indicator(7) == soci::i_ok)
    location = {{"type", "Point"}, {"coordinates", {row.get<double>(6), row.get<double>(7)}}};
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"name_id", sdk::sql::int64At(row, 1)},
                          {"kind", sdk::sql::textAt(row, 2)},
                          {"text_zh", sdk::sql::textAt(row, 3)},
                          {"text_pinyin", sdk::sql::textAt(row, 4)},
                          {"township", sdk::sql::textAt(row, 5)},
                          {"location", location},
                          {"responsible", sdk::sql::textAt(row, 8)},
                          {"installed_on", sdk::sql::textAt(row, 9)},
                          {"condition", sdk::sql::textAt(row, 10)},
                          {"inspected_on", sdk::sql::textOrNullAt(row, 11)}});
}

void requireScope(const sdk::Request& request, const std::string& township,
                  const std::string& what) {
  if (township.empty())
    sdk::requireCountyWide(request.caller(), what);
  else
    sdk::requireTownship(request.caller(), township, what);
}

sdk::Date dateIn(const json& body, const char* field) {
  return *sdk::Date::parse(body[field].get<std::string>());
}

void checkLatitude(const json& location) {
  const double latitude = location["coordinates"][1];
  if (latitude < -90 || latitude > 90)
    throw sdk::ValidationError("location.coordinates[1]", "geojson-point",
                               "a GeoJSON point is [longitude, latitude]; latitude is within ±90");
}

}  // namespace

json PlaceNamesPlugin::signJson(soci::session& db, std::int64_t id) const {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kSignColumns) + " WHERE s.id = :id", soci::use(key));
  for (const auto& row : rows) return signItem(row);
  return nullptr;
}

sdk::Response PlaceNamesPlugin::addSign(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const long long name_id = body["name_id"].get<long long>();
  std::string status, full, sign, township;
  db << "SELECT status, full_name, pinyin_sign, township FROM pn_names WHERE county_code = :c"
        " AND id = :id",
      soci::use(request.county()), soci::use(name_id), soci::into(status), soci::into(full),
      soci::into(sign), soci::into(township);
  if (!db.got_data() || status != "standard")
    throw sdk::ValidationError(
        "name_id", "standard-name",
        "a sign shows a standard name of this county; " + std::to_string(name_id) + " is not one");
  requireScope(request, township, "a sign of " + full);
  const auto installed = dateIn(body, "installed_on");
  if (installed > request.today())
    throw sdk::ValidationError("installed_on", "not-in-future", "the sign is set after today");
  double longitude = 0, latitude = 0;
  soci::indicator located = soci::i_null;
  if (body.contains("location")) {
    checkLatitude(body["location"]);
    longitude = body["location"]["coordinates"][0];
    latitude = body["location"]["coordinates"][1];
    located = soci::i_ok;
  }
  const std::string kind = body["kind"], responsible = body["responsible"],
                    day = installed.toString();
  long long id = 0;
  db << "INSERT INTO pn_signs (county_code, name_id, township, kind, text_zh, text_pinyin,"
        " longitude, latitude, responsible, installed_on, condition) VALUES (:c, :n, :t, :k, :z,"
        " :p, :lon, :lat, :r, :d, 'good') RETURNING id",
      soci::use(request.county()), soci::use(name_id), soci::use(township), soci::use(kind),
      soci::use(full), soci::use(sign), soci::use(longitude, located), soci::use(latitude, located),
      soci::use(responsible), soci::use(day), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "sign.add", "sign", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(signJson(db, id), "/signs");
}

sdk::Response PlaceNamesPlugin::listSigns(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kSignList);
  sdk::ListQuery query("s.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "s.township"));
  if (auto condition = request.queryParam("condition"))
    query.add("s.condition = " + query.text(*condition));
  if (auto township = request.queryParam("township"))
    query.add("s.township = " + query.text(*township));
  if (auto name = request.queryParam("name_id"))
    query.add("s.name_id = " + query.number(std::stoll(*name)));
  const auto total = query.count(*lists_, db, " FROM pn_signs s");
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kSignColumns) + query.clause() + " AND " + page.keysetCondition("s.id") +
              page.orderAndLimit({{"id", "s.id"}, {"installed_on", "s.installed_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(signItem(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::correctSign(sdk::Request& request) {
  auto& db = request.db();
  const long long key = request.pathId("id");
  json current = nullptr;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << std::string(kSignColumns) + " WHERE s.county_code = :c AND s.id = :id",
         soci::use(request.county()), soci::use(key));
    for (const auto& row : rows) current = signItem(row);
  }
  if (current.is_null()) throw sdk::NotFound("no sign " + std::to_string(key));
  requireScope(request, current["township"], "sign " + std::to_string(key));
  const json& body = request.body();
  if (!body.is_object() || body.empty())
    throw sdk::ValidationError("(body)", "at-least-one",
                               "name at least one field: kind, location, responsible, installed_on",
                               400);
  const json before = {{"kind", current["kind"]},
                       {"location", current["location"]},
                       {"responsible", current["responsible"]},
                       {"installed_on", current["installed_on"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("location")) checkLatitude(body["location"]);
  if (body.contains("installed_on") && dateIn(body, "installed_on") > request.today())
    throw sdk::ValidationError("installed_on", "not-in-future", "the sign is set after today");
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) {
    std::vector<sdk::FieldError> errors;
    for (const auto& item : body.items())
      errors.push_back({item.key(), "unchanged", "the record already holds this value"});
    throw sdk::ValidationError(std::move(errors));
  }
  const std::string kind = after["kind"], responsible = after["responsible"],
                    installed = after["installed_on"];
  double longitude = 0, latitude = 0;
  soci::indicator located = soci::i_null;
  if (after["location"].is_object()) {
    longitude = after["location"]["coordinates"][0];
    latitude = after["location"]["coordinates"][1];
    located = soci::i_ok;
  }
  db << "UPDATE pn_signs SET kind = :k, responsible = :r, installed_on = :d, longitude = :lon,"
        " latitude = :lat WHERE id = :id",
      soci::use(kind), soci::use(responsible), soci::use(installed), soci::use(longitude, located),
      soci::use(latitude, located), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "sign.correct", "sign", std::to_string(key), changes});
  return sdk::Response::ok(signJson(db, key));
}

sdk::Response PlaceNamesPlugin::inspectSign(sdk::Request& request) {
  auto& db = request.db();
  const long long key = request.pathId("id");
  const json current = signJson(db, key);
  std::string county;
  db << "SELECT county_code FROM pn_signs WHERE id = :id", soci::use(key), soci::into(county);
  if (current.is_null() || county != request.county())
    throw sdk::NotFound("no sign " + std::to_string(key));
  requireScope(request, current["township"], "sign " + std::to_string(key));
  const json& body = request.body();
  const auto on = dateIn(body, "inspected_on");
  if (on > request.today())
    throw sdk::ValidationError("inspected_on", "not-in-future", "the inspection is after today");
  if (on < *sdk::Date::parse(current["installed_on"].get<std::string>()))
    throw sdk::ValidationError("inspected_on", "not-before-installation",
                               "the sign was set on " + current["installed_on"].get<std::string>());
  if (current["inspected_on"].is_string() &&
      on.toString() < current["inspected_on"].get<std::string>())
    throw sdk::ValidationError(
        "inspected_on", "not-before-last-inspection",
        "the last inspection was on " + current["inspected_on"].get<std::string>());
  const std::string day = on.toString(), condition = body["condition"], note = body["note"];
  db << "INSERT INTO pn_sign_inspections (sign_id, inspected_on, condition, note, inspected_by)"
        " VALUES (:s, :d, :c, :n, :u)",
      soci::use(key), soci::use(day), soci::use(condition), soci::use(note),
      soci::use(request.caller().user);
  db << "UPDATE pn_signs SET condition = :c, inspected_on = :d WHERE id = :id",
      soci::use(condition), soci::use(day), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "sign.inspect", "sign", std::to_string(key),
                 sdk::changedFields({{"condition", current["condition"]},
                                     {"inspected_on", current["inspected_on"]}},
                                    {{"condition", condition}, {"inspected_on", day}})});
  return sdk::Response::ok(signJson(db, key));
}

}  // namespace civ::plugins::place_names
