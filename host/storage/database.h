// The host's pool of database sessions (SOCI sessions are not thread-safe: one per thread).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <soci/connection-pool.h>
#include <soci/session.h>

#include "host/storage/database_url.h"
#include "host/storage/fair_lease.h"

namespace civ::host {

/// A pool of `pool_size` sessions, each set up when opened: on SQLite WAL, foreign keys, a busy
/// timeout and group commit (below: a write is answered only once it would survive a crash of
/// the machine, not only of the process); on PostgreSQL the session time zone. The first
/// session is opened by the constructor (a database that cannot be reached fails there); each
/// other one at its first lease: opening is most of a session's cost (every SQLite connection
/// parses the whole schema, a PostgreSQL one connects and sets up), and opening all eight was
/// 18 % of civhost's start-up (docs/decisions.md, session 20) while start-up leases only the
/// first. Thread-safe.
class Database {
 public:
  Database(const DatabaseUrl& url, std::size_t pool_size);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sdk::Dialect dialect() const { return url_.dialect; }
  const DatabaseUrl& url() const { return url_; }
  /// The pool a soci::session(pool) leases from (returned when that session is destroyed).
  /// Opens every session not yet open first, since such a lease may get any of them.
  soci::connection_pool& pool();
  std::size_t poolSize() const { return pool_size_; }
  /// The pool's sessions and the writer (below) when there is one: the slots a statement kept
  /// per session needs (sdk::Storage::poolSize).
  std::size_t sessionSlots() const;
  /// The slot of `session` when it is one of this Database's own sessions, the pool's or the
  /// writer (which live as long as the Database, so statements prepared on them may be kept);
  /// nullopt otherwise. The writer's slot is poolSize().
  std::optional<std::size_t> poolIndexOf(const soci::session& session) const;

  /// SQLite in WAL mode: one more session besides the pool's, on which the requests' writes run
  /// one at a time (Transaction::onWriter) while they hold the write turn. Any commit made on
  /// another connection makes a SQLite connection drop its whole page cache at its next read; a
  /// write that leased whichever session was free read every page it touched again (pread was
  /// 15 % of civhost's samples in the HTTP write). The writer's cache stays warm: only its own
  /// commits change the file while it writes. Opened at the first write. `write_turn` must be
  /// the held turn from awaitWriteTurn(); std::logic_error without a writer (hasWriter()).
  soci::session& writer(const std::unique_lock<std::timed_mutex>& write_turn);
  bool hasWriter() const { return writer_slot_.has_value(); }

  /// On SQLite, the turn of this process's writers at the file's one write lock; on PostgreSQL
  /// an empty lock (rows are locked by the server). Writers that meet SQLite's lock busy sleep
  /// in growing steps up to 100 ms although it is held for about a millisecond: with 8
  /// connections writing, p99 was a second (bench/RESULTS.md). Queued here instead, each
  /// writer starts as soon as the one before commits. Throws sdk::Error 503 "database-busy"
  /// after kWriteTurnTimeoutMs (as SQLite's own busy timeout would).
  std::unique_lock<std::timed_mutex> awaitWriteTurn();
  static constexpr int kWriteTurnTimeoutMs = 10'000;
  /// On PostgreSQL, one of a few permits (concurrentPostgresqlWrites()) a request's write holds
  /// from its BEGIN to the end of its COMMIT (Transaction::onWriter); empty on SQLite, whose
  /// write turn admits one. Every write ends at the audit chain's lock, and a county's
  /// applications at their number's counter row, so beyond a few writers at once the others
  /// only wait there: on this 2-core machine 8 concurrent application writes made 890 a second,
  /// 4 made 1,050 (backends woken and put to sleep at the lock, civhost's threads and the
  /// server's sharing the cores). Queued here, in arrival order, they start as one ends.
  /// The permits pace writes; they never refuse one. A write that has waited
  /// kWritePermitPatienceMs goes on without a permit (answers null): the holders are then long
  /// writes (imports, payment runs), and the others would otherwise wait behind them all, not
  /// only at the chain's lock at their end. Short writes wait far less here: about a
  /// millisecond for each write queued ahead of them.
  std::unique_ptr<FairLease, FairLeaseRelease> awaitWritePermit();
  static constexpr int kWritePermitPatienceMs = 1'000;
  /// Twice the cores civhost may use (usableCores(): its affinity and cgroup quota), at least
  /// two: enough to keep the chain's lock busy while the next writers run the part of their
  /// work before it.
  static std::size_t concurrentPostgresqlWrites();
  /// Turns at the pool's sessions, first come first served (PooledSession takes one).
  FairLease& sessionTurns() { return session_turns_; }

