// SOCI's backend factories, kept in their own file: soci-sqlite3.h wraps sqlite3.h. The host
// links SQLite's backend and loads PostgreSQL's with its driver module (postgresql_driver.h),
// never through SOCI's own backend loader, so no plugin ever loads a backend (SOCI/soci#1373).
#include "host/storage/backend_factories.h"

#include <soci/sqlite3/soci-sqlite3.h>

#include "host/storage/postgresql_driver.h"

namespace civ::host {

namespace {

// Debian's SQLite is built serialized: every sqlite3_* call takes the connection's mutex, and
// every allocation a global one for memory statistics nobody reads; together 7 % of a household
// read and 12 % of a payment run here. A session is only ever used by the thread that leased
// it, which is what SQLite's multi-thread mode asks, so connections skip their mutex.
// Must run before SQLite initializes; when something initialized it first, it changes nothing.
const bool kSqliteMultiThread = [] {
  sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
  sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  return true;
}();

}  // namespace

const soci::backend_factory& backendFactory(sdk::Dialect dialect) {
  if (dialect == sdk::Dialect::Postgresql) return postgresqlDriver().backendFactory();
  static_cast<void>(kSqliteMultiThread);
  return *soci::factory_sqlite3();
}

}  // namespace civ::host
