// The dated national table (全国抚恤补助标准): the standards 退役军人事务部 and 财政部 reset every
// year (rules.md §3.2 "自然增长"), the national urban per-capita disposable income by year, and
// a 少尉's monthly basic pay. Loaded as data, never compiled in: the bundled table
// (data/national_standards.csv, migration 1) and each county's imports (a year's new table is an
// import by an approver, not a release).
//
// A standard for a date is the row of its item and key with the latest effective_from on or
// before the date; at the same effective_from a county's own import outranks the bundled table,
// and a later import outranks an earlier one (an import corrects a mistyped figure by repeating
// the date).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/money.h>

namespace civ::plugins::veterans {

/// One item of the table and the unit of its amounts.
struct StandardItem {
  const char* code;
  const char* zh;
  const char* en;
  const char* per;  ///< "year" or "month"
};
inline constexpr StandardItem kStandardItems[] = {
    {"disability_pension", "残疾抚恤金", "disability pension (key: nature_grade, e.g. war_1)",
     "year"},
    {"survivor_pension", "烈属、因公牺牲、病故军人遗属定期抚恤金",
     "periodic survivors' pension (key: martyr, duty, illness)", "year"},
    {"living_subsidy", "定期生活补助", "periodic living subsidy (key: the §62 group)", "year"},
    {"urban_income", "全国城镇居民人均可支配收入",
     "national urban per-capita disposable income (key: the year)", "year"},
    {"lieutenant_pay", "少尉月基本工资", "monthly basic pay of a second lieutenant (key: base)",
     "month"},
};

const StandardItem* standardItem(const std::string& code);

/// Why `key` is not a key of `item` ("" when it is one).
std::string keyProblem(const std::string& item, const std::string& key);

/// One row of the table.
struct StandardRow {
  std::int64_t id = 0;
  std::string item;
  std::string key;
  sdk::Money amount;  ///< per the item's unit (a year, or a month for lieutenant_pay)
  sdk::Date effective_from;
  bool county_import = false;  ///< the county's own import (false: the bundled table)
  std::int64_t import_id = 0;
};

/// The rows a county sees, in memory: one read per request or run, then lookups.
class NationalTable {
 public:
  NationalTable() = default;
  explicit NationalTable(std::vector<StandardRow> rows);

  /// The row of item/key in force on `on`; nullptr when none.
  const StandardRow* inForce(const std::string& item, const std::string& key, sdk::Date on) const;
  /// The national urban per-capita disposable income of `year` (the latest import of that
  /// year's figure); nullptr when not in the table.
  const StandardRow* urbanIncome(int year) const;
  /// Every item and key's row in force on `on`, ordered by item and key.
  std::vector<StandardRow> asOf(sdk::Date on) const;
  const std::vector<StandardRow>& rows() const { return rows_; }

 private:
  std::vector<StandardRow> rows_;
};

/// One row as imported.
struct ImportRow {
  std::string item;
  std::string key;
  sdk::Money amount;
  sdk::Date effective_from;
};

/// The rows of a JSON import ([{item, key, amount, effective_from}]), every one checked: a
/// ValidationError listing every bad row ("rows[3].key", rule) when any is bad, so nothing is
/// imported partially.
std::vector<ImportRow> importRowsFromJson(const nlohmann::json& rows);

/// The rows of a CSV or XLSX table: a header row naming the columns item, key, amount,
/// effective_from (or 项目, 键, 金额, 生效日期; other columns are ignored), then one row per
/// standard. Errors name "rows[n].<column>" with n the spreadsheet's row number (the header is
/// row 1).
std::vector<ImportRow> importRowsFromTable(const std::vector<std::vector<std::string>>& table);

/// The bundled table (data/national_standards.csv, compiled in by CMake).
const char* bundledStandardsCsv();

/// The statements of migration 1 that load the bundled table (an import with county_code NULL
/// and its rows).
std::vector<std::string> bundledTableStatements();

}  // namespace civ::plugins::veterans
