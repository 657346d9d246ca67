#include "host/storage/transaction.h"

namespace civ::host {

Transaction::Transaction(soci::session& session, sdk::Dialect dialect, Mode mode)
    : session_(session) {
  begin(dialect, mode);
}

Transaction::Transaction(Database& database, soci::session& session, Mode mode)
    : session_(session), database_(&database) {
  if (mode == Mode::Write) write_turn_ = database.awaitWriteTurn();
  begin(database.dialect(), mode);
}

void Transaction::begin(sdk::Dialect dialect, Mode mode) {
  session_ << (dialect == sdk::Dialect::Sqlite && mode == Mode::Write ? "BEGIN IMMEDIATE"
                                                                      : "BEGIN");
}

Transaction::~Transaction() { rollback(); }

void Transaction::commit() {
  if (!open_) return;
  open_ = false;
  session_ << "COMMIT";
  if (write_turn_.owns_lock()) write_turn_.unlock();
  // After the turn is given up: the next writer runs while this one's commit is synced.
  if (database_ != nullptr) database_->awaitDurable(session_);
}

void Transaction::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  try {
    session_ << "ROLLBACK";
  } catch (...) {
    // The connection is broken or the transaction already ended; nothing is committed.
  }
  if (write_turn_.owns_lock()) write_turn_.unlock();
}

}  // namespace civ::host
