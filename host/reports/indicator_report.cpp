#include "host/reports/indicator_report.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace civ::host {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

/// Whether a count of this unit counts people or what stands for them.
bool countsPeople(const sdk::IndicatorDeclaration& declaration) {
  static const std::vector<std::string> kUnits = {"persons", "households", "cases",
                                                  "couples", "bodies",     "applications"};
  return declaration.measure == sdk::Measure::Count && contains(kUnits, declaration.unit);
}

/// One row of a township breakdown, after mapping to today's divisions.
struct TownshipRow {
  std::string township;
  std::int64_t value = 0;
  std::string code;                      ///< today's code, when the register knows the row
  std::vector<std::string> recorded_as;  ///< what the records hold, when it is not `township`
  std::vector<std::string> became;       ///< today's divisions of a township split or not merged
};

std::vector<TownshipRow> townshipRows(const std::vector<sdk::TownshipValue>& values,
                                      const TownshipMapping* mapping, bool additive,
                                      soci::session& db, const std::string& county) {
  std::vector<TownshipRow> rows;
  std::map<std::string, std::size_t> at;  // township -> index in rows
  for (const auto& value : values) {
    std::vector<sdk::CurrentDivision> today;
    if (mapping != nullptr)
      today = mapping->divisions.currentOf(db, county, value.township, mapping->today);
    TownshipRow row{value.township, value.value};
    if (today.size() == 1 && (additive || today.front().name == value.township)) {
      row.township = today.front().name;
      row.code = today.front().code;
      if (row.township != value.township) row.recorded_as.push_back(value.township);
    } else if (!today.empty()) {
      for (const auto& division : today) row.became.push_back(division.name);
    }
    const auto [found, added] = at.emplace(row.township, rows.size());
    if (added) {
      rows.push_back(std::move(row));
      continue;
    }
    TownshipRow& into = rows[found->second];
    into.value += row.value;
    for (auto& recorded : row.recorded_as) into.recorded_as.push_back(std::move(recorded));
  }
  for (auto& row : rows) {
    if (row.recorded_as.empty()) continue;
    // A row merged from its own name and others lists its own name too.
    const bool own = std::any_of(values.begin(), values.end(),
                                 [&](const auto& value) { return value.township == row.township; });
    if (own) row.recorded_as.insert(row.recorded_as.begin(), row.township);
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.township < b.township; });
  return rows;
}

/// A row is the caller's when its township (today's, once mapped) is: a caller still holding a
/// township merged away sees no part of the division it became.
bool rowCovered(const sdk::Caller& caller, const TownshipRow& row) {
  return sdk::coversTownship(caller, row.township);
}

}  // namespace

std::string_view toString(sdk::Measure measure) {
  switch (measure) {
    case sdk::Measure::Count:
      return "count";
    case sdk::Measure::Money:
      return "money";
    case sdk::Measure::Ratio:
      return "ratio";
  }
  return "count";
}

nlohmann::json indicatorReport(const std::vector<IndicatorEntry>& entries,
                               const std::vector<std::string>& county_modules,
                               const sdk::Caller& caller, const sdk::IndicatorQuery& query,
                               soci::session& db, std::int64_t small_count_threshold,
                               const TownshipMapping* mapping) {
  const bool confined = !caller.townships.empty();
  nlohmann::json list = nlohmann::json::array();
  for (const auto& entry : entries) {
    if (!contains(county_modules, entry.plugin_id)) continue;
    // A caller scoped to some modules reads only their indicators, as only their routes.
    if (!caller.modules.empty() && !contains(caller.modules, entry.plugin_id)) continue;
    const auto& declaration = entry.declaration;
    if (confined && !declaration.by_township) continue;  // a county figure is not theirs to see
    try {
      nlohmann::json townships = nlohmann::json::array();
      std::int64_t in_scope = 0;
      int covered = 0;
      std::vector<TownshipRow> rows;
      if (declaration.by_township) {
        rows = townshipRows(declaration.by_township(db, query), mapping,
                            declaration.measure != sdk::Measure::Ratio, db, query.county);
        for (const auto& row : rows) {
          if (!rowCovered(caller, row)) continue;
          nlohmann::json town = {{"township", row.township}};
          if (countsPeople(declaration) && row.value > 0 && row.value < small_count_threshold) {
            town["value"] = nullptr;
            town["suppressed"] = true;
          } else {
            town["value"] = row.value;
          }
          if (!row.code.empty()) town["code"] = row.code;
          if (!row.recorded_as.empty()) town["recorded_as"] = row.recorded_as;
          if (!row.became.empty()) town["became"] = row.became;
          townships.push_back(std::move(town));
          in_scope += row.value;
          ++covered;
        }
      }
      std::int64_t value = 0;
      if (!confined) {
        value = declaration.compute(db, query);
      } else if (declaration.measure != sdk::Measure::Ratio) {
        value = in_scope;
      } else if (caller.townships.size() == 1) {
        value = 0;  // the township's own ratio, even when its count would be suppressed
        if (covered == 1)
          for (const auto& row : rows)
            if (rowCovered(caller, row)) value = row.value;
      } else {
        continue;  // shares of several townships do not add up
      }
      nlohmann::json item = {
          {"module", entry.plugin_id},
          {"id", declaration.id},
          {"name", {{"zh", declaration.name.zh}, {"en", declaration.name.en}}},
          {"unit", declaration.unit},
          {"definition", {{"zh", declaration.description.zh}, {"en", declaration.description.en}}},
          {"measure", toString(declaration.measure)},
          {"value", value}};
      if (!declaration.source.zh.empty() || !declaration.source.en.empty())
        item["source"] = {{"zh", declaration.source.zh}, {"en", declaration.source.en}};
      if (declaration.by_township) item["by_township"] = std::move(townships);
      list.push_back(std::move(item));
    } catch (const std::exception& error) {
      throw std::runtime_error("indicator " + entry.plugin_id + "." + declaration.id +
                               " failed: " + error.what());
    }
  }
  return list;
}

}  // namespace civ::host
