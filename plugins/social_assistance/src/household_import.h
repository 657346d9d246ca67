// Import of households, members and income from a CSV or XLSX file in the documented layout
// (docs/import-layout.md), read by the SDK's table reader (civ/sdk/table_file.h): every row is
// validated first, and a file with any bad row imports nothing and answers with every bad row
// (row, column, rule).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <civ/sdk/caller.h>
#include <civ/sdk/date.h>
#include <civ/sdk/error.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>
#include <civ/sdk/table_file.h>

namespace soci {
class session;
}

namespace civ::sdk {
class Context;
}

namespace civ::plugins::social_assistance {

/// The columns of the layout, in the order the template lists them.
const std::vector<std::string>& importColumns();

struct ImportResult {
  std::int64_t households = 0;
  std::int64_t members = 0;
  std::int64_t income_items = 0;
};

/// Validates every row of `rows` (rows[0] the header; rows[i] the file's row i + 1) and, only
/// when all pass, writes them in `db`'s transaction. Rows with every cell empty are skipped.
/// Throws ValidationError listing every bad row ("rows[12].citizen_id", rule, message), at
/// most 1000. A row of a township outside `caller`'s township scope is a bad row.
ImportResult importHouseholds(sdk::Context& context, soci::session& db, const std::string& county,
                              const sdk::Caller& caller, sdk::Table rows, sdk::Date today);

/// The same for CSV text (sdk::readCsv).
ImportResult importHouseholds(sdk::Context& context, soci::session& db, const std::string& county,
                              const sdk::Caller& caller, const std::string& csv_text,
                              sdk::Date today);

/// POST /imports/households: {"format": "csv", "content": the file's text} or {"format":
/// "xlsx", "content": the file's bytes in base64 (a "data:...;base64," prefix is allowed)}.
/// Answers 201 with the counts; a file that cannot be read is a 400 on "file", bad rows a 422.
sdk::Response answerHouseholdImport(sdk::Context& context, sdk::Request& request);

}  // namespace civ::plugins::social_assistance
