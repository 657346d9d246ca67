// The two BulkWriter implementations: prepared batches on SQLite, COPY on PostgreSQL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/storage.h>

namespace civ::host {

/// Table and column names are checked ([a-z_][a-z0-9_]*) because they are spliced into SQL;
/// std::invalid_argument otherwise.
std::unique_ptr<sdk::BulkWriter> makeBulkWriter(soci::session& session, sdk::Dialect dialect,
                                                const std::string& table,
                                                const std::vector<std::string>& columns);

}  // namespace civ::host
