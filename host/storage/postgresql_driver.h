// PostgreSQL support, loaded only when a database is on PostgreSQL. libpq brings Kerberos,
// LDAP, GnuTLS and sixteen more libraries (19 of the 47 civhost mapped): about 6 ms of every
// start on this machine, for the SQLite county that never uses them. So everything that needs
// libpq or SOCI's PostgreSQL backend lives in the module libciv_postgresql.so
// (storage/postgresql/), which civhost opens the first time a PostgreSQL session is opened.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/storage.h>

namespace soci {
class session;
class backend_factory;
}  // namespace soci

namespace civ::host {

/// What the host needs from PostgreSQL beyond SOCI's common interface. Implemented only by the
/// module, which is built with the host from the same tree (no ABI promise beyond that).
class PostgresqlDriver {
 public:
  virtual ~PostgresqlDriver() = default;
  /// SOCI's PostgreSQL backend.
  virtual const soci::backend_factory& backendFactory() const = 0;
  /// When the session's connection is broken, resets it in place (session_revival.h); true when
  /// it did. Throws soci::postgresql_soci_error with SQLSTATE 08006 while the server is away.
  virtual bool resetIfBroken(soci::session& session) const = 0;
  /// The storage fault behind a PostgreSQL error (storage_fault.h); nullopt for anything else.
  virtual std::optional<std::string> storageFault(const std::exception& error) const = 0;
  /// COPY ... FROM STDIN (bulk_writer.h); names already checked by the caller.
  virtual std::unique_ptr<sdk::BulkWriter> bulkWriter(
      soci::session& session, const std::string& table,
      const std::vector<std::string>& columns) const = 0;
};

/// The driver, loading the module on the first call (thread-safe). Throws std::runtime_error
/// naming the files tried and dlopen's reason when the module cannot be loaded.
const PostgresqlDriver& postgresqlDriver();

/// The driver when it has been loaded, else nullptr: no PostgreSQL error can exist before.
const PostgresqlDriver* loadedPostgresqlDriver();

}  // namespace civ::host

/// The type of the module's one exported symbol, extern "C" civ_postgresql_driver: the driver,
/// alive for the life of the process.
using CivPostgresqlDriverEntry = const civ::host::PostgresqlDriver*();
