// Place names: romanisation, applications with their checks, reports, approval, filing and
// announcement within 15 days, retirement, corrections, the overdue list, forbidden words.
#include <algorithm>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

#include "place_names_plugin.h"
#include "place_rules.h"
#include "romanisation.h"

namespace civ::plugins::place_names {

namespace {

using nlohmann::json;

constexpr const char* kNameColumns =
    "SELECT n.id, n.specific, n.generic, n.full_name, n.category, n.division_code, n.township,"
    " n.built_up_area, n.longitude, n.latitude, n.meaning, n.origin, n.pinyin, n.pinyin_tones,"
    " n.pinyin_sign, n.specific_pinyin, n.status, n.protected, n.renames, n.applied_on,"
    " n.approved_on, n.authority, n.document_number, n.filing_due, n.filed_on,"
    " n.announcement_due, n.announced_on, n.standard_from, n.ended_on";

json nameItem(const soci::row& row) {
  json location = nullptr;
  if (row.get_indicator(8) == soci::i_ok && row.get_indicator(9) == soci::i_ok)
    location = {{"type", "Point"}, {"coordinates", {row.get<double>(8), row.get<double>(9)}}};
  return sdk::jsonObject({{"id", sdk::sql::int64At(row, 0)},
                          {"specific", sdk::sql::textAt(row, 1)},
                          {"generic", sdk::sql::textAt(row, 2)},
                          {"name", sdk::sql::textAt(row, 3)},
                          {"category", sdk::sql::textAt(row, 4)},
                          {"division_code", sdk::sql::textAt(row, 5)},
                          {"township", sdk::sql::textAt(row, 6)},
                          {"built_up_area", sdk::sql::textAt(row, 7)},
                          {"location", location},
                          {"meaning", sdk::sql::textAt(row, 10)},
                          {"origin", sdk::sql::textAt(row, 11)},
                          {"pinyin", sdk::sql::textAt(row, 12)},
                          {"pinyin_tones", sdk::sql::textAt(row, 13)},
                          {"pinyin_sign", sdk::sql::textAt(row, 14)},
                          {"specific_pinyin", sdk::sql::textOrNullAt(row, 15)},
                          {"status", sdk::sql::textAt(row, 16)},
                          {"protected", sdk::sql::int64At(row, 17) != 0},
                          {"renames", sdk::sql::int64OrNullAt(row, 18)},
                          {"applied_on", sdk::sql::textAt(row, 19)},
                          {"approved_on", sdk::sql::textOrNullAt(row, 20)},
                          {"authority", sdk::sql::textOrNullAt(row, 21)},
                          {"document_number", sdk::sql::textOrNullAt(row, 22)},
                          {"filing_due", sdk::sql::textOrNullAt(row, 23)},
                          {"filed_on", sdk::sql::textOrNullAt(row, 24)},
                          {"announcement_due", sdk::sql::textOrNullAt(row, 25)},
                          {"announced_on", sdk::sql::textOrNullAt(row, 26)},
                          {"standard_from", sdk::sql::textOrNullAt(row, 27)},
                          {"ended_on", sdk::sql::textOrNullAt(row, 28)}});
}

/// The syllables of the specific part: the correction when one is given, else ICU's reading.
/// ValidationError on `field` when the correction does not give one syllable per character.
std::vector<std::string> specificSyllables(const std::string& specific,
                                           const std::optional<std::string>& correction,
                                           const std::string& field) {
  if (!correction) return hanSyllables(specific);
  const auto parsed = parseSyllables(*correction);
  const auto characters = characterCount(specific);
  if (!parsed || parsed->size() != characters)
    throw sdk::ValidationError(field, "pinyin-syllables",
                               "give one pinyin syllable per character of '" + specific + "' (" +
                                   std::to_string(characters) +
                                   "), separated by spaces, e.g. \"cháng ān\"");
  return *parsed;
}

void refuseUnchanged(const json& body) {
  std::vector<sdk::FieldError> errors;
  for (const auto& item : body.items())
    errors.push_back({item.key(), "unchanged", "the record already holds this value"});
  throw sdk::ValidationError(std::move(errors));
}

sdk::Date dateIn(const json& body, const char* field) {
  return *sdk::Date::parse(body[field].get<std::string>());
}

void checkPoint(const json& location, const std::string& field) {
  const double longitude = location["coordinates"][0], latitude = location["coordinates"][1];
  if (latitude < -90 || latitude > 90)
    throw sdk::ValidationError(field + ".coordinates[1]", "geojson-point",
                               "a GeoJSON point is [longitude, latitude]; latitude is within ±90");
  (void)longitude;
}

}  // namespace

/// The name's romanisation; ValidationError when a character has no pinyin reading.
Romanised romaniseName(const std::string& specific, const std::string& generic,
                       const std::string& category, const std::optional<std::string>& correction,
                       const std::string& field) {
  // A street's ordinal is written in digits unless the clerk's correction spells it otherwise.
  const auto first = writtenSyllables(specific, specificSyllables(specific, correction, field),
                                      category == "street" && !correction);
  const auto second = writtenSyllables(generic, hanSyllables(generic), false);
  for (const auto& syllable : first)
    if (!isPinyinSyllable(syllable) && !isArabicNumber(syllable))
      throw sdk::ValidationError(field, "pinyin-reading",
                                 "'" + syllable + "' has no pinyin reading: give specific_pinyin");
  for (const auto& syllable : second)
    if (!isPinyinSyllable(syllable) && !isArabicNumber(syllable))
      throw sdk::ValidationError("generic", "pinyin-reading",
                                 "'" + syllable + "' has no pinyin reading");
  // 自然村镇 names are written as one word (1984 rules); others specific and generic apart.
  return romanise(first, second, category == "settlement");
}

/// Rare characters (§9: avoid 生僻字), checked before anything reads the characters.
void checkCharacters(const std::string& specific, const std::string& generic) {
  for (const auto& [field, text] : {std::pair<std::string, std::string>{"specific", specific},
                                    std::pair<std::string, std::string>{"generic", generic}}) {
    const auto rare = rareCharacters(text);
    if (!rare.empty())
      throw sdk::ValidationError(field, "rare-character",
                                 "'" + rare.front() +
                                     "' is outside the common characters (CJK "
                                     "U+4E00–U+9FFF); a place name avoids rare characters (§9)");
  }
}

json PlaceNamesPlugin::nameJson(soci::session& db, std::int64_t id, bool with_reports) const {
  const long long key = id;
  json item;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string(kNameColumns) + " FROM pn_names n WHERE n.id = :id",
       soci::use(key));
  for (const auto& row : rows) item = nameItem(row);
  if (with_reports) {
    item["reports"] = json::array();
    soci::rowset<soci::row> reports =
        (db.prepare << "SELECT kind, on_date, summary FROM pn_name_reports WHERE name_id = :id"
                       " ORDER BY id",
         soci::use(key));
    for (const auto& row : reports)
      item["reports"].push_back(sdk::jsonObject({{"kind", sdk::sql::textAt(row, 0)},
                                                 {"on_date", sdk::sql::textAt(row, 1)},
                                                 {"summary", sdk::sql::textAt(row, 2)}}));
  }
  return item;
}

