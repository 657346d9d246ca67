// Divisions over time: lists and reads as of a day, corrections, adjustments as change sets.
#include <algorithm>
#include <map>
#include <set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>

#include "place_names_plugin.h"
#include "place_rules.h"

namespace civ::plugins::place_names {

namespace {

using nlohmann::json;

json divisionJson(const Division& division) {
  return {
      {"code", division.code},
      {"name", division.name},
      {"level", division.level},
      {"kind", division.kind},
      {"parent_code", division.parent_code.empty() ? json(nullptr) : json(division.parent_code)},
      {"valid_from", division.valid_from},
      {"valid_to", division.valid_to ? json(*division.valid_to) : json(nullptr)}};
}

Division divisionOf(const soci::row& row) {
  return Division{sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                  sdk::sql::textAt(row, 2),  sdk::sql::textAt(row, 3),
                  sdk::sql::textAt(row, 4),  sdk::sql::textAt(row, 5),
                  sdk::sql::textAt(row, 6),  sdk::sql::optionalTextAt(row, 7)};
}

constexpr const char* kDivisionColumns =
    "SELECT d.id, d.code, d.name, d.level, d.kind, d.parent_code, d.valid_from, d.valid_to";

sdk::Date asOfDate(const sdk::Request& request) {
  return request.queryDate("as_of").value_or(request.today());
}

}  // namespace

sdk::Response PlaceNamesPlugin::listDivisions(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kDivisionList);
  const std::string day = asOfDate(request).toString();
  sdk::ListQuery query("d.county_code", request.county());
  query.add("d.valid_from <= " + query.text(day));
  query.add("(d.valid_to IS NULL OR d.valid_to > " + query.text(day) + ")");
  if (auto level = request.queryParam("level")) query.add("d.level = " + query.text(*level));
  if (auto kind = request.queryParam("kind")) query.add("d.kind = " + query.text(*kind));
  if (auto parent = request.queryParam("parent"))
    query.add("d.parent_code = " + query.text(*parent));
  if (auto name = request.queryParam("name")) query.add("d.name " + query.containing(*name));
  const auto total = query.count(*lists_, db, " FROM pn_divisions d");
  soci::rowset<soci::row> rows = query.rows(
      db, std::string(kDivisionColumns) + " FROM pn_divisions d" + query.clause() + " AND " +
              page.keysetCondition("d.id") +
              page.orderAndLimit({{"id", "d.id"}, {"code", "d.code"}, {"name", "d.name"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    const auto division = divisionOf(row);
    items.push_back(divisionJson(division));
    ids.push_back(division.id);
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::getDivision(sdk::Request& request) {
  auto& db = request.db();
  const std::string code = request.pathParam("division_code");
  const auto on = asOfDate(request);
  std::vector<Division> history;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kDivisionColumns) +
                         " FROM pn_divisions d WHERE d.county_code = :c AND d.code = :code ORDER"
                         " BY d.valid_from",
       soci::use(request.county()), soci::use(code));
  for (const auto& row : rows) history.push_back(divisionOf(row));
  if (history.empty())
    throw sdk::NotFound("no division '" + code + "' in county " + request.county());
  const auto found = divisionOn(db, request.county(), code, on);
  if (!found)
    throw sdk::NotFound("division " + code + " was not in force on " + on.toString() +
                        " (in force " + history.front().valid_from + " to " +
                        history.back().valid_to.value_or("today") + ")");
  json detail = divisionJson(*found);
  detail["history"] = json::array();
  for (const auto& version : history) detail["history"].push_back(divisionJson(version));
  const auto links = [&](const char* from, const char* to) {
    json out = json::array();
    soci::rowset<soci::row> linked =
        (db.prepare << std::string("SELECT s.") + to +
                           ", a.effective_on FROM pn_successors s JOIN pn_adjustments a ON a.id ="
                           " s.adjustment_id WHERE s.county_code = :c AND s." +
                           from + " = :code ORDER BY s.id",
         soci::use(request.county()), soci::use(code));
    for (const auto& row : linked)
      out.push_back(
          sdk::jsonObject({{"code", sdk::sql::textAt(row, 0)}, {"on", sdk::sql::textAt(row, 1)}}));
    return out;
  };
  detail["successors"] = links("old_code", "new_code");
  detail["predecessors"] = links("new_code", "old_code");
  detail["today"] = json::array();
  for (const auto& division : todayOf(db, request.county(), code, request.today()))
    detail["today"].push_back(divisionJson(division));
  return sdk::Response::ok(detail);
}

sdk::Response PlaceNamesPlugin::correctDivision(sdk::Request& request) {
  auto& db = request.db();
  const std::string code = request.pathParam("division_code");
  sdk::requireCountyWide(request.caller(), "the division register");
  const json& body = request.body();
  if (!body.is_object() || body.empty())
    throw sdk::ValidationError("(body)", "at-least-one", "name at least one field: name, kind",
                               400);
  std::optional<Division> current;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kDivisionColumns) +
                         " FROM pn_divisions d WHERE d.county_code = :c AND d.code = :code AND"
                         " d.valid_to IS NULL",
       soci::use(request.county()), soci::use(code));
  for (const auto& row : rows) current = divisionOf(row);
  if (!current)
    throw sdk::NotFound("no division '" + code + "' in force in county " + request.county());
  Division after = *current;
  if (body.contains("name")) after.name = body["name"];
  if (body.contains("kind")) {
    after.kind = body["kind"];
    if (!isKindOfLevel(after.kind, after.level))
      throw sdk::ValidationError("kind", "kind-of-level",
                                 "a " + after.level + "-level division cannot be a " + after.kind);
    if (after.level == "township") {
      const auto allowed = townshipKindsOfCode(code);
      if (std::find(allowed.begin(), allowed.end(), after.kind) == allowed.end())
        throw sdk::ValidationError(
            "kind", "code-range",
            "code " + code + " is in the range of " +
                (allowed.empty() ? std::string("no township kind") : allowed.front()) +
                " (GB/T 10114: 000–099 街道, 100–199 镇, 200–299 乡)");
    }
  }
  const json before_json = {{"name", current->name}, {"kind", current->kind}};
  const json after_json = {{"name", after.name}, {"kind", after.kind}};
  const json changes = sdk::changedFields(before_json, after_json);
  if (changes.empty()) {
    std::vector<sdk::FieldError> errors;
    for (const auto& item : body.items())
      errors.push_back({item.key(), "unchanged", "the division already holds this value"});
    throw sdk::ValidationError(std::move(errors));
  }
  const long long key = current->id;
  db << "UPDATE pn_divisions SET name = :n, kind = :k WHERE id = :id", soci::use(after.name),
      soci::use(after.kind), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "division.correct", "division", code, changes});
  return sdk::Response::ok(divisionJson(after));
}

