#include "host/storage/host_schema.h"

#include "host/storage/database.h"
#include "host/storage/migration_runner.h"

namespace civ::host {

std::vector<sdk::Migration> hostMigrations() {
  return {
      {1,
       "persons registry",
       {"CREATE TABLE civ_persons ("
        " id {{ID_PRIMARY_KEY}},"
        " citizen_id TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL,"
        " birth_date TEXT NOT NULL,"
        " sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),"
        " death_date TEXT,"
        " created_at TEXT NOT NULL,"
        " updated_at TEXT NOT NULL)"},
       {}},
  };
}

void applyHostSchema(Database& database) {
  PooledSession lease(database);
  MigrationRunner runner(lease.session(), database.dialect());
  runner.ensureSchemaTable();
  runner.apply("civ", hostMigrations());
}

}  // namespace civ::host
