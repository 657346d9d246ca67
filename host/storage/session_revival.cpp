#include "host/storage/session_revival.h"

#include <libpq-fe.h>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include "host/storage/database.h"

namespace civ::host {

bool reconnectIfBroken(soci::session& session) {
  // By name, not dynamic_cast: the installed SOCI does not export the backend's typeinfo.
  if (session.get_backend() == nullptr || session.get_backend_name() != "postgresql") return false;
  auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
  if (backend->conn_ == nullptr) return false;
  // libpq marks the connection bad when a query finds the server gone.
  if (PQstatus(backend->conn_) == CONNECTION_OK) return false;
  PQreset(backend->conn_);
  if (PQstatus(backend->conn_) != CONNECTION_OK)
    throw soci::postgresql_soci_error(
        std::string("the database server is not reachable: ") + PQerrorMessage(backend->conn_),
        "08006");
  configurePostgresqlSession(session);
  return true;
}

}  // namespace civ::host
