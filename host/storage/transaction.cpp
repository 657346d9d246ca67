#include "host/storage/transaction.h"

namespace civ::host {

Transaction::Transaction(soci::session& session, sdk::Dialect dialect, Mode mode)
    : session_(session) {
  if (dialect == sdk::Dialect::Sqlite && mode == Mode::Write) {
    session_ << "BEGIN IMMEDIATE";
  } else {
    session_ << "BEGIN";
  }
}

Transaction::~Transaction() { rollback(); }

void Transaction::commit() {
  if (!open_) return;
  open_ = false;
  session_ << "COMMIT";
}

void Transaction::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  try {
    session_ << "ROLLBACK";
  } catch (...) {
    // The connection is broken or the transaction already ended; nothing is committed.
  }
}

}  // namespace civ::host
