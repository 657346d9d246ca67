// Backups that restore: a consistent copy of the database taken while civhost serves, verified
// before it is kept, and restored the same way (civhost backup / civhost restore, and the
// scheduled backups of host.yaml's `backup:` section).
//
// SQLite: `VACUUM INTO` a private file (a transactionally consistent snapshot; writers are not
// blocked in WAL mode), then PRAGMA integrity_check and the audit chain on the copy.
// PostgreSQL: pg_dump's custom format (its own snapshot), then pg_restore --list reads the whole
// archive back; the chain is verified on the database a restore produces.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "host/storage/database_url.h"

namespace civ::host {

/// What a backup, a verification or a restore found.
struct BackupReport {
  std::filesystem::path file;
  std::uintmax_t bytes = 0;
  /// Rows of the audit trail and its head hash, when the chain was verified (always for
  /// SQLite files and after a restore; not for a PostgreSQL archive on its own).
  std::optional<std::int64_t> audit_rows;
  std::string audit_head;
  std::string summary() const;  ///< one line for the operator
};

/// A backup, a verification or a restore that did not succeed; the message names the step.
class BackupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Writes a verified copy of the database at `url` to `file` (which must not exist). The copy
/// is written beside `file` and renamed into place only once verified, so `file` is either a
/// good backup or absent.
BackupReport backupDatabase(const DatabaseUrl& url, const std::filesystem::path& file);

/// Checks a backup file: integrity and audit chain for a SQLite file, a full read of the archive
/// for a PostgreSQL dump.
BackupReport verifyBackup(sdk::Dialect dialect, const std::filesystem::path& file);

/// Restores `file` into `url`, then verifies the audit chain there. SQLite: refused when the
/// database file exists unless `replace` (it is then replaced atomically); PostgreSQL: the
/// database's civ tables are replaced inside one transaction (pg_restore --clean
/// --single-transaction). civhost must not be serving the database meanwhile.
BackupReport restoreDatabase(const std::filesystem::path& file, const DatabaseUrl& url,
                             bool replace);

/// The file name of a scheduled backup taken at `timestamp` ("20261202-031500"):
/// civ-<timestamp>.sqlite or civ-<timestamp>.dump.
std::string scheduledBackupName(sdk::Dialect dialect, const std::string& timestamp);

/// Removes the oldest scheduled backups in `directory` beyond the newest `keep`; returns how
/// many were removed. Only files named by scheduledBackupName are touched.
int pruneScheduledBackups(const std::filesystem::path& directory, int keep);

}  // namespace civ::host
