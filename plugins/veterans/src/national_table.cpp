#include "national_table.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <civ/sdk/error.h>

#include "veterans_rules.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;

bool isDigits(const std::string& text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

template <std::size_t N>
bool among(const char* const (&codes)[N], const std::string& code) {
  for (const char* value : codes)
    if (code == value) return true;
  return false;
}

/// Trims spaces, tabs and line ends a spreadsheet leaves around a cell.
std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// Checks one row's values; appends its problems to `errors` under `prefix` ("rows[3]").
std::optional<ImportRow> checkedRow(const std::string& prefix, const std::string& item,
                                    const std::string& key, const std::string& amount_text,
                                    const std::string& date_text,
                                    std::vector<sdk::FieldError>& errors) {
  bool good = true;
  if (!standardItem(item)) {
    std::string known;
    for (const auto& candidate : kStandardItems)
      known += std::string(known.empty() ? "" : ", ") + candidate.code;
    errors.push_back(
        {prefix + ".item", "standard-item", "'" + item + "' is not an item: " + known});
    good = false;
  } else if (auto problem = keyProblem(item, key); !problem.empty()) {
    errors.push_back({prefix + ".key", "standard-key", problem});
    good = false;
  }
  const auto amount = sdk::Money::parse(amount_text);
  if (!amount) {
    errors.push_back({prefix + ".amount", "format",
                      "'" + amount_text + "' is not an amount in yuan with at most two decimals"});
    good = false;
  } else if (amount->fen() <= 0) {
    errors.push_back({prefix + ".amount", "positive", "a standard is more than 0.00"});
    good = false;
  }
  const auto date = sdk::Date::parse(date_text);
  if (!date) {
    errors.push_back(
        {prefix + ".effective_from", "date", "'" + date_text + "' is not a date YYYY-MM-DD"});
    good = false;
  }
  if (!good) return std::nullopt;
  return ImportRow{item, key, *amount, *date};
}

/// Refuses an import that names one standard twice (which would it be?), then any bad row.
std::vector<ImportRow> finished(std::vector<std::pair<std::string, ImportRow>> rows,
                                std::vector<sdk::FieldError> errors) {
  std::map<std::tuple<std::string, std::string, std::string>, std::string> seen;
  for (const auto& [prefix, row] : rows) {
    const auto key = std::make_tuple(row.item, row.key, row.effective_from.toString());
    auto [at, inserted] = seen.emplace(key, prefix);
    if (!inserted)
      errors.push_back({prefix + ".key", "duplicate-row",
                        row.item + " " + row.key + " from " + row.effective_from.toString() +
                            " is also in " + at->second + "; one figure per standard and date"});
  }
  if (rows.empty() && errors.empty())
    errors.push_back({"rows", "no-rows", "the import holds no standard"});
  if (!errors.empty()) throw sdk::ValidationError(std::move(errors));
  std::vector<ImportRow> result;
  for (auto& [prefix, row] : rows) result.push_back(std::move(row));
  return result;
}

std::string sqlText(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

const StandardItem* standardItem(const std::string& code) {
  for (const auto& item : kStandardItems)
    if (code == item.code) return &item;
  return nullptr;
}

std::string keyProblem(const std::string& item, const std::string& key) {
  if (item == "disability_pension") {
    const auto underscore = key.find('_');
    const std::string nature = key.substr(0, underscore);
    const std::string grade =
        underscore == std::string::npos ? std::string() : key.substr(underscore + 1);
    if (!among(kNatures, nature) || !isDigits(grade) || grade.size() > 2)
      return "'" + key +
             "': a disability key is <nature>_<grade>, nature war, duty or illness, "
             "e.g. war_1";
    const int value = std::stoi(grade);
    if (value < 1 || value > 10) return "'" + key + "': grades are 1 to 10";
    if (nature == "illness" && value > 6)
      return "'" + key + "': 因病 disability is pensioned only at grades 1 to 6 (§27)";
    return "";
  }
  if (item == "survivor_pension")
    return among(kDeathKinds, key) ? "" : "'" + key + "': martyr, duty or illness";
  if (item == "living_subsidy") {
    if (among(kSubsidyGroups, key)) return "";
    std::string groups;
    for (const char* group : kSubsidyGroups)
      groups += std::string(groups.empty() ? "" : ", ") + group;
    return "'" + key + "' is not a §62 group: " + groups;
  }
  if (item == "urban_income")
    return isDigits(key) && key.size() == 4 && key >= "1949" ? ""
                                                             : "'" + key + "': the year, e.g. 2024";
  if (item == "lieutenant_pay") return key == "base" ? "" : "'" + key + "': the key is base";
  return "'" + item + "' is not an item";
}

NationalTable::NationalTable(std::vector<StandardRow> rows) : rows_(std::move(rows)) {}

namespace {
/// Whether `a` outranks `b` for the same item and key at dates both are in force.
bool outranks(const StandardRow& a, const StandardRow& b) {
  return std::make_tuple(a.effective_from, a.county_import, a.id) >
         std::make_tuple(b.effective_from, b.county_import, b.id);
}
}  // namespace

const StandardRow* NationalTable::inForce(const std::string& item, const std::string& key,
                                          sdk::Date on) const {
  const StandardRow* best = nullptr;
  for (const auto& row : rows_)
    if (row.item == item && row.key == key && row.effective_from <= on &&
        (!best || outranks(row, *best)))
      best = &row;
  return best;
}

const StandardRow* NationalTable::urbanIncome(int year) const {
  const std::string key = std::to_string(year);
  const StandardRow* best = nullptr;
  for (const auto& row : rows_)
    if (row.item == "urban_income" && row.key == key && (!best || outranks(row, *best)))
      best = &row;
  return best;
}

std::vector<StandardRow> NationalTable::asOf(sdk::Date on) const {
  std::map<std::pair<std::string, std::string>, const StandardRow*> best;
  for (const auto& row : rows_) {
    if (row.effective_from > on) continue;
    auto& slot = best[{row.item, row.key}];
    if (!slot || outranks(row, *slot)) slot = &row;
  }
  std::vector<StandardRow> result;
  for (const auto& [key, row] : best) result.push_back(*row);
  return result;
}

std::vector<ImportRow> importRowsFromJson(const json& rows) {
  std::vector<std::pair<std::string, ImportRow>> checked;
  std::vector<sdk::FieldError> errors;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const json& row = rows[i];
    const std::string prefix = "rows[" + std::to_string(i) + "]";
    if (auto good = checkedRow(prefix, row.value("item", ""), row.value("key", ""),
                               row.value("amount", ""), row.value("effective_from", ""), errors))
      checked.emplace_back(prefix, std::move(*good));
  }
  return finished(std::move(checked), std::move(errors));
}

std::vector<ImportRow> importRowsFromTable(const std::vector<std::vector<std::string>>& table) {
  if (table.empty())
    throw sdk::ValidationError("file", "no-rows",
                               "the file is empty; the first row names the "
                               "columns item, key, amount, effective_from");
  // Columns by their heading, in English or Chinese.
  const std::map<std::string, std::string> names = {{"item", "item"},
                                                    {"项目", "item"},
                                                    {"key", "key"},
                                                    {"键", "key"},
                                                    {"标准键", "key"},
                                                    {"amount", "amount"},
                                                    {"金额", "amount"},
                                                    {"标准（元）", "amount"},
                                                    {"effective_from", "effective_from"},
                                                    {"生效日期", "effective_from"}};
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < table[0].size(); ++i) {
    auto found = names.find(trimmed(table[0][i]));
    if (found != names.end() && !column.count(found->second)) column[found->second] = i;
  }
  std::vector<sdk::FieldError> missing;
  for (const char* wanted : {"item", "key", "amount", "effective_from"})
    if (!column.count(wanted))
      missing.push_back({"file", "columns",
                         std::string("the header row has no column ") + wanted +
                             " (the columns are item, key, amount, effective_from)"});
  if (!missing.empty()) throw sdk::ValidationError(std::move(missing), 400);
  std::vector<std::pair<std::string, ImportRow>> checked;
  std::vector<sdk::FieldError> errors;
  for (std::size_t r = 1; r < table.size(); ++r) {
    const auto& cells = table[r];
    const auto cell = [&](const char* name) {
      const auto index = column[name];
      return index < cells.size() ? trimmed(cells[index]) : std::string();
    };
    if (std::all_of(cells.begin(), cells.end(),
                    [](const std::string& text) { return trimmed(text).empty(); }))
      continue;  // a blank row a spreadsheet keeps
    const std::string prefix = "rows[" + std::to_string(r + 1) + "]";
    if (auto good = checkedRow(prefix, cell("item"), cell("key"), cell("amount"),
                               cell("effective_from"), errors))
      checked.emplace_back(prefix, std::move(*good));
  }
  return finished(std::move(checked), std::move(errors));
}

