// The indicators of a county's modules for a period, as GET /api/v1/counties/{c}/indicators
// and the fake Context list them: each with its unit, measure and, where the module declares
// it, the breakdown by township, within the caller's module and township scope.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/caller.h>
#include <civ/sdk/indicator.h>

namespace soci {
class session;
}

namespace civ::host {

/// A started plugin's indicator, with the pin that keeps its compute function's code mapped.
struct IndicatorEntry {
  std::string plugin_id;
  sdk::IndicatorDeclaration declaration;
  std::shared_ptr<const void> library_pin;
};

std::string_view toString(sdk::Measure measure);

/// The list of indicators of the modules in `county_modules` that `caller` may read. A caller
/// confined to townships gets only indicators with a township breakdown, each valued as the sum
/// of its townships (a ratio only when it covers one township). Throws std::runtime_error naming
/// the indicator when one fails.
/// A township's count of people, households or cases (units "persons", "households", "cases",
/// "couples", "bodies", "applications") from 1 to `small_count_threshold` - 1 is listed as
/// `"value": null, "suppressed": true` (小数抑制); the county's figure is never suppressed.
nlohmann::json indicatorReport(const std::vector<IndicatorEntry>& entries,
                               const std::vector<std::string>& county_modules,
                               const sdk::Caller& caller, const sdk::IndicatorQuery& query,
                               soci::session& db, std::int64_t small_count_threshold = 0);

}  // namespace civ::host
