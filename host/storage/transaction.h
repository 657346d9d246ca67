// One database transaction on a leased session, rolled back unless committed.
#pragma once

#include <mutex>

#include <soci/session.h>

#include <civ/sdk/storage.h>

#include "host/storage/database.h"

namespace civ::host {

/// On SQLite a writing transaction begins IMMEDIATE: it takes the write lock up front, so two
/// requests cannot both read and then deadlock upgrading to write (SQLITE_BUSY mid-request).
/// On a session of a Database, a writing transaction first waits for the process's write turn
/// (Database::awaitWriteTurn) and holds it until it ends; its commit() returns once the write is
/// on the disk (Database::awaitDurable: on SQLite several writers' commits share one sync).
class Transaction {
 public:
  enum class Mode { Read, Write };

  Transaction(Database& database, soci::session& session, Mode mode = Mode::Write);
  /// For a session outside the pool (start-up migrations): no write turn is taken.
  Transaction(soci::session& session, sdk::Dialect dialect, Mode mode = Mode::Write);
  /// A request's write: on the database's writer session when it has one (SQLite in WAL mode,
  /// Database::writer), else on `leased`, on PostgreSQL once it holds one of the database's
  /// write permits or has waited their patience (Database::awaitWritePermit). Run the work on
  /// session(). `leased` is the
  /// request's own lease and must stay leased until commit() returns: the commit is synced through
  /// it, after the writer is handed to the next request.
  static Transaction onWriter(Database& database, soci::session& leased);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  /// The session the transaction runs on.
  soci::session& session() { return *session_; }
  void commit();
  void rollback() noexcept;

 private:
  struct OnWriter {};
  Transaction(OnWriter, Database& database, soci::session& leased);
  void begin(sdk::Dialect dialect, Mode mode);

  soci::session* session_;
  soci::session* sync_session_;                    // the lease a writer's commit is synced on
  Database* database_ = nullptr;                   // null for a session outside the pool
  std::unique_lock<std::timed_mutex> write_turn_;  // released after COMMIT or ROLLBACK
  /// A request's write on PostgreSQL (Database::awaitWritePermit; null when it went on without
  /// one); released after it ends.
  std::unique_ptr<FairLease, FairLeaseRelease> write_permit_;
  bool open_ = true;
};

}  // namespace civ::host
