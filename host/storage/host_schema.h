// The host's own tables (persons registry; later audit, outbox, tokens), as numbered steps.
#pragma once

#include <vector>

#include <civ/sdk/migration.h>

namespace civ::host {

class Database;

/// Applied under the owner name "civ" before any plugin's steps.
std::vector<sdk::Migration> hostMigrations();

/// Creates the schema table if needed and applies the host's pending steps.
void applyHostSchema(Database& database);

}  // namespace civ::host
