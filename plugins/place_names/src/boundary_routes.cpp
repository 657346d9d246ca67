// The county's boundaries (issue 21 item 5; 行政区划管理条例 2018, rules.md §5.4): its boundary
// lines with neighbouring counties, their markers (界桩), and the joint inspections both sides
// make (平安边界联检): the markers checked with their condition, the problems found and the
// deadline to rectify them, listed when overdue. Boundaries are the county's as a whole: every
// write needs a county-wide caller.
#include <algorithm>
#include <set>

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

constexpr const char* kLineColumns =
    "SELECT l.id, l.neighbour_code, l.neighbour_name, l.length_m, l.description, l.geometry,"
    " (SELECT COUNT(*) FROM pn_boundary_markers m WHERE m.line_id = l.id) FROM"
    " pn_boundary_lines l";

constexpr const char* kMarkerColumns =
    "SELECT m.id, m.line_id, m.number, m.kind, m.longitude, m.latitude, m.installed_on,"
    " m.condition, m.inspected_on FROM pn_boundary_markers m";

constexpr const char* kInspectionColumns =
    "SELECT i.id, i.line_id, i.inspected_on, i.sides, i.problems, i.rectification_due,"
    " i.rectified_on, i.rectification_note FROM pn_boundary_inspections i";

json lineItem(const soci::row& row) {
  const auto geometry = sdk::sql::optionalTextAt(row, 5);
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"neighbour_code", sdk::sql::textAt(row, 1)},
                          {"neighbour_name", sdk::sql::textAt(row, 2)},
                          {"length_m", sdk::sql::int64At(row, 3)},
                          {"description", sdk::sql::textAt(row, 4)},
                          {"geometry", geometry ? json::parse(*geometry) : json(nullptr)},
                          {"markers", sdk::sql::int64At(row, 6)}});
}

json markerItem(const soci::row& row) {
  return sdk::jsonObject(
      {{"id", sdk::sql::int64At(row, 0)},
       {"line_id", sdk::sql::int64At(row, 1)},
       {"number", sdk::sql::textAt(row, 2)},
       {"kind", sdk::sql::textAt(row, 3)},
       {"location", {{"type", "Point"}, {"coordinates", {row.get<double>(4), row.get<double>(5)}}}},
       {"installed_on", sdk::sql::textOrNullAt(row, 6)},
       {"condition", sdk::sql::textAt(row, 7)},
       {"inspected_on", sdk::sql::textOrNullAt(row, 8)}});
}

/// An inspection with the markers it checked; null when `id` is no inspection of `county`.
json inspectionJson(soci::session& db, const std::string& county, long long id) {
  json item = nullptr;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << std::string(kInspectionColumns) + " WHERE i.county_code = :c AND i.id = :id",
         soci::use(county), soci::use(id));
    for (const auto& row : rows)
      item = {{"id", id},
              {"line_id", sdk::sql::int64At(row, 1)},
              {"inspected_on", sdk::sql::textAt(row, 2)},
              {"sides", json::parse(sdk::sql::textAt(row, 3))},
              {"markers", json::array()},
              {"problems", sdk::sql::textAt(row, 4)},
              {"rectification_due", sdk::sql::textOrNullAt(row, 5)},
              {"rectified_on", sdk::sql::textOrNullAt(row, 6)},
              {"rectification_note", sdk::sql::textOrNullAt(row, 7)}};
  }
  if (item.is_null()) return item;
  soci::rowset<soci::row> checked =
      (db.prepare << "SELECT c.marker_id, m.number, c.condition, c.note FROM"
                     " pn_boundary_inspection_markers c JOIN pn_boundary_markers m ON m.id ="
                     " c.marker_id WHERE c.inspection_id = :id ORDER BY c.id",
       soci::use(id));
  for (const auto& marker : checked)
    item["markers"].push_back(sdk::jsonObject({{"marker_id", sdk::sql::int64At(marker, 0)},
                                               {"number", sdk::sql::textAt(marker, 1)},
                                               {"condition", sdk::sql::textAt(marker, 2)},
                                               {"note", sdk::sql::textAt(marker, 3)}}));
  return item;
}

sdk::Date dateIn(const json& body, const char* field) {
  return *sdk::Date::parse(body[field].get<std::string>());
}

void notInFuture(const sdk::Request& request, sdk::Date day, const char* field) {
  if (day > request.today())
    throw sdk::ValidationError(field, "not-in-future", std::string(field) + " is after today");
}