PlaceName PlaceNamesPlugin::nameAt(sdk::Request& request) const {
  auto& db = request.db();
  const long long key = request.pathId("id");
  std::optional<PlaceName> found;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, specific, generic, category, status, township, built_up_area,"
                     " protected, specific_pinyin, approved_on, authority, filed_on, renames,"
                     " applied_on FROM pn_names WHERE county_code = :c AND id = :id",
       soci::use(request.county()), soci::use(key));
  for (const auto& row : rows)
    found = PlaceName{sdk::sql::int64At(row, 0),          sdk::sql::textAt(row, 1),
                      sdk::sql::textAt(row, 2),           sdk::sql::textAt(row, 3),
                      sdk::sql::textAt(row, 4),           sdk::sql::textAt(row, 5),
                      sdk::sql::textAt(row, 6),           sdk::sql::int64At(row, 7) != 0,
                      sdk::sql::optionalTextAt(row, 8),   sdk::sql::optionalTextAt(row, 9),
                      sdk::sql::optionalTextAt(row, 10),  sdk::sql::optionalTextAt(row, 11),
                      sdk::sql::optionalInt64At(row, 12), sdk::sql::textAt(row, 13)};
  if (!found)
    throw sdk::NotFound("no place name " + std::to_string(key) + " in county " + request.county());
  const std::string what = "place name " + std::to_string(key);
  if (found->township.empty()) {
    sdk::requireCountyWide(request.caller(), what);
  } else {
    sdk::requireTownship(request.caller(), found->township, what);
  }
  return *found;
}

