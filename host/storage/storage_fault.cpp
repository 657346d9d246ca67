#include "host/storage/storage_fault.h"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "host/storage/postgresql_driver.h"

namespace civ::host {

namespace {

// SQLite primary result codes (sqlite3.h), without including it for four numbers.
constexpr int kSqliteReadonly = 8, kSqliteIoerr = 10, kSqliteFull = 13, kSqliteCantopen = 14;
constexpr int kSqliteIoerrFsync = kSqliteIoerr | (4 << 8);

}  // namespace

std::optional<std::string> storageFault(const std::exception& error) {
  // In fixed words, as every fault here: /healthz, which needs no token, repeats the reason,
  // and the driver's own text names the file or the server and the user (the log has it).
  if (dynamic_cast<const SessionUnavailable*>(&error))
    return "a database session could not be opened";
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    // Group commit's sync after a COMMIT (database.h): unlike every other fault here, the
    // change may be in the database, so the caller is told to look before repeating it.
    if (sqlite->result() == kSqliteIoerrFsync)
      return "the disk did not confirm the write: it may have been saved; check before repeating "
             "it";
    switch (sqlite->result() & 0xff) {
      case kSqliteFull:
        return "the disk is full";
      case kSqliteIoerr:
        return "an I/O error on the database file";
      case kSqliteReadonly:
        return "the database file cannot be written";
      case kSqliteCantopen:
        return "the database file cannot be opened";
      default:
        return std::nullopt;
    }
  }
  if (const auto* postgresql = loadedPostgresqlDriver())
    if (auto fault = postgresql->storageFault(error)) return fault;
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error))
    if (soci_error->get_error_category() == soci::soci_error::connection_error)
      return "the connection to the database failed";
  return std::nullopt;
}

void StorageHealth::recordFault(const std::string& reason, const std::string& at) {
  std::lock_guard lock(mutex_);
  if (!failing_) since_ = at;
  reason_ = reason;
  failing_ = true;
}

void StorageHealth::clear() {
  std::lock_guard lock(mutex_);
  failing_ = false;
  since_.clear();
  reason_.clear();
}

std::pair<std::string, std::string> StorageHealth::fault() const {
  std::lock_guard lock(mutex_);
  return {since_, reason_};
}

}  // namespace civ::host