/// Every point of a GeoJSON LineString within ±90 latitude (the schema bounds longitude).
void checkLine(const json& geometry) {
  const auto& points = geometry["coordinates"];
  for (std::size_t i = 0; i < points.size(); ++i) {
    const double latitude = points[i][1];
    if (latitude < -90 || latitude > 90)
      throw sdk::ValidationError("geometry.coordinates[" + std::to_string(i) + "][1]",
                                 "geojson-linestring",
                                 "a GeoJSON position is [longitude, latitude]; latitude is "
                                 "within ±90");
  }
}

void checkPoint(const json& location) {
  const double latitude = location["coordinates"][1];
  if (latitude < -90 || latitude > 90)
    throw sdk::ValidationError("location.coordinates[1]", "geojson-point",
                               "a GeoJSON point is [longitude, latitude]; latitude is within ±90");
}

void refuseUnchanged(const json& body) {
  std::vector<sdk::FieldError> errors;
  for (const auto& item : body.items())
    errors.push_back({item.key(), "unchanged", "the record already holds this value"});
  throw sdk::ValidationError(std::move(errors));
}

void requireBody(const json& body, const std::string& fields) {
  if (!body.is_object() || body.empty())
    throw sdk::ValidationError("(body)", "at-least-one", "name at least one field: " + fields, 400);
}

/// The neighbour code (a county-level code by its schema) is not this county's.
void checkNeighbour(const std::string& code, const std::string& county) {
  if (code == county)
    throw sdk::ValidationError("neighbour_code", "neighbour-not-self",
                               "a boundary line is with another county, not " + county);
}

/// The sides of a joint inspection must include this county and the line's neighbour, each once.
void checkSides(const json& sides, const std::string& county, const std::string& neighbour) {
  std::set<std::string> codes;
  for (std::size_t i = 0; i < sides.size(); ++i)
    if (!codes.insert(sides[i]["county_code"].get<std::string>()).second)
      throw sdk::ValidationError("sides[" + std::to_string(i) + "].county_code", "side-once",
                                 "each side takes part once");
  for (const auto& needed : {county, neighbour})
    if (!codes.contains(needed))
      throw sdk::ValidationError("sides", "both-sides",
                                 "a joint inspection is made by both sides of the line: " + county +
                                     " and " + neighbour + " (missing " + needed + ")");
}

}  // namespace

// ---- Lines ----------------------------------------------------------------------------------

sdk::Response PlaceNamesPlugin::addBoundaryLine(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary lines");
  auto& db = request.db();
  const json& body = request.body();
  const std::string neighbour = body["neighbour_code"], name = body["neighbour_name"],
                    description = body.value("description", "");
  checkNeighbour(neighbour, request.county());
  long long existing = 0;
  db << "SELECT COUNT(*) FROM pn_boundary_lines WHERE county_code = :c AND neighbour_code = :n",
      soci::use(request.county()), soci::use(neighbour), soci::into(existing);
  if (existing > 0)
    throw sdk::ValidationError(
        "neighbour_code", "one-line-per-neighbour",
        "the boundary line with " + neighbour + " is recorded: correct it (PATCH)");
  std::string geometry;
  soci::indicator has_geometry = soci::i_null;
  if (body.contains("geometry") && body["geometry"].is_object()) {
    checkLine(body["geometry"]);
    geometry = body["geometry"].dump();
    has_geometry = soci::i_ok;
  }
  const long long length = body["length_m"].get<long long>();
  const std::string today = request.today().toString();
  long long id = 0;
  db << "INSERT INTO pn_boundary_lines (county_code, neighbour_code, neighbour_name, length_m,"
        " description, geometry, recorded_on, recorded_by) VALUES (:c, :n, :nn, :l, :d, :g, :on,"
        " :by) RETURNING id",
      soci::use(request.county()), soci::use(neighbour), soci::use(name), soci::use(length),
      soci::use(description), soci::use(geometry, has_geometry), soci::use(today),
      soci::use(request.caller().user), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "boundary_line.add", "boundary_line", std::to_string(id),
                 sdk::changedFields(nullptr, body)});
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kLineColumns) + " WHERE l.id = :id", soci::use(id));
  json item;
  for (const auto& row : rows) item = lineItem(row);
  return sdk::Response::created(item, "/boundary-lines");
}