void PlaceNamesPlugin::checkName(sdk::Request& request, const std::string& specific,
                                 const std::string& generic, const std::string& category,
                                 const std::string& built_up_area, const std::string& key,
                                 std::int64_t self, std::optional<std::int64_t> renames) const {
  auto& db = request.db();
  const std::string full = specific + generic;
  // Forbidden content (§9, 实施办法 §3–4): the county's maintained list.
  std::vector<std::string> words;
  std::vector<std::string> kinds;
  soci::rowset<soci::row> listed =
      (db.prepare << "SELECT word, kind FROM pn_forbidden_words WHERE county_code = :c ORDER BY id",
       soci::use(request.county()));
  for (const auto& row : listed) {
    words.push_back(sdk::sql::textAt(row, 0));
    kinds.push_back(sdk::sql::textAt(row, 1));
  }
  if (auto word = forbiddenWordIn(specific, words)) {
    const auto at = std::find(words.begin(), words.end(), *word) - words.begin();
    throw sdk::ValidationError("specific", "forbidden-content",
                               "'" + specific + "' contains '" + *word + "' (" + kinds[at] +
                                   "), which a place name may not use (地名管理条例 §9)");
  }
  checkCharacters(specific, generic);
  // Duplicates and homophones in the scope the law sets for the category.
  const Scope scope = duplicateScope(category, generic);
  const long long own = self, renamed = renames.value_or(0);
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, county_code, full_name, built_up_area, status FROM pn_names WHERE"
                     " category = :cat AND status IN ('proposed', 'standard') AND id <> :self AND"
                     " id <> :renamed AND (full_name = :full OR pinyin_key = :key) ORDER BY id",
       soci::use(category), soci::use(own), soci::use(renamed), soci::use(full), soci::use(key));
  for (const auto& row : rows) {
    const std::string county = sdk::sql::textAt(row, 1), other = sdk::sql::textAt(row, 2),
                      area = sdk::sql::textAt(row, 3);
    if (!sameScope(scope, request.county(), county)) continue;
    if (scope == Scope::BuiltUpArea && area != built_up_area) continue;
    const std::string where = "in the same " + scopeName(scope) + " (county " + county +
                              (scope == Scope::BuiltUpArea ? ", built-up area " + area : "") + ")";
    if (other == full)
      throw sdk::ValidationError("specific", "duplicate-name",
                                 "'" + full + "' is already a " + sdk::sql::textAt(row, 4) +
                                     " name " + where + " (地名管理条例 §9)");
    throw sdk::ValidationError("specific", "homophone",
                               "'" + full + "' sounds as '" + other + "' (same toneless pinyin) " +
                                   where + " (地名管理条例 §9)");
  }
}

sdk::Response PlaceNamesPlugin::romanisation(sdk::Request& request) {
  const std::string specific = *request.queryParam("specific");
  const auto romanised = romaniseName(specific, request.queryParam("generic").value_or(""),
                                      request.queryParam("category").value_or("other"),
                                      request.queryParam("specific_pinyin"), "specific_pinyin");
  return sdk::Response::ok({{"pinyin", romanised.plain},
                            {"pinyin_tones", romanised.with_tones},
                            {"pinyin_sign", romanised.sign}});
}

