#include "host/storage/host_storage.h"

#include "host/storage/bulk_writer.h"
#include "host/storage/transaction.h"

namespace civ::host {

void HostStorage::inTransaction(const std::function<void(soci::session&)>& work) {
  PooledSession lease(database_);
  soci::session& session = lease.session();
  Transaction transaction(database_, session);
  work(session);
  transaction.commit();
}

std::unique_ptr<sdk::BulkWriter> HostStorage::bulkWriter(soci::session& db,
                                                         const std::string& table,
                                                         const std::vector<std::string>& columns) {
  return makeBulkWriter(db, database_.dialect(), table, columns);
}

}  // namespace civ::host
