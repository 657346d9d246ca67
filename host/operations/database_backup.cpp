#include "host/operations/database_backup.h"

#include <algorithm>
#include <fcntl.h>
#include <regex>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <soci/soci.h>

#include "host/audit/audit_log.h"
#include "host/storage/backend_factories.h"
#include "host/storage/database.h"

namespace civ::host {

namespace fs = std::filesystem;

namespace {

/// An empty file readable by the service account only: backups hold citizens' personal data.
void createPrivateEmptyFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    throw BackupError("cannot create " + path.string() +
                      ": it exists or the directory "
                      "is not writable");
  ::fchmod(fd, 0600);
  ::close(fd);
}

/// Flushes a written file to the disk, so a rename after it never exposes a half-written one.
void syncFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw BackupError("cannot reopen " + path.string() + " to sync it");
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) throw BackupError("cannot sync " + path.string() + " to the disk");
}

void syncDirectoryOf(const fs::path& path) {
  const fs::path directory = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

/// PostgreSQL's client tools: Debian's wrappers in PATH pick the newest installed version.
std::string pgTool(const std::string& name) {
  for (const char* directory : {"/usr/bin", "/usr/local/bin"})
    if (fs::exists(fs::path(directory) / name)) return (fs::path(directory) / name).string();
  std::vector<fs::path> versions;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error))
    if (fs::exists(entry.path() / "bin" / name)) versions.push_back(entry.path() / "bin" / name);
  if (versions.empty())
    throw BackupError(name +
                      " not found: install postgresql-client (the PostgreSQL backup uses "
                      "pg_dump and pg_restore)");
  std::sort(versions.begin(), versions.end());
  return versions.back().string();
}

/// Runs a tool to the end; its standard output, or BackupError with its error output.
std::string runTool(const std::string& tool, const std::vector<std::string>& arguments) {
  Poco::Pipe out, err;
  Poco::ProcessHandle handle = Poco::Process::launch(tool, arguments, nullptr, &out, &err);
  Poco::PipeInputStream out_stream(out), err_stream(err);
  std::string output, errors;
  // The archive listing can be large: read it while the tool runs; the error text is short.
  Poco::StreamCopier::copyToString(out_stream, output);
  Poco::StreamCopier::copyToString(err_stream, errors);
  const int code = handle.wait();
  if (code != 0)
    throw BackupError(fs::path(tool).filename().string() + " failed (exit " + std::to_string(code) +
                      "): " + errors);
  return output;
}

/// Integrity and audit chain of a SQLite file, opened read-only in place.
BackupReport verifySqliteFile(const fs::path& file) {
  if (!fs::exists(file)) throw BackupError(file.string() + " does not exist");
  BackupReport report;
  report.file = file;
  report.bytes = fs::file_size(file);
  soci::session session;
  try {
    session.open(backendFactory(sdk::Dialect::Sqlite), "db=" + file.string());
  } catch (const std::exception& e) {
    throw BackupError(file.string() + " is not a SQLite database: " + e.what());
  }
  std::string integrity;
  try {
    session << "PRAGMA integrity_check", soci::into(integrity);
  } catch (const std::exception& e) {
    throw BackupError(file.string() + " is not a SQLite database: " + e.what());
  }
  if (integrity != "ok") throw BackupError(file.string() + " fails integrity_check: " + integrity);
  int audit_tables = 0;
  session << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'civ_audit'",
      soci::into(audit_tables);
  if (audit_tables == 0)
    throw BackupError(file.string() + " holds no civ database (no audit trail)");
  const auto chain = AuditLog::verify(session);
  if (chain.first_bad_id)
    throw BackupError(file.string() + ": audit trail broken at row " +
                      std::to_string(*chain.first_bad_id) + ": " + chain.problem);
  report.audit_rows = chain.rows;
  report.audit_head = chain.head_hash;
  return report;
}

BackupReport verifyPostgresqlArchive(const fs::path& file) {
  if (!fs::exists(file)) throw BackupError(file.string() + " does not exist");
  const std::string listing = runTool(pgTool("pg_restore"), {"--list", file.string()});
  if (listing.find("civ_audit") == std::string::npos)
    throw BackupError(file.string() + " holds no civ database (no audit trail in the archive)");
  BackupReport report;
  report.file = file;
  report.bytes = fs::file_size(file);
  return report;
}

