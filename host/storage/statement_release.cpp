#include "host/storage/statement_release.h"

#include <soci/sqlite3/soci-sqlite3.h>

namespace civ::host {

void releaseStatement(soci::statement& statement, sdk::Dialect dialect) {
  if (dialect != sdk::Dialect::Sqlite) return;
  auto* backend = static_cast<soci::sqlite3_statement_backend*>(statement.get_backend());
  if (backend != nullptr && backend->stmt_ != nullptr) sqlite_api::sqlite3_reset(backend->stmt_);
}

}  // namespace civ::host
