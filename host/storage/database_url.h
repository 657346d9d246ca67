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
  /// The PostgreSQL connection string civhost and its pg_dump/pg_restore use: `connection` with
  /// `connect_timeout=10` added unless the string, PGCONNECT_TIMEOUT or a service file sets the
  /// timeout. libpq otherwise waits for a server that does not answer (powered off, a dropped
  /// route) as long as the kernel's connect does, about two minutes, also in the PQreset that
  /// revives a broken session on a request's thread.
  std::string libpqConnection() const;
  /// For logs: the PostgreSQL password is replaced by "***".
  std::string describe() const;
};

}  // namespace civ::host