sdk::Response PlaceNamesPlugin::listBoundaryLines(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kBoundaryLineList);
  sdk::ListQuery query("l.county_code", request.county());
  if (auto q = request.queryParam("q"))
    query.add("(l.neighbour_name " + query.containing(*q) + " OR l.neighbour_code " +
              query.containing(*q) + " OR l.description " + query.containing(*q) + ")");
  const auto total = query.count(*lists_, db, " FROM pn_boundary_lines l");
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kLineColumns) + query.clause() + " AND " + page.keysetCondition("l.id") +
              page.orderAndLimit({{"id", "l.id"}, {"neighbour_code", "l.neighbour_code"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(lineItem(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::correctBoundaryLine(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary lines");
  auto& db = request.db();
  const long long key = request.pathId("id");
  json current = nullptr;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << std::string(kLineColumns) + " WHERE l.county_code = :c AND l.id = :id",
         soci::use(request.county()), soci::use(key));
    for (const auto& row : rows) current = lineItem(row);
  }
  if (current.is_null()) throw sdk::NotFound("no boundary line " + std::to_string(key));
  const json& body = request.body();
  requireBody(body, "neighbour_name, length_m, description, geometry");
  json before = current;
  before.erase("id");
  before.erase("markers");
  before.erase("neighbour_code");
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("geometry") && body["geometry"].is_object()) checkLine(body["geometry"]);
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) refuseUnchanged(body);
  const std::string name = after["neighbour_name"], description = after["description"];
  const long long length = after["length_m"].get<long long>();
  std::string geometry = after["geometry"].is_object() ? after["geometry"].dump() : "";
  soci::indicator has_geometry = after["geometry"].is_object() ? soci::i_ok : soci::i_null;
  db << "UPDATE pn_boundary_lines SET neighbour_name = :n, length_m = :l, description = :d,"
        " geometry = :g WHERE id = :id",
      soci::use(name), soci::use(length), soci::use(description), soci::use(geometry, has_geometry),
      soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "boundary_line.correct", "boundary_line",
                 std::to_string(key), changes});
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kLineColumns) + " WHERE l.id = :id", soci::use(key));
  json item;
  for (const auto& row : rows) item = lineItem(row);
  return sdk::Response::ok(item);
}

// ---- Markers --------------------------------------------------------------------------------

sdk::Response PlaceNamesPlugin::addMarker(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary markers");
  auto& db = request.db();
  const json& body = request.body();
  const long long line = body["line_id"].get<long long>();
  long long found = 0;
  db << "SELECT COUNT(*) FROM pn_boundary_lines WHERE county_code = :c AND id = :id",
      soci::use(request.county()), soci::use(line), soci::into(found);
  if (found == 0)
    throw sdk::ValidationError("line_id", "boundary-line",
                               "no boundary line " + std::to_string(line) + " in this county");
  const std::string number = body["number"], kind = body["kind"];
  long long existing = 0;
  db << "SELECT COUNT(*) FROM pn_boundary_markers WHERE county_code = :c AND number = :n",
      soci::use(request.county()), soci::use(number), soci::into(existing);
  if (existing > 0)
    throw sdk::ValidationError("number", "unique-marker-number",
                               "marker " + number + " is recorded");
  checkPoint(body["location"]);
  std::string installed;
  soci::indicator has_installed = soci::i_null;
  if (body.contains("installed_on")) {
    const auto day = dateIn(body, "installed_on");
    notInFuture(request, day, "installed_on");
    installed = day.toString();
    has_installed = soci::i_ok;
  }
  const double longitude = body["location"]["coordinates"][0],
               latitude = body["location"]["coordinates"][1];
  const std::string condition = body.value("condition", "good");
  long long id = 0;
  db << "INSERT INTO pn_boundary_markers (county_code, line_id, number, kind, longitude, latitude,"
        " installed_on, condition) VALUES (:c, :l, :n, :k, :lon, :lat, :i, :cond) RETURNING id",
      soci::use(request.county()), soci::use(line), soci::use(number), soci::use(kind),
      soci::use(longitude), soci::use(latitude), soci::use(installed, has_installed),
      soci::use(condition), soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "boundary_marker.add", "boundary_marker",
                 std::to_string(id), sdk::changedFields(nullptr, body)});
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kMarkerColumns) + " WHERE m.id = :id", soci::use(id));
  json item;
  for (const auto& row : rows) item = markerItem(row);
  return sdk::Response::created(item, "/boundary-markers");
}

