// libciv_postgresql.so: the PostgreSQL driver civhost loads for a PostgreSQL database
// (postgresql_driver.h). Everything here may use libpq and SOCI's PostgreSQL backend.
#include <libpq-fe.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "host/storage/postgresql/postgresql_bulk_writer.h"
#include "host/storage/postgresql_driver.h"

namespace civ::host {

namespace {

class LibpqDriver final : public PostgresqlDriver {
 public:
  const soci::backend_factory& backendFactory() const override {
    return *soci::factory_postgresql();
  }

  bool resetIfBroken(soci::session& session) const override {
    // By name, not dynamic_cast: the installed SOCI does not export the backend's typeinfo.
    if (session.get_backend() == nullptr || session.get_backend_name() != "postgresql")
      return false;
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    if (backend->conn_ == nullptr) return false;
    // libpq marks the connection bad when a query finds the server gone.
    if (PQstatus(backend->conn_) == CONNECTION_OK) return false;
    PQreset(backend->conn_);
    if (PQstatus(backend->conn_) != CONNECTION_OK)
      throw soci::postgresql_soci_error(
          std::string("the database server is not reachable: ") + PQerrorMessage(backend->conn_),
          "08006");
    return true;
  }

  std::optional<std::string> storageFault(const std::exception& error) const override {
    const auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error);
    if (postgres == nullptr) return std::nullopt;
    const std::string state = postgres->sqlstate();
    if (state.starts_with("53")) return "the database server is out of resources (" + state + ")";
    if (state.starts_with("58")) return "the database server has an I/O error (" + state + ")";
    if (state.starts_with("08"))
      return "the connection to the database server failed (" + state + ")";
    if (state.starts_with("57P")) return "the database server is shutting down (" + state + ")";
    if (postgres->get_error_category() == soci::soci_error::connection_error)
      return "the connection to the database server failed";
    return std::nullopt;
  }

  std::unique_ptr<sdk::BulkWriter> bulkWriter(
      soci::session& session, const std::string& table,
      const std::vector<std::string>& columns) const override {
    return makePostgresqlBulkWriter(session, table, columns);
  }
};

}  // namespace

}  // namespace civ::host

extern "C" __attribute__((visibility("default"))) const civ::host::PostgresqlDriver*
civ_postgresql_driver() {
  static const civ::host::LibpqDriver driver;
  return &driver;
}
