// SOCI's backend factories, kept in their own file: soci-sqlite3.h wraps sqlite3.h, and the
// host links both backends directly so no plugin ever loads a backend (SOCI/soci#1373).
#include "host/storage/backend_factories.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace civ::host {

const soci::backend_factory& backendFactory(sdk::Dialect dialect) {
  if (dialect == sdk::Dialect::Postgresql) return *soci::factory_postgresql();
  return *soci::factory_sqlite3();
}

}  // namespace civ::host