sdk::Response PlaceNamesPlugin::listMarkers(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kMarkerList);
  sdk::ListQuery query("m.county_code", request.county());
  if (auto line = request.queryParam("line_id"))
    query.add("m.line_id = " + query.number(std::stoll(*line)));
  if (auto condition = request.queryParam("condition"))
    query.add("m.condition = " + query.text(*condition));
  if (auto number = request.queryParam("q")) query.add("m.number " + query.containing(*number));
  const auto total = query.count(*lists_, db, " FROM pn_boundary_markers m");
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kMarkerColumns) + query.clause() + " AND " + page.keysetCondition("m.id") +
              page.orderAndLimit({{"id", "m.id"}, {"number", "m.number"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(markerItem(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::correctMarker(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary markers");
  auto& db = request.db();
  const long long key = request.pathId("id");
  json current = nullptr;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << std::string(kMarkerColumns) + " WHERE m.county_code = :c AND m.id = :id",
         soci::use(request.county()), soci::use(key));
    for (const auto& row : rows) current = markerItem(row);
  }
  if (current.is_null()) throw sdk::NotFound("no boundary marker " + std::to_string(key));
  const json& body = request.body();
  requireBody(body, "number, kind, location, installed_on");
  const json before = {{"number", current["number"]},
                       {"kind", current["kind"]},
                       {"location", current["location"]},
                       {"installed_on", current["installed_on"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("location")) checkPoint(body["location"]);
  if (body.contains("installed_on"))
    notInFuture(request, dateIn(body, "installed_on"), "installed_on");
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) refuseUnchanged(body);
  const std::string number = after["number"], kind = after["kind"];
  if (number != current["number"]) {
    long long existing = 0;
    db << "SELECT COUNT(*) FROM pn_boundary_markers WHERE county_code = :c AND number = :n",
        soci::use(request.county()), soci::use(number), soci::into(existing);
    if (existing > 0)
      throw sdk::ValidationError("number", "unique-marker-number",
                                 "marker " + number + " is recorded");
  }
  const double longitude = after["location"]["coordinates"][0],
               latitude = after["location"]["coordinates"][1];
  std::string installed =
      after["installed_on"].is_string() ? after["installed_on"].get<std::string>() : "";
  soci::indicator has_installed = installed.empty() ? soci::i_null : soci::i_ok;
  db << "UPDATE pn_boundary_markers SET number = :n, kind = :k, longitude = :lon, latitude = :lat,"
        " installed_on = :i WHERE id = :id",
      soci::use(number), soci::use(kind), soci::use(longitude), soci::use(latitude),
      soci::use(installed, has_installed), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "boundary_marker.correct", "boundary_marker",
                 std::to_string(key), changes});
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kMarkerColumns) + " WHERE m.id = :id", soci::use(key));
  json item;
  for (const auto& row : rows) item = markerItem(row);
  return sdk::Response::ok(item);
}

// ---- Joint inspections ----------------------------------------------------------------------

