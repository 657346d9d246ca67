// The host's own tables (persons registry; later audit, outbox, tokens), as numbered steps.
#pragma once

#include <vector>

#include <civ/sdk/migration.h>

namespace civ::host {

/// Applied under the owner name "civ" before any plugin's steps.
std::vector<sdk::Migration> hostMigrations();

}  // namespace civ::host
