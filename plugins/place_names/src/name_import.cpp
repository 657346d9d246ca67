// Import of a county's existing gazetteer (issue 21 item 6): a CSV or XLSX file read by the
// SDK's table reader (civ/sdk/table_file.h), one row per name, every row checked with the rules
// an application is checked with (forbidden content, rare characters, pinyin, duplicates and
// homophones in the law's scope, the division in force, township scope). All or nothing: a file
// with any bad row imports nothing and answers every bad row (row, column, rule); the layout is
// in docs/import-layout.md.
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string_view>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/table_file.h>

#include "place_names_plugin.h"
#include "place_rules.h"

namespace civ::plugins::place_names {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxReported = 1000;

/// The layout's columns; the first five are required in the header.
const std::vector<std::string>& columns() {
  static const std::vector<std::string> all = {
      "specific",      "generic",         "category",    "division_code", "status",
      "built_up_area", "specific_pinyin", "meaning",     "origin",        "longitude",
      "latitude",      "protected",       "approved_on", "ended_on"};
  return all;
}
constexpr std::size_t kRequiredColumns = 5;

/// The Chinese headers a gazetteer kept in a spreadsheet uses for the same columns (the names
/// the CSV export writes, so an export reads back).
const std::map<std::string, std::string, std::less<>>& aliases() {
  static const std::map<std::string, std::string, std::less<>> all = {
      {"专名", "specific"},
      {"通名", "generic"},
      {"类别", "category"},
      {"政区代码", "division_code"},
      {"状态", "status"},
      {"建成区", "built_up_area"},
      {"专名拼音", "specific_pinyin"},
      {"含义", "meaning"},
      {"由来", "origin"},
      {"经度", "longitude"},
      {"纬度", "latitude"},
      {"保护名录", "protected"},
      {"批准日期", "approved_on"},
      {"停用日期", "ended_on"}};
  return all;
}

/// Columns the CSV export writes that an import derives instead (the id, the full name, the
/// township and the romanisation follow from the other columns): read back and ignored.
bool derivedColumn(const std::string& name) {
  static const std::set<std::string, std::less<>> all = {
      "id", "标准名称", "乡镇（街道）", "罗马字母拼写", "full_name", "township", "pinyin"};
  return all.contains(name);
}

std::size_t maxLength(const std::string& column) {
  if (column == "specific") return 40;
  if (column == "generic") return 20;
  if (column == "built_up_area") return 50;
  if (column == "specific_pinyin") return 120;
  if (column == "meaning" || column == "origin") return 2000;
  return 40;
}

std::optional<bool> parseFlag(const std::string& text) {
  if (text == "true" || text == "1" || text == "是") return true;
  if (text == "false" || text == "0" || text == "否" || text.empty()) return false;
  return std::nullopt;
}

std::optional<double> parseNumber(const std::string& text) {
  if (text.empty() || text.size() > 30) return std::nullopt;
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool emptyRow(const std::vector<std::string>& cells) {
  return std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); });
}

}  // namespace

