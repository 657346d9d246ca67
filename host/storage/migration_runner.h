// Applies numbered schema steps per owner (the host itself, or a plugin) exactly once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/migration.h>
#include <civ/sdk/storage.h>

namespace civ::host {

/// What a run did for one owner.
struct MigrationOutcome {
  int applied = 0;          ///< steps applied now
  int current_version = 0;  ///< highest step recorded after the run
};

/// All pending steps of one owner run in one transaction and are recorded in
/// civ_schema_migrations; a failure rolls all of them back and throws std::runtime_error naming
/// the owner, the step and the database's message. Running again is a no-op: an owner already
/// up to date is answered by one read, without the write transaction or the migration lock.
class MigrationRunner {
 public:
  MigrationRunner(soci::session& session, sdk::Dialect dialect);

  /// Creates civ_schema_migrations if missing.
  void ensureSchemaTable();
  MigrationOutcome apply(std::string_view owner, const std::vector<sdk::Migration>& migrations);
  int currentVersion(std::string_view owner);
  /// The steps of `migrations` not yet applied for `owner`, changing nothing (also before
  /// civ_schema_migrations exists: a new database has every step pending).
  std::vector<sdk::Migration> pending(std::string_view owner,
                                      const std::vector<sdk::Migration>& migrations);

  /// The statements of a step for this dialect, with {{ID_PRIMARY_KEY}} expanded.
  static std::vector<std::string> statementsFor(const sdk::Migration& migration,
                                                sdk::Dialect dialect);

 private:
  soci::session& session_;
  sdk::Dialect dialect_;
};

}  // namespace civ::host