sdk::Response PlaceNamesPlugin::addBoundaryInspection(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary inspections");
  auto& db = request.db();
  const json& body = request.body();
  const long long line = body["line_id"].get<long long>();
  std::string neighbour;
  db << "SELECT neighbour_code FROM pn_boundary_lines WHERE county_code = :c AND id = :id",
      soci::use(request.county()), soci::use(line), soci::into(neighbour);
  if (!db.got_data())
    throw sdk::ValidationError("line_id", "boundary-line",
                               "no boundary line " + std::to_string(line) + " in this county");
  const auto on = dateIn(body, "inspected_on");
  notInFuture(request, on, "inspected_on");
  checkSides(body["sides"], request.county(), neighbour);
  // The markers checked: each a marker of this line, once.
  const json markers = body.value("markers", json::array());
  std::set<long long> seen;
  bool marker_problem = false;
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const long long marker = markers[i]["marker_id"].get<long long>();
    const std::string field = "markers[" + std::to_string(i) + "].marker_id";
    long long on_line = 0;
    db << "SELECT COUNT(*) FROM pn_boundary_markers WHERE county_code = :c AND id = :id AND"
          " line_id = :l",
        soci::use(request.county()), soci::use(marker), soci::use(line), soci::into(on_line);
    if (on_line == 0)
      throw sdk::ValidationError(
          field, "marker-on-line",
          "marker " + std::to_string(marker) + " is not on line " + std::to_string(line));
    if (!seen.insert(marker).second)
      throw sdk::ValidationError(field, "marker-once", "the marker is listed twice");
    if (markers[i]["condition"] != "good") marker_problem = true;
  }
  // Problems found (in the text, or a marker damaged or missing) need a deadline to rectify.
  const std::string problems = body.value("problems", "");
  std::string due;
  soci::indicator has_due = soci::i_null;
  if (body.contains("rectification_due") && body["rectification_due"].is_string()) {
    const auto day = dateIn(body, "rectification_due");
    if (day < on)
      throw sdk::ValidationError("rectification_due", "not-before-inspection",
                                 "the deadline is before the inspection of " + on.toString());
    due = day.toString();
    has_due = soci::i_ok;
  }
  if ((!problems.empty() || marker_problem) && due.empty())
    throw sdk::ValidationError("rectification_due", "deadline-for-problems",
                               "problems were found (a marker damaged or missing, or described):"
                               " set the deadline for their rectification");
  if (problems.empty() && !marker_problem && !due.empty())
    throw sdk::ValidationError("rectification_due", "problems-for-deadline",
                               "a deadline is set for problems: describe them");
  const std::string day = on.toString(), sides = body["sides"].dump();
  long long id = 0;
  db << "INSERT INTO pn_boundary_inspections (county_code, line_id, inspected_on, sides,"
        " problems, rectification_due, recorded_by) VALUES (:c, :l, :d, :s, :p, :due, :by)"
        " RETURNING id",
      soci::use(request.county()), soci::use(line), soci::use(day), soci::use(sides),
      soci::use(problems), soci::use(due, has_due), soci::use(request.caller().user),
      soci::into(id);
  for (const auto& marker : markers) {
    const long long marker_id = marker["marker_id"].get<long long>();
    const std::string condition = marker["condition"], note = marker.value("note", "");
    db << "INSERT INTO pn_boundary_inspection_markers (inspection_id, marker_id, condition, note)"
          " VALUES (:i, :m, :c, :n)",
        soci::use(id), soci::use(marker_id), soci::use(condition), soci::use(note);
    // The marker's condition is what the latest inspection found.
    std::string old_condition;
    soci::indicator old_inspected_present = soci::i_null;
    std::string old_inspected;
    db << "SELECT condition, inspected_on FROM pn_boundary_markers WHERE id = :id",
        soci::use(marker_id), soci::into(old_condition),
        soci::into(old_inspected, old_inspected_present);
    if (old_inspected_present == soci::i_ok && old_inspected > day) continue;
    db << "UPDATE pn_boundary_markers SET condition = :c, inspected_on = :d WHERE id = :id",
        soci::use(condition), soci::use(day), soci::use(marker_id);
    request.audit({sizeof(sdk::AuditRecord), "boundary_marker.inspect", "boundary_marker",
                   std::to_string(marker_id),
                   sdk::changedFields(
                       {{"condition", old_condition},
                        {"inspected_on", old_inspected_present == soci::i_ok ? json(old_inspected)
                                                                             : json(nullptr)}},
                       {{"condition", condition}, {"inspected_on", day}})});
  }
  request.audit({sizeof(sdk::AuditRecord), "boundary_inspection.add", "boundary_inspection",
                 std::to_string(id), sdk::changedFields(nullptr, body)});
  return sdk::Response::created(inspectionJson(db, request.county(), id), "/boundary-inspections");
}