BackupReport verifyRestored(const DatabaseUrl& url, const fs::path& file) {
  Database database(url, 1);
  PooledSession lease(database);
  const auto chain = AuditLog::verify(lease.session());
  if (chain.first_bad_id)
    throw BackupError("restored, but the audit trail is broken at row " +
                      std::to_string(*chain.first_bad_id) + ": " + chain.problem);
  BackupReport report;
  report.file = file;
  report.bytes = fs::file_size(file);
  report.audit_rows = chain.rows;
  report.audit_head = chain.head_hash;
  return report;
}

}  // namespace

std::string BackupReport::summary() const {
  std::ostringstream text;
  text << file.string() << " (" << bytes << " bytes)";
  if (audit_rows)
    text << "; audit trail intact: " << *audit_rows << " rows, head hash " << audit_head;
  else
    text << "; archive readable (the audit trail is verified on restore)";
  return text.str();
}

BackupReport backupDatabase(const DatabaseUrl& url, const fs::path& file) {
  if (fs::exists(file)) throw BackupError(file.string() + " exists: a backup never overwrites");
  const fs::path partial = file.string() + ".partial";
  fs::remove(partial);
  createPrivateEmptyFile(partial);
  try {
    if (url.dialect == sdk::Dialect::Sqlite) {
      if (!fs::exists(url.connection)) throw BackupError("no database at " + url.connection);
      soci::session session;
      openSession(session, url);
      // One read transaction: the copy is the database as of one commit, while others write.
      const std::string into = partial.string();  // soci binds a reference: keep it alive
      session << "VACUUM INTO :file", soci::use(into);
      session.close();
      syncFile(partial);
      verifySqliteFile(partial);
    } else {
      runTool(pgTool("pg_dump"), {"--format=custom", "--no-owner", "--file=" + partial.string(),
                                  "--dbname=" + url.libpqConnection()});
      syncFile(partial);
      verifyPostgresqlArchive(partial);
    }
  } catch (...) {
    fs::remove(partial);
    throw;
  }
  fs::rename(partial, file);
  syncDirectoryOf(file);
  return verifyBackup(url.dialect, file);
}

BackupReport verifyBackup(sdk::Dialect dialect, const fs::path& file) {
  return dialect == sdk::Dialect::Sqlite ? verifySqliteFile(file) : verifyPostgresqlArchive(file);
}

BackupReport restoreDatabase(const fs::path& file, const DatabaseUrl& url, bool replace) {
  verifyBackup(url.dialect, file);
  if (url.dialect == sdk::Dialect::Sqlite) {
    const fs::path target = url.connection;
    if (fs::exists(target) && !replace)
      throw BackupError(target.string() +
                        " exists: stop civhost and give --replace to restore over it");
    const fs::path staging = target.string() + ".restoring";
    fs::remove(staging);
    createPrivateEmptyFile(staging);
    fs::copy_file(file, staging, fs::copy_options::overwrite_existing);
    syncFile(staging);
    // The old database's write-ahead log belongs to the old file: it must not be replayed
    // into the restored one.
    fs::remove(target.string() + "-wal");
    fs::remove(target.string() + "-shm");
    fs::rename(staging, target);
    syncDirectoryOf(target);
  } else {
    runTool(pgTool("pg_restore"), {"--clean", "--if-exists", "--no-owner", "--single-transaction",
                                   "--dbname=" + url.libpqConnection(), file.string()});
  }
  return verifyRestored(url, file);
}

std::string scheduledBackupName(sdk::Dialect dialect, const std::string& timestamp) {
  return "civ-" + timestamp + (dialect == sdk::Dialect::Sqlite ? ".sqlite" : ".dump");
}

int pruneScheduledBackups(const fs::path& directory, int keep) {
  std::vector<fs::path> backups;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    static const std::regex kScheduled(R"(civ-[0-9]{8}-[0-9]{6}\.(sqlite|dump))");
    const bool ours = std::regex_match(entry.path().filename().string(), kScheduled);
    if (ours && entry.is_regular_file()) backups.push_back(entry.path());
  }
  // The names sort by time: civ-YYYYMMDD-HHMMSS.
  std::sort(backups.begin(), backups.end());
  int removed = 0;
  for (std::size_t i = 0; i + static_cast<std::size_t>(std::max(keep, 1)) < backups.size(); ++i)
    removed += fs::remove(backups[i]) ? 1 : 0;
  return removed;
}

}  // namespace civ::host
