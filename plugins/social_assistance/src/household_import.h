// Import of households, members and income from a CSV file in the documented layout
// (docs/import-layout.md): every row is validated first, and a file with any bad row imports
// nothing and answers with every bad row (row, column, rule).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <civ/sdk/caller.h>
#include <civ/sdk/date.h>
#include <civ/sdk/error.h>

namespace soci {
class session;
}

namespace civ::sdk {
class Context;
}

namespace civ::plugins::social_assistance {

/// The columns of the layout, in the order the template lists them.
const std::vector<std::string>& importColumns();

/// Parses CSV text (RFC 4180, UTF-8, an optional byte-order mark) into rows of fields.
/// ValidationError naming the line when the quoting is broken.
std::vector<std::vector<std::string>> parseCsv(const std::string& text);

struct ImportResult {
  std::int64_t households = 0;
  std::int64_t members = 0;
  std::int64_t income_items = 0;
};

/// Validates every row and, only when all pass, writes them in `db`'s transaction. Throws
/// ValidationError listing every bad row ("rows[12].citizen_id", rule, message), at most 1000.
/// A row of a township outside `caller`'s township scope is a bad row.
ImportResult importHouseholds(sdk::Context& context, soci::session& db, const std::string& county,
                              const sdk::Caller& caller, const std::string& csv_text,
                              sdk::Date today);

}  // namespace civ::plugins::social_assistance
