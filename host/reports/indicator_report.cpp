#include "host/reports/indicator_report.h"

#include <algorithm>
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
                               soci::session& db, std::int64_t small_count_threshold) {
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
      std::vector<sdk::TownshipValue> values;
      if (declaration.by_township) {
        values = declaration.by_township(db, query);
        std::sort(values.begin(), values.end(),
                  [](const auto& a, const auto& b) { return a.township < b.township; });
        for (const auto& value : values) {
          if (!sdk::coversTownship(caller, value.township)) continue;
          if (countsPeople(declaration) && value.value > 0 && value.value < small_count_threshold)
            townships.push_back(
                {{"township", value.township}, {"value", nullptr}, {"suppressed", true}});
          else
            townships.push_back({{"township", value.township}, {"value", value.value}});
          in_scope += value.value;
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
          for (const auto& town : values)
            if (sdk::coversTownship(caller, town.township)) value = town.value;
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
