// Which database civhost talks to, from --database, CIV_DATABASE or host.yaml.
#pragma once

#include <string>
#include <string_view>

#include <civ/sdk/storage.h>

namespace civ::host {

/// A SQLite file path (or ":memory:") or a PostgreSQL connection string, recognised by its
/// form: "postgresql://...", "postgres://..." or libpq key=value pairs containing "dbname=".
struct DatabaseUrl {
  sdk::Dialect dialect = sdk::Dialect::Sqlite;
  std::string connection;  ///< file path for SQLite, libpq connection string for PostgreSQL

  static DatabaseUrl parse(std::string_view text);
  /// For logs: the PostgreSQL password is replaced by "***".
  std::string describe() const;
};

}  // namespace civ::host