sdk::Response PlaceNamesPlugin::listBoundaryInspections(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kBoundaryInspectionList);
  sdk::ListQuery query("i.county_code", request.county());
  if (auto line = request.queryParam("line_id"))
    query.add("i.line_id = " + query.number(std::stoll(*line)));
  query.addPeriod(request, "i.inspected_on");
  const auto total = query.count(*lists_, db, " FROM pn_boundary_inspections i");
  soci::rowset<soci::row> rows =
      query.rows(db, "SELECT i.id FROM pn_boundary_inspections i" + query.clause() + " AND " +
                         page.keysetCondition("i.id") +
                         page.orderAndLimit({{"id", "i.id"}, {"inspected_on", "i.inspected_on"}}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  json items = json::array();
  for (const auto key : ids) items.push_back(inspectionJson(db, request.county(), key));
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::correctBoundaryInspection(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary inspections");
  auto& db = request.db();
  const long long key = request.pathId("id");
  const json current = inspectionJson(db, request.county(), key);
  std::string neighbour;
  if (current.is_null()) throw sdk::NotFound("no boundary inspection " + std::to_string(key));
  const long long line = current["line_id"].get<long long>();
  db << "SELECT neighbour_code FROM pn_boundary_lines WHERE id = :id", soci::use(line),
      soci::into(neighbour);
  const json& body = request.body();
  requireBody(body, "sides, problems, rectification_due");
  const json before = {{"sides", current["sides"]},
                       {"problems", current["problems"]},
                       {"rectification_due", current["rectification_due"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("sides")) checkSides(body["sides"], request.county(), neighbour);
  const auto inspected = *sdk::Date::parse(current["inspected_on"].get<std::string>());
  if (after["rectification_due"].is_string() &&
      *sdk::Date::parse(after["rectification_due"].get<std::string>()) < inspected)
    throw sdk::ValidationError("rectification_due", "not-before-inspection",
                               "the deadline is before the inspection of " + inspected.toString());
  bool marker_problem = false;
  for (const auto& marker : current["markers"])
    if (marker["condition"] != "good") marker_problem = true;
  const bool has_problems = !after["problems"].get<std::string>().empty() || marker_problem;
  if (has_problems && !after["rectification_due"].is_string())
    throw sdk::ValidationError("rectification_due", "deadline-for-problems",
                               "problems were found: the deadline for their rectification stays");
  if (!has_problems && after["rectification_due"].is_string())
    throw sdk::ValidationError("rectification_due", "problems-for-deadline",
                               "a deadline is set for problems: describe them");
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) refuseUnchanged(body);
  const std::string sides = after["sides"].dump(), problems = after["problems"];
  std::string due =
      after["rectification_due"].is_string() ? after["rectification_due"].get<std::string>() : "";
  soci::indicator has_due = due.empty() ? soci::i_null : soci::i_ok;
  db << "UPDATE pn_boundary_inspections SET sides = :s, problems = :p, rectification_due = :d"
        " WHERE id = :id",
      soci::use(sides), soci::use(problems), soci::use(due, has_due), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "boundary_inspection.correct", "boundary_inspection",
                 std::to_string(key), changes});
  const json item = inspectionJson(db, request.county(), key);
  return sdk::Response::ok(item);
}

sdk::Response PlaceNamesPlugin::rectifyBoundaryInspection(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the county's boundary inspections");
  auto& db = request.db();
  const long long key = request.pathId("id");
  std::string inspected;
  soci::indicator due_present = soci::i_null, rectified_present = soci::i_null;
  std::string due, rectified;
  db << "SELECT inspected_on, rectification_due, rectified_on FROM pn_boundary_inspections WHERE"
        " county_code = :c AND id = :id",
      soci::use(request.county()), soci::use(key), soci::into(inspected),
      soci::into(due, due_present), soci::into(rectified, rectified_present);
  if (!db.got_data()) throw sdk::NotFound("no boundary inspection " + std::to_string(key));
  if (due_present != soci::i_ok)
    throw sdk::Conflict("boundary inspection " + std::to_string(key) +
                        " found no problems to rectify");
  if (rectified_present == soci::i_ok)
    throw sdk::Conflict("boundary inspection " + std::to_string(key) + " was rectified on " +
                        rectified);
  const json& body = request.body();
  const auto on = dateIn(body, "rectified_on");
  notInFuture(request, on, "rectified_on");
  if (on.toString() < inspected)
    throw sdk::ValidationError("rectified_on", "not-before-inspection",
                               "the problems were found on " + inspected);
  const std::string day = on.toString(), note = body["note"];
  db << "UPDATE pn_boundary_inspections SET rectified_on = :d, rectification_note = :n WHERE"
        " id = :id",
      soci::use(day), soci::use(note), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "boundary_inspection.rectify",
                 "boundary_inspection",
                 std::to_string(key),
                 {{"rectified_on", {{"old", nullptr}, {"new", day}}},
                  {"rectification_note", {{"old", nullptr}, {"new", note}}}}});
  return sdk::Response::ok(inspectionJson(db, request.county(), key));
}

sdk::Response PlaceNamesPlugin::listRectificationsOverdue(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kRectificationOverdueList);
  const std::string today = request.today().toString();
  sdk::ListQuery query("i.county_code", request.county());
  query.add("i.rectified_on IS NULL");
  query.add("i.rectification_due < " + query.text(today));
  const auto total = query.count(*lists_, db, " FROM pn_boundary_inspections i");
  soci::rowset<soci::row> rows = query.rows(
      db, "SELECT i.id FROM pn_boundary_inspections i" + query.clause() + " AND " +
              page.keysetCondition("i.id") +
              page.orderAndLimit({{"id", "i.id"}, {"rectification_due", "i.rectification_due"}}));
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(sdk::sql::int64At(row, 0));
  json items = json::array();
  for (const auto key : ids) items.push_back(inspectionJson(db, request.county(), key));
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::place_names