sdk::Response PlaceNamesPlugin::importNames(sdk::Request& request) {
  auto& db = request.db();
  sdk::Table rows = sdk::uploadedTable(request);

  std::vector<sdk::FieldError> problems;
  const auto problem = [&](std::size_t row, const std::string& column, const std::string& rule,
                           const std::string& message) {
    if (problems.size() < kMaxReported)
      problems.push_back({"rows[" + std::to_string(row) + "]." + column, rule, message});
  };
  if (rows.empty()) throw sdk::ValidationError("rows", "not-empty", "the file has no header row");

  // Header: the required columns, any of the optional ones, nothing else, in any order.
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < rows[0].size(); ++i) {
    std::string name = rows[0][i];
    if (name.empty()) {
      const bool holds_values = std::any_of(rows.begin() + 1, rows.end(), [&](const auto& cells) {
        return i < cells.size() && !cells[i].empty();
      });
      if (holds_values)
        problems.push_back({"rows[1]", "unnamed-column",
                            "column " + std::to_string(i + 1) +
                                " holds values but has no name in the header row"});
      continue;
    }
    if (derivedColumn(name)) continue;
    if (const auto alias = aliases().find(name); alias != aliases().end()) name = alias->second;
    if (std::find(columns().begin(), columns().end(), name) == columns().end())
      problem(1, rows[0][i], "unknown-column", "not a column of the gazetteer layout");
    else if (!position.emplace(name, i).second)
      problem(1, name, "duplicate-column", "the column appears twice");
  }
  for (std::size_t i = 0; i < kRequiredColumns; ++i)
    if (!position.contains(columns()[i]))
      problem(1, columns()[i], "missing-column", "the layout needs it");
  if (!problems.empty()) throw sdk::ValidationError(problems);
  if (std::all_of(rows.begin() + 1, rows.end(), emptyRow))
    throw sdk::ValidationError("rows", "not-empty", "the file has no rows");

  const std::string county = request.county(), today = request.today().toString();
  std::map<std::string, std::int64_t> counts = {
      {"standard", 0}, {"proposed", 0}, {"renamed", 0}, {"retired", 0}};
  std::int64_t imported = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::size_t row = r + 1;  // as a spreadsheet numbers it, the header being row 1
    const auto& cells = rows[r];
    if (emptyRow(cells)) continue;
    const std::size_t before = problems.size();
    std::map<std::string, std::string> f;
    for (const auto& name : columns()) {
      const auto at = position.find(name);
      f[name] = at != position.end() && at->second < cells.size() ? cells[at->second] : "";
    }
    for (const auto& name : columns()) {
      if (f[name].size() > maxLength(name) * 4 || characterCount(f[name]) > maxLength(name))
        problem(row, name, "maxLength",
                "longer than " + std::to_string(maxLength(name)) + " characters");
      for (unsigned char c : f[name])
        if (c < 0x20 && c != '\t') {
          problem(row, name, "control-characters", "control characters are not allowed");
          break;
        }
    }
    for (const char* name : {"specific", "category", "division_code", "status"})
      if (f[name].empty()) problem(row, name, "required", "must not be empty");
    const auto& all = categories();
    if (!f["category"].empty() && std::find(all.begin(), all.end(), f["category"]) == all.end())
      problem(row, "category", "enum",
              "one of natural_feature, division, settlement, street, facility, park, heritage, "
              "other");
    const std::string status = f["status"];
    const bool live = status == "standard" || status == "proposed";
    if (!status.empty() && !live && status != "renamed" && status != "retired")
      problem(row, "status", "enum", "standard, proposed, renamed or retired");
    // Dates: approval, and the end of a renamed or retired name.
    const auto approved = sdk::Date::parse(f["approved_on"]);
    const auto ended = sdk::Date::parse(f["ended_on"]);
    if (!f["approved_on"].empty() && !approved) problem(row, "approved_on", "date", "YYYY-MM-DD");
    if (!f["ended_on"].empty() && !ended) problem(row, "ended_on", "date", "YYYY-MM-DD");
    if (approved && *approved > request.today())
      problem(row, "approved_on", "not-in-future", "after today");
    if (ended && *ended > request.today()) problem(row, "ended_on", "not-in-future", "after today");
    if (status == "proposed" && approved)
      problem(row, "approved_on", "proposed-not-approved",
              "a proposed name has no approval yet: leave the cell empty");
    if (live && !f["ended_on"].empty())
      problem(row, "ended_on", "ended-only-if-ended",
              "only a renamed or retired name has an end date");
    if ((status == "renamed" || status == "retired") && f["ended_on"].empty())
      problem(row, "ended_on", "required", "a renamed or retired name needs the day it ended");
    if (approved && ended && *ended < *approved)
      problem(row, "ended_on", "not-before-approval", "before approved_on");
    // Location: both coordinates or neither.
    const auto longitude = parseNumber(f["longitude"]), latitude = parseNumber(f["latitude"]);
    if (!f["longitude"].empty() && (!longitude || *longitude < -180 || *longitude > 180))
      problem(row, "longitude", "longitude", "degrees east, -180 to 180");
    if (!f["latitude"].empty() && (!latitude || *latitude < -90 || *latitude > 90))
      problem(row, "latitude", "latitude", "degrees north, -90 to 90");
    if (f["longitude"].empty() != f["latitude"].empty())
      problem(row, f["longitude"].empty() ? "longitude" : "latitude", "both-coordinates",
              "give longitude and latitude together, or neither");
    const auto is_protected = parseFlag(f["protected"]);
    if (!is_protected) problem(row, "protected", "boolean", "是/否, true/false or 1/0");
    // The division: in this county; in force today for a live name, known to the register for
    // one that ended. Its township gives the scope.
    const std::string code = f["division_code"];
    std::string township;
    if (!code.empty()) {
      std::optional<Division> division;
      if (code.compare(0, 6, county) == 0 && levelOfCode(code)) {
        division = divisionOn(db, county, code, request.today());
        if (!division && !live) {
          const std::string last = ended ? ended->toString() : today;
          soci::rowset<soci::row> versions =
              (db.prepare << "SELECT id, code, name, level, kind, parent_code, valid_from,"
                             " valid_to FROM pn_divisions WHERE county_code = :c AND code = :code"
                             " AND valid_from <= :d ORDER BY valid_from DESC",
               soci::use(county), soci::use(code), soci::use(last));
          for (const auto& version : versions) {
            division =
                Division{sdk::sql::int64At(version, 0), sdk::sql::textAt(version, 1),
                         sdk::sql::textAt(version, 2),  sdk::sql::textAt(version, 3),
                         sdk::sql::textAt(version, 4),  sdk::sql::textAt(version, 5),
                         sdk::sql::textAt(version, 6),  sdk::sql::optionalTextAt(version, 7)};
            break;
          }
        }
      }
      if (!division) {
        problem(row, "division_code", "division-in-force",
                "division " + code + " is not a division of county " + county +
                    (live ? " in force today" : ""));
      } else {
        if (division->level == "township") township = division->name;
        if (division->level == "village") {
          const auto parent = divisionOn(db, county, division->parent_code, request.today());
          township = parent ? parent->name : "";
        }
        const bool covered = township.empty() ? request.caller().townships.empty()
                                              : sdk::coversTownship(request.caller(), township);
        if (!covered)
          problem(row, "division_code", "in-scope",
                  "outside the townships this user acts for" +
                      std::string(township.empty() ? " (a county-level name)" : ""));
      }
    }
    if (f["category"] == "street" && f["built_up_area"].empty())
      problem(row, "built_up_area", "built-up-area-required",
              "a street, housing estate or building name is unique within its built-up area");
    if (problems.size() != before) continue;

    // The module's own rules, as for an application; their field becomes the row's column.
    std::optional<std::string> correction;
    if (!f["specific_pinyin"].empty()) correction = f["specific_pinyin"];
    Romanised romanised;
    try {
      checkCharacters(f["specific"], f["generic"]);
      romanised =
          romaniseName(f["specific"], f["generic"], f["category"], correction, "specific_pinyin");
      // Only live names count for duplicates and homophones, and only they must be free of
      // forbidden content: a renamed or retired name is the record of what the place was called.
      if (live)
        checkName(request, f["specific"], f["generic"], f["category"], f["built_up_area"],
                  romanised.key, 0, std::nullopt);
    } catch (const sdk::ValidationError& error) {
      for (const auto& found : error.fieldErrors())
        problem(row, found.field, found.rule, found.message);
      continue;
    }

    // The row passes: written now, so that the rows after it are checked against it (a file
    // that repeats a name is refused like two applications would be). A bad row anywhere
    // throws below and the transaction undoes every row.
    double lon = longitude.value_or(0), lat = latitude.value_or(0);
    soci::indicator located = longitude && latitude ? soci::i_ok : soci::i_null;
    std::string approved_text = approved ? approved->toString() : "";
    soci::indicator approved_present = approved ? soci::i_ok : soci::i_null;
    // A standard name is standard from its approval, or, when the gazetteer does not give the
    // day, from the import (the register knows it from then); a name that ended was standard
    // from its approval when known.
    std::string standard_from = status == "standard" && !approved ? today : approved_text;
    soci::indicator standard_present =
        status == "proposed" || standard_from.empty() ? soci::i_null : soci::i_ok;
    std::string ended_text = ended ? ended->toString() : "";
    soci::indicator ended_present = ended ? soci::i_ok : soci::i_null;
    std::string end_reason = status == "renamed" || status == "retired" ? "import" : "";
    const std::string applied_on = approved ? approved_text : today,
                      full = f["specific"] + f["generic"], reason = "地名录导入";
    const int protect = *is_protected ? 1 : 0;
    std::string typed = correction.value_or("");
    soci::indicator typed_present = correction ? soci::i_ok : soci::i_null;
    long long id = 0;
    db << "INSERT INTO pn_names (county_code, specific, generic, full_name, category,"
          " division_code, township, built_up_area, longitude, latitude, meaning, origin, reason,"
          " specific_pinyin, pinyin, pinyin_tones, pinyin_sign, pinyin_key, status, protected,"
          " applied_on, applied_by, approved_on, standard_from, ended_on, end_reason,"
          " imported_on) VALUES (:c, :s, :g, :f, :cat, :d, :t, :b, :lon, :lat, :m, :o, :r, :sp,"
          " :p, :pt, :ps, :k, :st, :pr, :ao, :by, :ap, :sf, :en, :er, :io) RETURNING id",
        soci::use(county), soci::use(f["specific"]), soci::use(f["generic"]), soci::use(full),
        soci::use(f["category"]), soci::use(code), soci::use(township),
        soci::use(f["built_up_area"]), soci::use(lon, located), soci::use(lat, located),
        soci::use(f["meaning"]), soci::use(f["origin"]), soci::use(reason),
        soci::use(typed, typed_present), soci::use(romanised.plain),
        soci::use(romanised.with_tones), soci::use(romanised.sign), soci::use(romanised.key),
        soci::use(status), soci::use(protect), soci::use(applied_on),
        soci::use(request.caller().user), soci::use(approved_text, approved_present),
        soci::use(standard_from, standard_present), soci::use(ended_text, ended_present),
        soci::use(end_reason, ended_present), soci::use(today), soci::into(id);
    json record = {{"row", row},
                   {"name", full},
                   {"category", f["category"]},
                   {"division_code", code},
                   {"status", status}};
    request.audit({sizeof(sdk::AuditRecord), "name.import", "name", std::to_string(id),
                   sdk::changedFields(nullptr, record)});
    ++counts[status];
    ++imported;
  }
  if (!problems.empty()) throw sdk::ValidationError(problems);
  json answer = {{"names", imported}};
  for (const auto& [status, count] : counts) answer[status] = count;
  return sdk::Response::created(answer, "/names");
}

}  // namespace civ::plugins::place_names
