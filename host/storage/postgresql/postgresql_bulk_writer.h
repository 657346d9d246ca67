// The PostgreSQL bulk writer, inside the module (postgresql_driver.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <civ/sdk/storage.h>

namespace soci {
class session;
}

namespace civ::host {

std::unique_ptr<sdk::BulkWriter> makePostgresqlBulkWriter(soci::session& session,
                                                          const std::string& table,
                                                          const std::vector<std::string>& columns);

}  // namespace civ::host