  /// SQLite group commit. With synchronous=FULL every COMMIT synced the WAL while it held the
  /// file's one write lock, so writers queued behind each other's sync. The pool's sessions
  /// commit with synchronous=NORMAL instead (the transaction written to the WAL, not synced:
  /// the database stays consistent after a power cut, SQLite's documented guarantee) and the
  /// writer then waits here, after it gave up the write turn, until a sync of the WAL that began
  /// after its commit has finished: the first writer to wait syncs for every commit before it
  /// started, the others wait for that sync or the next. No answer says "written" before the
  /// write is on the disk, as with FULL, and one sync serves several writers.
  ///
  /// Called by Transaction::commit for the pool's sessions, and by PooledSession when its lease
  /// ends after rows were changed without a Transaction (an autocommit statement). Does nothing
  /// on PostgreSQL (the server groups its own commits), on a database not in WAL mode, or for a
  /// session outside the pool (those stay FULL). Throws soci::sqlite3_soci_error with
  /// SQLITE_IOERR_FSYNC (a storage fault, 503, storage_fault.h) when the sync fails: the
  /// transaction is committed then but the disk did not confirm it.
  ///
  /// The trade against FULL: another session may read a committed write before its sync ends
  /// (FULL made it visible after). A power cut in that moment loses it with every later commit,
  /// since the WAL is recovered as a prefix, so the database never holds an effect without its
  /// cause; only a reader may have seen it.
  void awaitDurable(soci::session& session);
  /// awaitDurable in two steps, for a commit made on the writer: takeChanges while the write turn
  /// is held (whether the commit changed rows: the next writer changes the writer's count), then,
  /// after the turn is given up and only when it did, awaitSynced on a session the caller holds
  /// (the request's lease: the sync runs through that connection's handle on the WAL, since the
  /// writer is in the next writer's hands by then).
  bool takeChanges(soci::session& session);
  void awaitSynced(soci::session& session);
  /// The rows `session` (a pool's) changed so far need no sync of their own: its lease ends
  /// without one, and the next sync carries them (the WAL keeps commits in order). For
  /// migrations: a step a power cut loses is applied again at the next start, and a new
  /// database's owners would otherwise cost a sync each (+7 ms to a first start).
  void acceptUnsynced(soci::session& session);
  /// Whether the pool's sessions commit through awaitDurable (SQLite in WAL mode).
  bool groupCommits() const { return group_commit_.enabled; }
  /// Commits that have asked to be made durable, and the syncs made for them (one sync covers
  /// one or more commits). For tests and metrics.
  struct GroupCommitCounts {
    std::uint64_t commits = 0;
    std::uint64_t syncs = 0;
  };
  GroupCommitCounts groupCommitCounts() const;

  /// Connects the session in `slot` anew when its PostgreSQL connection broke (the server
  /// restarted or the network dropped: the failed request was answered 503), so civhost recovers
  /// by itself once the server is back. Throws a connection error (a 503 to the caller) while
  /// the server is still away. Called by PooledSession while it holds the slot.
  void reviveIfBroken(std::size_t slot);
  /// Opens the session in `slot` unless it is open. Called by PooledSession while it holds
  /// the slot. When opening fails, throws SessionUnavailable (storage_fault.h); the slot
  /// stays closed and its next lease tries again.
  void openIfClosed(std::size_t slot);
  /// How many times the session in `slot` was connected anew (sdk::Storage::reconnections).
  std::uint64_t reconnections(std::size_t slot) const { return reconnections_[slot]; }

 private:
  friend class PooledSession;  // leases from pool_ directly: pool() would open every session

  DatabaseUrl url_;
  std::size_t pool_size_;
  std::unique_ptr<soci::connection_pool> pool_;
  /// One per slot and one for the writer: true once its session is open. Set under open_mutex_;
  /// read first without it, as every lease asks and the answer stays true once it is.
  std::unique_ptr<std::atomic<bool>[]> opened_;
  std::mutex open_mutex_;
  FairLease session_turns_;
  FairLease postgresql_write_permits_;  // see awaitWritePermit()
  std::timed_mutex sqlite_write_turn_;
  std::optional<std::size_t> writer_slot_;  // pool_size_ when there is a writer
  soci::session writer_session_;            // used only while the write turn is held
  /// Written and read only by the thread that holds the slot's lease.
  std::vector<std::uint64_t> reconnections_;
  /// Per slot, the session's count of changed rows (sqlite3_total_changes64) when its commits
  /// were last made durable. Written and read only by the thread that holds the slot's lease.
  std::vector<std::int64_t> durable_changes_;
  void awaitDurable(std::size_t slot);
  bool takeChanges(std::size_t slot);
  void awaitSynced(std::size_t slot);
  /// The pool's session in `slot`, or the writer at slot pool_size_.
  soci::session& sessionAt(std::size_t slot);
  /// Durable when a lease ends: rows changed outside a Transaction are synced too.
  void awaitDurableAtLeaseEnd(std::size_t slot) noexcept;

  struct GroupCommit {
    bool enabled = false;  // set by the constructor, never changed
    mutable std::mutex mutex;
    std::condition_variable synced_or_free;
    std::uint64_t committed = 0;  // commits that asked to be made durable
    std::uint64_t synced = 0;     // every commit up to this one is on the disk
    bool syncing = false;
    std::uint64_t syncs = 0;
  } group_commit_;
};

/// Leases one of the pool's own sessions for a scope (not a wrapper): the session handed to
/// plugins, stable for the life of the Database. Waits in arrival order, at most
/// `kLeaseTimeoutMs`, for a free session, then throws sdk::Error 503 ("database-busy") instead
/// of blocking a thread forever.
class PooledSession {
 public:
  static constexpr int kLeaseTimeoutMs = 30'000;

  explicit PooledSession(Database& database);
  ~PooledSession();
  PooledSession(const PooledSession&) = delete;
  PooledSession& operator=(const PooledSession&) = delete;

  soci::session& session() { return session_; }

 private:
  Database& database_;
  std::size_t index_;
  soci::session& session_;
};

/// How a SQLite session syncs its commits: FULL syncs the WAL in every COMMIT; a pool's sessions
/// commit unsynced and sync through Database::awaitDurable (group commit).
enum class SqliteCommits { Synced, Grouped };
/// Opens one session on `url`, configured as the pool's sessions are (with `commits`). Returns
/// whether it is a SQLite session in WAL mode (always false on PostgreSQL): only such a session
/// runs with grouped commits; any other keeps FULL.
bool openSession(soci::session& session, const DatabaseUrl& url,
                 SqliteCommits commits = SqliteCommits::Synced);
/// The settings every PostgreSQL session of the host runs with (time zone, no JIT, quiet).
void configurePostgresqlSession(soci::session& session);

}  // namespace civ::host
