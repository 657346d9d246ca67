// One database transaction on a leased session, rolled back unless committed.
#pragma once

#include <soci/session.h>

#include <civ/sdk/storage.h>

namespace civ::host {

/// On SQLite a writing transaction begins IMMEDIATE: it takes the write lock up front, so two
/// requests cannot both read and then deadlock upgrading to write (SQLITE_BUSY mid-request).
class Transaction {
 public:
  enum class Mode { Read, Write };

  Transaction(soci::session& session, sdk::Dialect dialect, Mode mode = Mode::Write);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit();
  void rollback() noexcept;

 private:
  soci::session& session_;
  bool open_ = true;
};

}  // namespace civ::host
