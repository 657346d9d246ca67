#include "host/storage/session_revival.h"

#include <soci/soci.h>

#include "host/storage/database.h"
#include "host/storage/postgresql_driver.h"

namespace civ::host {

bool reconnectIfBroken(soci::session& session) {
  if (session.get_backend() == nullptr || session.get_backend_name() != "postgresql") return false;
  if (!postgresqlDriver().resetIfBroken(session)) return false;
  configurePostgresqlSession(session);
  return true;
}

}  // namespace civ::host