sdk::Response PlaceNamesPlugin::applyName(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string specific = body["specific"], generic = body["generic"],
                    category = body["category"], code = body["division_code"];
  const std::string county = request.county();
  // The division the name lies in, in force today; the township it belongs to.
  if (code.compare(0, 6, county) != 0)
    throw sdk::ValidationError("division_code", "division-in-force",
                               "division " + code + " is not in county " + county);
  const auto division = divisionOn(db, county, code, request.today());
  if (!division)
    throw sdk::ValidationError("division_code", "division-in-force",
                               "division " + code + " is not in force today");
  std::string township;
  if (division->level == "township") township = division->name;
  if (division->level == "village") {
    const auto parent = divisionOn(db, county, division->parent_code, request.today());
    township = parent ? parent->name : "";
  }
  const std::string what = "a name in " + division->name;
  if (township.empty())
    sdk::requireCountyWide(request.caller(), what);
  else
    sdk::requireTownship(request.caller(), township, what);
  const std::string area = body.value("built_up_area", "");
  if (category == "street" && area.empty())
    throw sdk::ValidationError("built_up_area", "built-up-area-required",
                               "a street, housing estate or building name is unique within its "
                               "built-up area (§9): name it");
  checkCharacters(specific, generic);
  std::optional<std::string> correction;
  if (body.contains("specific_pinyin")) correction = body["specific_pinyin"].get<std::string>();
  const auto romanised = romaniseName(specific, generic, category, correction, "specific_pinyin");
  std::optional<std::int64_t> renames;
  std::string measures = body.value("protection_measures", "");
  if (body.contains("renames")) {
    const long long old = body["renames"].get<long long>();
    std::string status;
    int is_protected = 0;
    db << "SELECT status, protected FROM pn_names WHERE county_code = :c AND id = :id",
        soci::use(county), soci::use(old), soci::into(status), soci::into(is_protected);
    if (!db.got_data() || status != "standard")
      throw sdk::ValidationError("renames", "renames-standard-name",
                                 "a renaming replaces a standard name of this county; " +
                                     std::to_string(old) + " is not one");
    if (is_protected != 0 && measures.empty())
      throw sdk::ValidationError("protection_measures", "protection-measures-first",
                                 "name " + std::to_string(old) +
                                     " is on the protection list: renaming it needs the protection "
                                     "measures taken first (地名管理条例 §10, §25)");
    renames = old;
  }
  checkName(request, specific, generic, category, area, romanised.key, 0, renames);
  double longitude = 0, latitude = 0;
  soci::indicator located = soci::i_null;
  if (body.contains("location")) {
    checkPoint(body["location"], "location");
    longitude = body["location"]["coordinates"][0];
    latitude = body["location"]["coordinates"][1];
    located = soci::i_ok;
  }
  const std::string full = specific + generic, meaning = body.value("meaning", ""),
                    origin = body.value("origin", ""), reason = body["reason"],
                    today = request.today().toString();
  const int is_protected = body.value("protected", false) ? 1 : 0;
  std::string typed = correction.value_or("");
  soci::indicator typed_present = correction ? soci::i_ok : soci::i_null;
  long long renamed_id = renames.value_or(0);
  soci::indicator renames_present = renames ? soci::i_ok : soci::i_null;
  soci::indicator measures_present = measures.empty() ? soci::i_null : soci::i_ok;
  long long id = 0;
  db << "INSERT INTO pn_names (county_code, specific, generic, full_name, category, division_code,"
        " township, built_up_area, longitude, latitude, meaning, origin, reason, specific_pinyin,"
        " pinyin, pinyin_tones, pinyin_sign, pinyin_key, status, protected, protection_measures,"
        " renames, applied_on, applied_by) VALUES (:c, :s, :g, :f, :cat, :d, :t, :b, :lon, :lat,"
        " :m, :o, :r, :sp, :p, :pt, :ps, :k, 'proposed', :pr, :pm, :rn, :on, :by) RETURNING id",
      soci::use(county), soci::use(specific), soci::use(generic), soci::use(full),
      soci::use(category), soci::use(code), soci::use(township), soci::use(area),
      soci::use(longitude, located), soci::use(latitude, located), soci::use(meaning),
      soci::use(origin), soci::use(reason), soci::use(typed, typed_present),
      soci::use(romanised.plain), soci::use(romanised.with_tones), soci::use(romanised.sign),
      soci::use(romanised.key), soci::use(is_protected), soci::use(measures, measures_present),
      soci::use(renamed_id, renames_present), soci::use(today), soci::use(request.caller().user),
      soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), renames ? "name.apply_rename" : "name.apply", "name",
                 std::to_string(id), sdk::changedFields(nullptr, body)});
  return sdk::Response::created(nameJson(db, id, false), "/names/" + std::to_string(id));
}

