#include "host/storage/database.h"

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/error.h>

#include "host/common/usable_cores.h"
#include "host/storage/backend_factories.h"
#include "host/storage/session_revival.h"
#include "host/storage/storage_fault.h"

// soci-sqlite3.h declares the SQLite C API inside namespace sqlite_api.
using namespace sqlite_api;

namespace civ::host {

namespace {

sqlite3* sqliteConnection(soci::session& session) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  return backend == nullptr ? nullptr : backend->conn_;
}

/// Syncs the WAL through the connection's own handle on it: the file SQLite writes, whatever
/// happened to the path (a handle opened here could outlive a WAL SQLite deleted and made anew).
int syncWriteAheadLog(sqlite3* connection) {
  sqlite3_file* wal = nullptr;
  const int found = sqlite3_file_control(connection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
  if (found != SQLITE_OK) return found;
  // Every pool session and the writer has its handle on the WAL from its first statement
  // (openSession's PRAGMA journal_mode=WAL reads the file): a session without one is not in
  // WAL mode.
  if (wal == nullptr || wal->pMethods == nullptr) return SQLITE_IOERR_FSYNC;
  return wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
}

bool isPlainPath(const std::string& path) {
  return !path.empty() && path != ":memory:" && !path.starts_with("file:");
}

/// Creates a new SQLite file readable by the service account only (0600), whatever the umask:
/// it holds citizens' personal data. SQLite gives its -wal and -shm files the mode of the
/// database file, so they follow. An existing file keeps the mode its owner chose.
void createPrivateFile(const std::string& path) {
  if (!isPlainPath(path)) return;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return;  // exists already (or cannot be made: SQLite will say why)
  ::fchmod(fd, 0600);  // the umask may have narrowed the mode; never widened it
  ::close(fd);
}

}  // namespace

bool openSession(soci::session& session, const DatabaseUrl& url, SqliteCommits commits) {
  if (url.dialect == sdk::Dialect::Sqlite) {
    createPrivateFile(url.connection);
    session.open(backendFactory(url.dialect), "db=" + url.connection);
    // The busy timeout first: a session opened at its first lease may meet another's write.
    session << "PRAGMA busy_timeout=10000";
    // WAL lets readers proceed during a write. (An in-memory database answers "memory".)
    std::string journal_mode;
    session << "PRAGMA journal_mode=WAL", soci::into(journal_mode);
    const bool wal = journal_mode == "wal";
    // FULL syncs the WAL in every commit; a pool's sessions commit unsynced and sync after the
    // write turn, several commits at once (Database::awaitDurable). Only in WAL mode: there
    // NORMAL never leaves the database inconsistent, and the one file to sync is the WAL.
    session << (wal && commits == SqliteCommits::Grouped ? "PRAGMA synchronous=NORMAL"
                                                         : "PRAGMA synchronous=FULL");
    session << "PRAGMA foreign_keys=ON";
    // No mmap_size: reading through a memory map was +10 % for a household read, but a read
    // error on the file is then SIGBUS (civhost dies) instead of SQLITE_IOERR, which storage
    // health answers with 503 and recovers from (docs/decisions.md, session 14).
    return wal;
  }
  session.open(backendFactory(url.dialect), url.libpqConnection());
  configurePostgresqlSession(session);
  return false;
}

void configurePostgresqlSession(soci::session& session) {
  session << "SET TIME ZONE 'Asia/Shanghai'";
  // PostgreSQL compiles queries over many rows (a county's payment roll) with LLVM: half a
  // second of compiling for a second of running, every time. civ's queries gain nothing
  // from it.
  session << "SET jit = off";
  session << "SET client_min_messages TO WARNING";
}

Database::Database(const DatabaseUrl& url, std::size_t pool_size)
    : url_(url),
      pool_size_(pool_size),
      pool_(std::make_unique<soci::connection_pool>(pool_size)),
      opened_(std::make_unique<std::atomic<bool>[]>(pool_size + 1)),
      session_turns_(pool_size),
      postgresql_write_permits_(concurrentPostgresqlWrites()),
      reconnections_(pool_size + 1, 0),
      durable_changes_(pool_size + 1, 0) {
  // What a database that cannot be reached throws, for civhost to say at start.
  group_commit_.enabled = openSession(pool_->at(0), url_, SqliteCommits::Grouped);
  opened_[0].store(true, std::memory_order_release);
  // The writer goes with group commit: one process writing a SQLite file in WAL mode.
  if (group_commit_.enabled) writer_slot_ = pool_size_;
}

soci::session& Database::sessionAt(std::size_t slot) {
  return slot == pool_size_ ? writer_session_ : pool_->at(slot);
}

std::size_t Database::sessionSlots() const { return pool_size_ + (writer_slot_ ? 1 : 0); }

soci::session& Database::writer(const std::unique_lock<std::timed_mutex>& write_turn) {
  if (!writer_slot_ || write_turn.mutex() != &sqlite_write_turn_ || !write_turn.owns_lock())
    throw std::logic_error("Database::writer: no writer session, or the write turn is not held");
  openIfClosed(*writer_slot_);
  return writer_session_;
}

void Database::openIfClosed(std::size_t slot) {
  // A mutex and a flag, not std::call_once: with GCC's pthread_once a call_once whose function
  // threw can hang the next call on that flag (GCC PR 66146), and opening throws whenever the
  // server is away. Opening is rare (once per slot), so one mutex for all slots is enough; every
  // lease asks, so an open slot answers from its flag without the mutex.
  if (opened_[slot].load(std::memory_order_acquire)) return;
  std::lock_guard lock(open_mutex_);
  if (opened_[slot].load(std::memory_order_relaxed)) return;
  try {
    // The first session made the file; one opened later must not make an empty one in place
    // of a file that was moved or deleted while civhost ran.
    if (url_.dialect == sdk::Dialect::Sqlite && isPlainPath(url_.connection) &&
        ::access(url_.connection.c_str(), F_OK) != 0)
      throw std::runtime_error("the database file " + url_.connection + " is gone");
    openSession(sessionAt(slot), url_,
                group_commit_.enabled ? SqliteCommits::Grouped : SqliteCommits::Synced);
    if (group_commit_.enabled)
      durable_changes_[slot] = sqlite3_total_changes64(sqliteConnection(sessionAt(slot)));
  } catch (const std::exception& error) {
    sessionAt(slot).close();  // SOCI refuses to open a session again that is half set up
    // Whatever the driver threw (SOCI's PostgreSQL connect throws a plain soci_error), the
    // request meets a database it cannot reach: a storage fault (503 storage-unavailable with
    // Retry-After), and the next lease of the slot tries again.
    throw SessionUnavailable(std::string("a database session could not be opened: ") +
                             error.what());
  }
  opened_[slot].store(true, std::memory_order_release);
}

soci::connection_pool& Database::pool() {
  for (std::size_t i = 0; i < pool_size_; ++i) openIfClosed(i);
  return *pool_;
}

std::optional<std::size_t> Database::poolIndexOf(const soci::session& session) const {
  for (std::size_t i = 0; i < pool_size_; ++i)
    if (&pool_->at(i) == &session) return i;
  if (writer_slot_ && &session == &writer_session_) return writer_slot_;
  return std::nullopt;
}

Database::~Database() = default;

void Database::awaitDurable(soci::session& session) {
  if (!group_commit_.enabled) return;
  if (const auto slot = poolIndexOf(session)) awaitDurable(*slot);
}

void Database::awaitDurable(std::size_t slot) {
  if (takeChanges(slot)) awaitSynced(slot);
}

bool Database::takeChanges(soci::session& session) {
  if (!group_commit_.enabled) return false;
  const auto slot = poolIndexOf(session);
  return slot && takeChanges(*slot);
}

bool Database::takeChanges(std::size_t slot) {
  // A transaction that changed no row (a read, a write refused before it wrote) has nothing to
  // sync. (The count includes rows a rollback undid: at worst one sync too many. It leaves out
  // DDL: a transaction of schema changes alone, which no request makes, is carried by the next
  // write's sync, as migrations are.)
  const std::int64_t changes = sqlite3_total_changes64(sqliteConnection(sessionAt(slot)));
  if (changes == durable_changes_[slot]) return false;
  durable_changes_[slot] = changes;
  return true;
}

void Database::awaitSynced(soci::session& session) {
  if (!group_commit_.enabled) return;
  if (const auto slot = poolIndexOf(session)) awaitSynced(*slot);
}

void Database::awaitSynced(std::size_t slot) {
  sqlite3* connection = sqliteConnection(sessionAt(slot));
  std::unique_lock lock(group_commit_.mutex);
  // The commit is in the WAL already: any sync that starts from now on covers it.
  const std::uint64_t ticket = ++group_commit_.committed;
  while (group_commit_.synced < ticket) {
    if (group_commit_.syncing) {
      group_commit_.synced_or_free.wait(lock);
      continue;
    }
    group_commit_.syncing = true;
    const std::uint64_t covered = group_commit_.committed;
    lock.unlock();
    const int result = syncWriteAheadLog(connection);
    lock.lock();
    group_commit_.syncing = false;
    if (result == SQLITE_OK) {
      group_commit_.synced = std::max(group_commit_.synced, covered);
      ++group_commit_.syncs;
    }
    group_commit_.synced_or_free.notify_all();
    if (result != SQLITE_OK)
      throw soci::sqlite3_soci_error(
          std::string("the write-ahead log could not be synced: ") + sqlite3_errstr(result),
          result);
  }
}

void Database::acceptUnsynced(soci::session& session) {
  if (!group_commit_.enabled) return;
  if (const auto slot = poolIndexOf(session))
    durable_changes_[*slot] = sqlite3_total_changes64(sqliteConnection(sessionAt(*slot)));
}

void Database::awaitDurableAtLeaseEnd(std::size_t slot) noexcept {
  if (!group_commit_.enabled || !opened_[slot].load(std::memory_order_acquire)) return;
  try {
    if (sqliteConnection(pool_->at(slot)) != nullptr) awaitDurable(slot);
  } catch (const std::exception& error) {
    // Rows written by an autocommit statement (today only a security event, recorded beside a
    // refusal) whose sync failed: logged, not answered. The failure is the storage's; the next
    // write meets a failing disk as its own 503. (As with SQLite's own syncs, a later sync that
    // succeeds cannot vouch for pages the kernel dropped when this one failed.)
    spdlog::error("group commit: rows written outside a transaction could not be synced: {}",
                  error.what());
  }
}

Database::GroupCommitCounts Database::groupCommitCounts() const {
  std::lock_guard lock(group_commit_.mutex);
  return {group_commit_.committed, group_commit_.syncs};
}

std::unique_lock<std::timed_mutex> Database::awaitWriteTurn() {
  if (url_.dialect != sdk::Dialect::Sqlite) return {};
  std::unique_lock turn(sqlite_write_turn_, std::defer_lock);
  if (!turn.try_lock_for(std::chrono::milliseconds(kWriteTurnTimeoutMs)))
    throw sdk::Error(503, "database-busy", "Database busy",
                     "another write held the database for " +
                         std::to_string(kWriteTurnTimeoutMs / 1000) + " s; retry");
  return turn;
}

std::size_t Database::concurrentPostgresqlWrites() {
  return std::max<std::size_t>(2, 2 * usableCores());
}

std::unique_ptr<FairLease, FairLeaseRelease> Database::awaitWritePermit() {
  if (url_.dialect != sdk::Dialect::Postgresql) return nullptr;
  if (!postgresql_write_permits_.acquire(std::chrono::milliseconds(kWritePermitPatienceMs)))
    return nullptr;  // long writes hold every permit: go on unpaced, as if there were none
  return std::unique_ptr<FairLease, FairLeaseRelease>(&postgresql_write_permits_);
}

namespace {
// A turn first, so sessions go out in arrival order; SOCI's pool then has one free for it
// (only start-up leases from it directly). SOCI gives the lowest free slot, so a quiet host
// keeps reusing the first session and opens another only when requests overlap.
std::size_t leaseInTurn(Database& database, soci::connection_pool& pool) {
  if (!database.sessionTurns().acquire(std::chrono::milliseconds(PooledSession::kLeaseTimeoutMs)))
    throw sdk::Error(503, "database-busy", "Database busy",
                     "every database session stayed in use for " +
                         std::to_string(PooledSession::kLeaseTimeoutMs / 1000) +
                         " s; retry, or raise database_pool_size in host.yaml");
  try {
    return pool.lease();
  } catch (...) {
    database.sessionTurns().release();
    throw;
  }
}
}  // namespace

void Database::reviveIfBroken(std::size_t slot) {
  if (url_.dialect != sdk::Dialect::Postgresql) return;
  if (reconnectIfBroken(pool_->at(slot))) ++reconnections_[slot];
}

PooledSession::PooledSession(Database& database)
    : database_(database),
      index_(leaseInTurn(database, *database.pool_)),
      session_(database.pool_->at(index_)) {
  try {
    database_.openIfClosed(index_);
    database_.reviveIfBroken(index_);
  } catch (...) {
    database_.pool_->give_back(index_);
    database_.sessionTurns().release();
    throw;
  }
}

PooledSession::~PooledSession() {
  database_.awaitDurableAtLeaseEnd(index_);
  database_.pool_->give_back(index_);
  database_.sessionTurns().release();
}

}  // namespace civ::host
