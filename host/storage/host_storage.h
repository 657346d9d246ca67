// sdk::Storage over the host's pool.
#pragma once

#include <civ/sdk/storage.h>

#include "host/storage/database.h"

namespace civ::host {

class HostStorage : public sdk::Storage {
 public:
  explicit HostStorage(Database& database) : database_(database) {}

  // sdk::Storage
  sdk::Dialect dialect() const override { return database_.dialect(); }
  void inTransaction(const std::function<void(soci::session&)>& work) override;
  std::unique_ptr<sdk::BulkWriter> bulkWriter(soci::session& db, const std::string& table,
                                              const std::vector<std::string>& columns) override;
  std::size_t poolSize() const override { return database_.sessionSlots(); }
  std::optional<std::size_t> poolSlotOf(const soci::session& db) const override {
    return database_.poolIndexOf(db);
  }
  std::uint64_t reconnections(std::size_t slot) const override {
    return database_.reconnections(slot);
  }

 private:
  Database& database_;
};

}  // namespace civ::host