sdk::Response PlaceNamesPlugin::listNames(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kNameList);
  sdk::ListQuery query("n.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "n.township"));
  if (auto text = request.queryParam("q")) {
    std::string letters;
    for (char c : *text)
      if (std::isalpha(static_cast<unsigned char>(c)))
        letters += static_cast<char>(std::tolower(c));
    if (letters.empty())
      query.add("n.full_name " + query.containing(*text));
    else
      query.add("(n.full_name " + query.containing(*text) + " OR n.pinyin_key " +
                query.containing(letters) + ")");
  }
  if (auto category = request.queryParam("category"))
    query.add("n.category = " + query.text(*category));
  if (auto status = request.queryParam("status")) query.add("n.status = " + query.text(*status));
  if (auto township = request.queryParam("township"))
    query.add("n.township = " + query.text(*township));
  if (auto as_of = request.queryDate("as_of")) {
    const std::string day = as_of->toString();
    query.add("n.standard_from <= " + query.text(day));
    query.add("(n.ended_on IS NULL OR n.ended_on > " + query.text(day) + ")");
  }
  const auto total = query.count(*lists_, db, " FROM pn_names n");
  soci::rowset<soci::row> rows =
      query.rows(db, std::string(kNameColumns) + " FROM pn_names n" + query.clause() + " AND " +
                         page.keysetCondition("n.id") +
                         page.orderAndLimit({{"id", "n.id"},
                                             {"name", "n.full_name"},
                                             {"pinyin", "n.pinyin_key"},
                                             {"applied_on", "n.applied_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    items.push_back(nameItem(row));
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::listOverdue(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kOverdueList);
  const std::string today = request.today().toString();
  sdk::ListQuery query("n.county_code", request.county());
  query.add(sdk::townshipCondition(request.caller(), "n.township"));
  query.add("((n.filed_on IS NULL AND n.filing_due < " + query.text(today) +
            ") OR (n.announced_on IS NULL AND n.announcement_due < " + query.text(today) + "))");
  const auto total = query.count(*lists_, db, " FROM pn_names n");
  soci::rowset<soci::row> rows =
      query.rows(db, std::string(kNameColumns) + " FROM pn_names n" + query.clause() + " AND " +
                         page.keysetCondition("n.id") +
                         page.orderAndLimit({{"id", "n.id"}, {"approved_on", "n.approved_on"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    json item = nameItem(row);
    item["overdue"] = json::array();
    if (item["filed_on"].is_null() && item["filing_due"].is_string() &&
        item["filing_due"].get<std::string>() < today)
      item["overdue"].push_back("filing");
    if (item["announced_on"].is_null() && item["announcement_due"].is_string() &&
        item["announcement_due"].get<std::string>() < today)
      item["overdue"].push_back("announcement");
    items.push_back(item);
    ids.push_back(sdk::sql::int64At(row, 0));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::getName(sdk::Request& request) {
  const auto found = nameAt(request);
  return sdk::Response::ok(nameJson(request.db(), found.id, true));
}

sdk::Response PlaceNamesPlugin::correctName(sdk::Request& request) {
  auto& db = request.db();
  const auto found = nameAt(request);
  const json& body = request.body();
  if (!body.is_object() || body.empty())
    throw sdk::ValidationError("(body)", "at-least-one",
                               "name at least one field: meaning, origin, location, built_up_area, "
                               "specific_pinyin, protected",
                               400);
  if (found.status == "renamed" || found.status == "retired")
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is " + found.status +
                        "; its record stays as it was");
  const json current = nameJson(db, found.id, false);
  const json before = {{"meaning", current["meaning"]},
                       {"origin", current["origin"]},
                       {"location", current["location"]},
                       {"built_up_area", current["built_up_area"]},
                       {"specific_pinyin", current["specific_pinyin"]},
                       {"protected", current["protected"]}};
  json after = before;
  for (const auto& item : body.items()) after[item.key()] = item.value();
  if (body.contains("location")) checkPoint(body["location"], "location");
  const json changes = sdk::changedFields(before, after);
  if (changes.empty()) refuseUnchanged(body);
  std::optional<std::string> correction;
  if (after["specific_pinyin"].is_string())
    correction = after["specific_pinyin"].get<std::string>();
  const auto romanised =
      romaniseName(found.specific, found.generic, found.category, correction, "specific_pinyin");
  const std::string area = after["built_up_area"];
  if (found.category == "street" && area.empty())
    throw sdk::ValidationError("built_up_area", "built-up-area-required",
                               "a street name is unique within its built-up area: name it");
  if (body.contains("specific_pinyin") || body.contains("built_up_area"))
    checkName(request, found.specific, found.generic, found.category, area, romanised.key, found.id,
              found.renames);
  if (found.is_protected && after["protected"] == false)
    throw sdk::ValidationError("protected", "protection-list",
                               "a name leaves the protection list by the list's own procedure, "
                               "not by a correction");
  const std::string meaning = after["meaning"], origin = after["origin"];
  const int is_protected = after["protected"].get<bool>() ? 1 : 0;
  double longitude = 0, latitude = 0;
  soci::indicator located = soci::i_null;
  if (after["location"].is_object()) {
    longitude = after["location"]["coordinates"][0];
    latitude = after["location"]["coordinates"][1];
    located = soci::i_ok;
  }
  std::string typed = correction.value_or("");
  soci::indicator typed_present = correction ? soci::i_ok : soci::i_null;
  const long long key = found.id;
  db << "UPDATE pn_names SET meaning = :m, origin = :o, longitude = :lon, latitude = :lat,"
        " built_up_area = :b, specific_pinyin = :sp, pinyin = :p, pinyin_tones = :pt,"
        " pinyin_sign = :ps, pinyin_key = :k, protected = :pr WHERE id = :id",
      soci::use(meaning), soci::use(origin), soci::use(longitude, located),
      soci::use(latitude, located), soci::use(area), soci::use(typed, typed_present),
      soci::use(romanised.plain), soci::use(romanised.with_tones), soci::use(romanised.sign),
      soci::use(romanised.key), soci::use(is_protected), soci::use(key);
  request.audit(
      {sizeof(sdk::AuditRecord), "name.correct", "name", std::to_string(found.id), changes});
  return sdk::Response::ok(nameJson(db, found.id, false));
}

sdk::Response PlaceNamesPlugin::addReport(sdk::Request& request) {
  auto& db = request.db();
  const auto found = nameAt(request);
  if (found.status != "proposed")
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is " + found.status +
                        "; reports belong to an application");
  const json& body = request.body();
  const std::string kind = body["kind"], summary = body["summary"];
  const auto on = dateIn(body, "on_date");
  if (on > request.today())
    throw sdk::ValidationError("on_date", "not-in-future", "the report's date is after today");
  if (on < *sdk::Date::parse(found.applied_on))
    throw sdk::ValidationError(
        "on_date", "not-before-application",
        "the report is dated before the application (" + found.applied_on + ")");
  const long long key = found.id;
  long long existing = 0;
  db << "SELECT COUNT(*) FROM pn_name_reports WHERE name_id = :id AND kind = :k", soci::use(key),
      soci::use(kind), soci::into(existing);
  if (existing > 0)
    throw sdk::ValidationError("kind", "one-report-per-kind",
                               "the " + kind + " report of this application is recorded");
  const std::string day = on.toString();
  db << "INSERT INTO pn_name_reports (name_id, kind, on_date, summary, recorded_by) VALUES (:id,"
        " :k, :d, :s, :u)",
      soci::use(key), soci::use(kind), soci::use(day), soci::use(summary),
      soci::use(request.caller().user);
  request.audit({sizeof(sdk::AuditRecord), "name.report", "name", std::to_string(found.id),
                 sdk::changedFields(nullptr, body)});
  return sdk::Response::created(nameJson(db, found.id, true), "/names/" + std::to_string(found.id));
}

sdk::Response PlaceNamesPlugin::approveName(sdk::Request& request) {
  auto& db = request.db();
  const auto found = nameAt(request);
  if (found.status != "proposed")
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is " + found.status +
                        "; only a proposed name is approved");
  const json& body = request.body();
  const std::string authority = body["authority"], document = body["document_number"];
  const auto allowed = approvingAuthorities(found.category, found.generic);
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), authority) == allowed.end())
    throw sdk::ValidationError(
        "authority", "approving-authority",
        "a " + found.category + " name ending in '" + found.generic + "' is approved by " +
            allowed.front() + " (地名管理条例 §12; 行政区划管理条例 §7, §9), not " + authority);
  const auto approved_on = dateIn(body, "approved_on");
  if (approved_on > request.today())
    throw sdk::ValidationError("approved_on", "not-in-future", "the approval date is after today");
  if (approved_on < *sdk::Date::parse(found.applied_on))
    throw sdk::ValidationError(
        "approved_on", "not-before-application",
        "the approval is dated before the application (" + found.applied_on + ")");
  const long long key = found.id;
  long long reports = 0;
  db << "SELECT COUNT(DISTINCT kind) FROM pn_name_reports WHERE name_id = :id", soci::use(key),
      soci::into(reports);
  if (reports < 3)
    throw sdk::ValidationError("reports", "reports-required",
                               "approval needs the assessment, expert and consultation reports "
                               "(地名管理条例实施办法 §5); " +
                                   std::to_string(reports) + " of 3 recorded");
  const std::string day = approved_on.toString(), filing = filingDue(approved_on).toString();
  const auto announcement = announcementDue(approved_on, authority, std::nullopt);
  std::string announce = announcement ? announcement->toString() : "";
  soci::indicator announce_present = announcement ? soci::i_ok : soci::i_null;
  db << "UPDATE pn_names SET status = 'standard', approved_on = :d, authority = :a,"
        " document_number = :n, filing_due = :f, announcement_due = :ad, standard_from = :s"
        " WHERE id = :id",
      soci::use(day), soci::use(authority), soci::use(document), soci::use(filing),
      soci::use(announce, announce_present), soci::use(day), soci::use(key);
  json changes = {{"status", {{"old", "proposed"}, {"new", "standard"}}},
                  {"approved_on", {{"old", nullptr}, {"new", day}}},
                  {"authority", {{"old", nullptr}, {"new", authority}}}};
  if (found.renames) {
    const long long old = *found.renames;
    db << "UPDATE pn_names SET status = 'renamed', ended_on = :d, end_reason = 'renamed' WHERE"
          " id = :id AND status = 'standard'",
        soci::use(day), soci::use(old);
    request.audit({sizeof(sdk::AuditRecord),
                   "name.renamed",
                   "name",
                   std::to_string(old),
                   {{"status", {{"old", "standard"}, {"new", "renamed"}}},
                    {"ended_on", {{"old", nullptr}, {"new", day}}},
                    {"renamed_by", {{"old", nullptr}, {"new", found.id}}}}});
  }
  request.audit(
      {sizeof(sdk::AuditRecord), "name.approve", "name", std::to_string(found.id), changes});
  return sdk::Response::ok(nameJson(db, found.id, false));
}

sdk::Response PlaceNamesPlugin::fileName(sdk::Request& request) {
  auto& db = request.db();
  const auto found = nameAt(request);
  if (!found.approved_on)
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is not approved yet");
  if (found.filed_on) throw sdk::Conflict("place name " + std::to_string(found.id) + " is filed");
  const auto filed_on = dateIn(request.body(), "filed_on");
  if (filed_on > request.today())
    throw sdk::ValidationError("filed_on", "not-in-future", "the filing date is after today");
  if (filed_on < *sdk::Date::parse(*found.approved_on))
    throw sdk::ValidationError("filed_on", "not-before-approval",
                               "filing follows the approval of " + *found.approved_on);
  const std::string day = filed_on.toString();
  const auto announcement = announcementDue(*sdk::Date::parse(*found.approved_on),
                                            found.authority.value_or(""), filed_on);
  std::string announce = announcement ? announcement->toString() : "";
  const long long key = found.id;
  db << "UPDATE pn_names SET filed_on = :d, announcement_due = :a WHERE id = :id", soci::use(day),
      soci::use(announce), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "name.file",
                 "name",
                 std::to_string(found.id),
                 {{"filed_on", {{"old", nullptr}, {"new", day}}}}});
  return sdk::Response::ok(nameJson(db, found.id, false));
}

sdk::Response PlaceNamesPlugin::announceName(sdk::Request& request) {
  auto& db = request.db();
  const auto found = nameAt(request);
  if (!found.approved_on)
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is not approved yet");
  const json current = nameJson(db, found.id, false);
  if (!current["announced_on"].is_null())
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is announced");
  const auto announced_on = dateIn(request.body(), "announced_on");
  if (announced_on > request.today())
    throw sdk::ValidationError("announced_on", "not-in-future", "the announcement is after today");
  if (announced_on < *sdk::Date::parse(*found.approved_on))
    throw sdk::ValidationError("announced_on", "not-before-approval",
                               "the announcement follows the approval of " + *found.approved_on);
  if (!isGovernment(found.authority.value_or("")) && !found.filed_on)
    throw sdk::ValidationError("announced_on", "filed-first",
                               "a name a department approved is announced within 15 days of its "
                               "filing: record the filing first");
  const std::string day = announced_on.toString();
  const long long key = found.id;
  db << "UPDATE pn_names SET announced_on = :d WHERE id = :id", soci::use(day), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "name.announce",
                 "name",
                 std::to_string(found.id),
                 {{"announced_on", {{"old", nullptr}, {"new", day}}}}});
  return sdk::Response::ok(nameJson(db, found.id, false));
}