std::vector<std::string> bundledTableStatements() {
  // The bundled file is ours and simple (no quoted fields): lines of item,key,amount,
  // effective_from,note; '#' starts a comment line; the first other line is the header.
  std::istringstream lines(bundledStandardsCsv());
  std::string line;
  bool header = true;
  std::vector<std::vector<std::string>> table;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (header) {
      header = false;
      table.push_back(cells);
      continue;
    }
    table.push_back(cells);
  }
  const auto rows = importRowsFromTable(table);  // the bundled file obeys the import's rules
  std::vector<std::string> statements = {
      "INSERT INTO vt_standard_imports (county_code, source, format, row_count, imported_by,"
      " imported_on, note) VALUES (NULL, 'bundled', 'csv', " +
      std::to_string(rows.size()) +
      ", 'civ', '2026-01-01', 'data/national_standards.csv: illustrative figures except the"
      " national urban per-capita disposable income; import the year''s notice')"};
  // One statement per 50 rows: a multi-row VALUES list both engines accept.
  for (std::size_t start = 0; start < rows.size(); start += 50) {
    std::string sql =
        "INSERT INTO vt_national_standards (import_id, county_code, item, item_key, amount_fen,"
        " effective_from) VALUES ";
    for (std::size_t i = start; i < std::min(rows.size(), start + 50); ++i) {
      const auto& row = rows[i];
      sql += std::string(i == start ? "" : ", ") +
             "((SELECT MIN(id) FROM vt_standard_imports WHERE county_code IS NULL), NULL, " +
             sqlText(row.item) + ", " + sqlText(row.key) + ", " + std::to_string(row.amount.fen()) +
             ", " + sqlText(row.effective_from.toString()) + ")";
    }
    statements.push_back(std::move(sql));
  }
  return statements;
}

}  // namespace civ::plugins::veterans
