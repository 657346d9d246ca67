#include "host/storage/transaction.h"

namespace civ::host {

Transaction::Transaction(soci::session& session, sdk::Dialect dialect, Mode mode)
    : session_(&session), sync_session_(&session) {
  begin(dialect, mode);
}

Transaction::Transaction(Database& database, soci::session& session, Mode mode)
    : session_(&session), sync_session_(&session), database_(&database) {
  if (mode == Mode::Write) write_turn_ = database.awaitWriteTurn();
  begin(database.dialect(), mode);
}

Transaction::Transaction(OnWriter, Database& database, soci::session& leased)
    : session_(&leased), sync_session_(&leased), database_(&database) {
  write_turn_ = database.awaitWriteTurn();
  write_permit_ = database.awaitWritePermit();
  // Only for a lease of the pool: the commit is synced through it (a session of its own, a
  // test's, commits synced by SQLite itself and writes there as before).
  const auto slot = database.poolIndexOf(leased);
  if (database.hasWriter() && slot && *slot < database.poolSize())
    session_ = &database.writer(write_turn_);
  begin(database.dialect(), Mode::Write);
}

Transaction Transaction::onWriter(Database& database, soci::session& leased) {
  return Transaction(OnWriter{}, database, leased);
}

void Transaction::begin(sdk::Dialect dialect, Mode mode) {
  *session_ << (dialect == sdk::Dialect::Sqlite && mode == Mode::Write ? "BEGIN IMMEDIATE"
                                                                       : "BEGIN");
}

Transaction::~Transaction() { rollback(); }

void Transaction::commit() {
  if (!open_) return;
  open_ = false;
  try {
    *session_ << "COMMIT";
  } catch (...) {
    // SQLite keeps the transaction open after some failed COMMITs (a deferred foreign key, a
    // full disk): the session must not stay inside it, above all the writer, which every later
    // write would find still in a transaction.
    try {
      *session_ << "ROLLBACK";
    } catch (...) {
      // It had ended after all.
    }
    if (write_turn_.owns_lock()) write_turn_.unlock();
    write_permit_.reset();
    throw;
  }
  // Counted while the turn is held: the writer's count is the next writer's once it is given up.
  const bool changed = database_ != nullptr && database_->takeChanges(*session_);
  if (write_turn_.owns_lock()) write_turn_.unlock();
  write_permit_.reset();
  // After the turn is given up: the next writer runs while this one's commit is synced.
  if (changed) database_->awaitSynced(*sync_session_);
}

void Transaction::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  try {
    *session_ << "ROLLBACK";
  } catch (...) {
    // The connection is broken or the transaction already ended; nothing is committed.
  }
  if (write_turn_.owns_lock()) write_turn_.unlock();
  write_permit_.reset();
}

}  // namespace civ::host