sdk::Response PlaceNamesPlugin::retireName(sdk::Request& request) {
  auto& db = request.db();
  const auto found = nameAt(request);
  if (found.status != "standard")
    throw sdk::Conflict("place name " + std::to_string(found.id) + " is " + found.status +
                        "; only a standard name is retired");
  const json& body = request.body();
  if (found.is_protected && !body.contains("protection_measures"))
    throw sdk::ValidationError("protection_measures", "protection-measures-first",
                               "the name is on the protection list: give the protection measures "
                               "taken first (地名管理条例 §10, §25)");
  const auto on = dateIn(body, "retired_on");
  if (on > request.today())
    throw sdk::ValidationError("retired_on", "not-in-future", "the retirement date is after today");
  if (on < *sdk::Date::parse(*found.approved_on))
    throw sdk::ValidationError("retired_on", "not-before-approval",
                               "the name became standard on " + *found.approved_on);
  const std::string day = on.toString(), reason = body["reason"];
  const long long key = found.id;
  db << "UPDATE pn_names SET status = 'retired', ended_on = :d, end_reason = :r WHERE id = :id",
      soci::use(day), soci::use(reason), soci::use(key);
  request.audit({sizeof(sdk::AuditRecord),
                 "name.retire",
                 "name",
                 std::to_string(found.id),
                 {{"status", {{"old", "standard"}, {"new", "retired"}}},
                  {"ended_on", {{"old", nullptr}, {"new", day}}}}});
  return sdk::Response::ok(nameJson(db, found.id, false));
}

