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
#include <civ/sdk/date.h>
#include <civ/sdk/divisions.h>
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

/// Groups township breakdowns by today's divisions (issue 23: "mapped to today's divisions when
/// the place-names module runs"): each recorded township is asked of `divisions` as of `today`.
struct TownshipMapping {
  const sdk::Divisions& divisions;
  sdk::Date today;
};

/// The list of indicators of the modules in `county_modules` that `caller` may read. A caller
/// confined to townships gets only indicators with a township breakdown, each valued as the sum
/// of its townships (a ratio only when it covers one township). Throws std::runtime_error naming
/// the indicator when one fails.
/// A township's count of people, households or cases (units "persons", "households", "cases",
/// "couples", "bodies", "applications") from 1 to `small_count_threshold` - 1 is listed as
/// `"value": null, "suppressed": true` (小数抑制); the county's figure is never suppressed.
/// With a `mapping`, a township that became exactly one division in force today is listed under
/// that division's name and code, its counts and amounts added to that division's
/// (`"recorded_as"` names what the records hold); a ratio is never added up, and a township
/// split into several keeps its row, with `"became"` naming today's divisions. A caller confined
/// to townships sees the rows of its townships as they are listed (today's, once mapped).
nlohmann::json indicatorReport(const std::vector<IndicatorEntry>& entries,
                               const std::vector<std::string>& county_modules,
                               const sdk::Caller& caller, const sdk::IndicatorQuery& query,
                               soci::session& db, std::int64_t small_count_threshold = 0,
                               const TownshipMapping* mapping = nullptr);

}  // namespace civ::host
