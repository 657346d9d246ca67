// Ending the use of a kept (prepared-once) statement.
#pragma once

#include <soci/statement.h>

#include <civ/sdk/storage.h>

namespace civ::host {

/// Call after fetching from a statement that is kept for reuse. On SQLite a statement that
/// stopped at a row keeps its connection's read snapshot open (stale reads, a WAL that cannot
/// be checkpointed); this resets it. On PostgreSQL the whole result is already fetched.
void releaseStatement(soci::statement& statement, sdk::Dialect dialect);

}  // namespace civ::host