sdk::Response PlaceNamesPlugin::listWords(sdk::Request& request) {
  auto& db = request.db();
  const auto page = sdk::ListRequest::from(request, kWordList);
  sdk::ListQuery query("w.county_code", request.county());
  if (auto kind = request.queryParam("kind")) query.add("w.kind = " + query.text(*kind));
  const auto total = query.count(*lists_, db, " FROM pn_forbidden_words w");
  soci::rowset<soci::row> rows =
      query.rows(db, "SELECT w.id, w.word, w.kind, w.note FROM pn_forbidden_words w" +
                         query.clause() + " AND " + page.keysetCondition("w.id") +
                         page.orderAndLimit({{"id", "w.id"}, {"word", "w.word"}}));
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    ids.push_back(sdk::sql::int64At(row, 0));
    items.push_back(sdk::jsonObject({{"id", ids.back()},
                                     {"word", sdk::sql::textAt(row, 1)},
                                     {"kind", sdk::sql::textAt(row, 2)},
                                     {"note", sdk::sql::textAt(row, 3)}}));
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

sdk::Response PlaceNamesPlugin::addWord(sdk::Request& request) {
  auto& db = request.db();
  const json& body = request.body();
  const std::string word = body["word"], kind = body["kind"], note = body.value("note", "");
  long long existing = 0;
  db << "SELECT COUNT(*) FROM pn_forbidden_words WHERE county_code = :c AND word = :w",
      soci::use(request.county()), soci::use(word), soci::into(existing);
  if (existing > 0)
    throw sdk::ValidationError("word", "unique-word", "'" + word + "' is on the list");
  long long id = 0;
  db << "INSERT INTO pn_forbidden_words (county_code, word, kind, note) VALUES (:c, :w, :k, :n)"
        " RETURNING id",
      soci::use(request.county()), soci::use(word), soci::use(kind), soci::use(note),
      soci::into(id);
  request.audit({sizeof(sdk::AuditRecord), "forbidden_word.add", "forbidden_word",
                 std::to_string(id), sdk::changedFields(nullptr, body)});
  return sdk::Response::created({{"id", id}, {"word", word}, {"kind", kind}, {"note", note}},
                                "/forbidden-words");
}

sdk::Response PlaceNamesPlugin::removeWord(sdk::Request& request) {
  auto& db = request.db();
  const long long key = request.pathId("id");
  std::string word, kind;
  db << "SELECT word, kind FROM pn_forbidden_words WHERE county_code = :c AND id = :id",
      soci::use(request.county()), soci::use(key), soci::into(word), soci::into(kind);
  if (!db.got_data()) throw sdk::NotFound("no forbidden word " + std::to_string(key));
  db << "DELETE FROM pn_forbidden_words WHERE id = :id", soci::use(key);
  request.audit({sizeof(sdk::AuditRecord), "forbidden_word.remove", "forbidden_word",
                 std::to_string(key),
                 sdk::changedFields({{"word", word}, {"kind", kind}}, nullptr)});
  return sdk::Response::noContent();
}

}  // namespace civ::plugins::place_names