sdk::Response PlaceNamesPlugin::adjust(sdk::Request& request) {
  auto& db = request.db();
  const std::string county = request.county();
  sdk::requireCountyWide(request.caller(), "a division adjustment");
  const json& body = request.body();
  const auto effective = *sdk::Date::parse(body["effective_on"].get<std::string>());
  const std::string effective_text = effective.toString();
  const json& operations = body["operations"];

  // Shapes and the codes each operation ends, checked before anything is written.
  std::set<std::string> ended, created;
  for (std::size_t i = 0; i < operations.size(); ++i) {
    const json& op = operations[i];
    const std::string at = "operations[" + std::to_string(i) + "]";
    const std::string kind = op["kind"];
    const std::size_t olds = op["codes"].size(), intos = op["into"].size();
    const bool shape = (kind == "create" && olds == 0 && intos == 1) ||
                       (kind == "merge" && olds >= 2 && intos == 1) ||
                       (kind == "split" && olds == 1 && intos >= 2) ||
                       ((kind == "rename" || kind == "reparent") && olds == 1 && intos == 1);
    if (!shape)
      throw sdk::ValidationError(
          at + ".codes", "operation-shape",
          "create: no old code, one new; merge: two or more old codes into "
          "one; split: one into two or more; rename and reparent: one into one");
    std::set<std::string> own;
    for (std::size_t j = 0; j < olds; ++j) {
      const std::string code = op["codes"][j];
      const std::string field = at + ".codes[" + std::to_string(j) + "]";
      if (!ended.insert(code).second)
        throw sdk::ValidationError(field, "one-change-per-division",
                                   "division " + code + " is changed twice in this change set");
      own.insert(code);
      const auto current = divisionOn(db, county, code, effective.addDays(-1));
      long long later = 0;
      db << "SELECT COUNT(*) FROM pn_divisions WHERE county_code = :c AND code = :code AND"
            " (valid_to IS NOT NULL AND valid_to > :d1 OR valid_from >= :d2)",
          soci::use(county), soci::use(code), soci::use(effective_text), soci::use(effective_text),
          soci::into(later);
      if (!current || later > 0)
        throw sdk::ValidationError(field, "division-in-force",
                                   "division " + code + " is not in force up to " + effective_text +
                                       " with no later change recorded");
    }
    for (std::size_t j = 0; j < intos; ++j) {
      const json& into = op["into"][j];
      const std::string field = at + ".into[" + std::to_string(j) + "]";
      const std::string code = into["code"], kind_of = into["kind"];
      const auto level = levelOfCode(code);
      if (!level || code.compare(0, 6, county) != 0)
        throw sdk::ValidationError(
            field + ".code", "division-code",
            "a 9-digit township or 12-digit village code of county " + county);
      if (!isKindOfLevel(kind_of, *level))
        throw sdk::ValidationError(field + ".kind", "kind-of-level",
                                   "a " + *level + "-level division cannot be a " + kind_of);
      if (*level == "township") {
        const auto allowed = townshipKindsOfCode(code);
        if (std::find(allowed.begin(), allowed.end(), kind_of) == allowed.end())
          throw sdk::ValidationError(field + ".code", "code-range",
                                     "code " + code + " is outside the range of a " + kind_of +
                                         " (GB/T 10114: 000–099 街道, 100–199 镇, 200–299 乡)");
      }
      const std::string parent = into.value("parent_code", "");
      if (parent.empty() || !codeUnderParent(code, parent))
        throw sdk::ValidationError(field + ".parent_code", "code-under-parent",
                                   "a " + *level + " code starts with its parent's code; " + code +
                                       " is not under '" + parent + "'");
      if (own.count(code) == 0) {
        long long used = 0;
        db << "SELECT COUNT(*) FROM pn_divisions WHERE code = :code", soci::use(code),
            soci::into(used);
        if (used > 0 || !created.insert(code).second)
          throw sdk::ValidationError(field + ".code", "code-never-reused",
                                     "code " + code +
                                         " was used before; a retired code is never "
                                         "given to another division (GB/T 2260 §3.2)");
      }
    }
  }

  long long adjustment = 0;
  const std::string document = body["document"], authority = body["authority"],
                    description = body["description"], today = request.today().toString();
  db << "INSERT INTO pn_adjustments (county_code, effective_on, document, authority, description,"
        " recorded_on, recorded_by) VALUES (:c, :e, :d, :a, :x, :t, :u) RETURNING id",
      soci::use(county), soci::use(effective_text), soci::use(document), soci::use(authority),
      soci::use(description), soci::use(today), soci::use(request.caller().user),
      soci::into(adjustment);
  json changes = json::array();
  for (const auto& op : operations) {
    const std::string kind = op["kind"];
    for (const auto& old : op["codes"]) {
      const std::string code = old;
      db << "UPDATE pn_divisions SET valid_to = :e, ended_by = :a WHERE county_code = :c AND"
            " code = :code AND valid_to IS NULL",
          soci::use(effective_text), soci::use(adjustment), soci::use(county), soci::use(code);
    }
    for (const auto& into : op["into"]) {
      const std::string code = into["code"], name = into["name"], kind_of = into["kind"],
                        parent = into["parent_code"];
      const std::string level = *levelOfCode(code);
      db << "INSERT INTO pn_divisions (county_code, code, name, level, kind, parent_code,"
            " valid_from, created_by) VALUES (:c, :code, :n, :l, :k, :p, :f, :a)",
          soci::use(county), soci::use(code), soci::use(name), soci::use(level), soci::use(kind_of),
          soci::use(parent), soci::use(effective_text), soci::use(adjustment);
      for (const auto& old : op["codes"]) {
        const std::string old_code = old;
        if (old_code == code) continue;
        db << "INSERT INTO pn_successors (county_code, adjustment_id, old_code, new_code, kind)"
              " VALUES (:c, :a, :o, :n, :k)",
            soci::use(county), soci::use(adjustment), soci::use(old_code), soci::use(code),
            soci::use(kind);
        changes.push_back(
            sdk::jsonObject({{"old_code", old_code}, {"new_code", code}, {"kind", kind}}));
      }
    }
  }
  // Every division in force after the change has its parent in force (villages of a merged
  // township are re-parented in the same change set).
  std::vector<std::string> orphans;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT c.code FROM pn_divisions c WHERE c.county_code = :c AND c.valid_to IS"
                     " NULL AND c.level <> 'county' AND NOT EXISTS (SELECT 1 FROM pn_divisions p"
                     " WHERE p.county_code = c.county_code AND p.code = c.parent_code AND"
                     " p.valid_to IS NULL) ORDER BY c.code",
       soci::use(county));
  for (const auto& row : rows) orphans.push_back(sdk::sql::textAt(row, 0));
  if (!orphans.empty())
    throw sdk::ValidationError("operations", "parent-in-force",
                               "division " + orphans.front() +
                                   " would be left under a division that no longer exists: "
                                   "re-parent it in the same change set");
  request.audit({sizeof(sdk::AuditRecord), "division.adjust", "adjustment",
                 std::to_string(adjustment), sdk::changedFields(nullptr, body)});
  return sdk::Response::created({{"id", adjustment},
                                 {"effective_on", effective_text},
                                 {"document", document},
                                 {"authority", authority},
                                 {"description", description},
                                 {"recorded_on", today},
                                 {"changes", changes}},
                                "/adjustments");
}

