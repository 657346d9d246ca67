// Indicators a plugin contributes to a county's reports (GET /api/v1/counties/{c}/indicators).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <civ/sdk/date.h>
#include <civ/sdk/localized_text.h>

namespace soci {
class session;
}

namespace civ::sdk {

/// The county and the period [from, to] (both inclusive) an indicator is computed for.
struct IndicatorQuery {
  std::string county;
  Date from;
  Date to;
};

/// One indicator. Append-only.
struct IndicatorDeclaration {
  std::uint32_t struct_size = sizeof(IndicatorDeclaration);
  std::string id;  ///< snake_case, unique within the plugin: "notes_created"
  LocalizedText name;
  std::string unit;           ///< "count", "fen", "persons" ...
  LocalizedText description;  ///< how it is computed, in words a statistician checks
  /// Computes the value in a read-only session. Called concurrently.
  std::function<std::int64_t(soci::session& db, const IndicatorQuery& query)> compute;
};

}  // namespace civ::sdk