sdk::Response PlaceNamesPlugin::listAdjustments(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kAdjustmentList);
  sdk::ListQuery query("a.county_code", request.county());
  const auto total = query.count(*lists_, db, " FROM pn_adjustments a");
  soci::rowset<soci::row> rows = query.rows(
      db,
      "SELECT a.id, a.effective_on, a.document, a.authority, a.description, a.recorded_on"
      " FROM pn_adjustments a" +
          query.clause() + " AND " + page.keysetCondition("a.id") +
          page.orderAndLimit({{"id", "a.id"}, {"effective_on", "a.effective_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(sdk::jsonObject({{"id", ids.back()},
                                     {"effective_on", sdk::sql::textAt(row, 1)},
                                     {"document", sdk::sql::textAt(row, 2)},
                                     {"authority", sdk::sql::textAt(row, 3)},
                                     {"description", sdk::sql::textAt(row, 4)},
                                     {"recorded_on", sdk::sql::textAt(row, 5)},
                                     {"changes", json::array()}}));
  }
  for (auto& item : items) {
    const long long key = item["id"];
    soci::rowset<soci::row> changes =
        (db.prepare << "SELECT old_code, new_code, kind FROM pn_successors WHERE adjustment_id ="
                       " :a ORDER BY id",
         soci::use(key));
    for (const auto& row : changes)
      item["changes"].push_back(sdk::jsonObject({{"old_code", sdk::sql::textAt(row, 0)},
                                                 {"new_code", sdk::sql::textAt(row, 1)},
                                                 {"kind", sdk::sql::textAt(row, 2)}}));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

}  // namespace civ::plugins::place_names
