// SQLite group commit (Database::awaitDurable): the pool's sessions commit without a sync of
// their own, and no commit returns before a sync of the WAL that covers it. Observed through a
// VFS that passes every call to SQLite's own and notes each sync of a WAL with the file's size
// then: when a commit returns, the WAL must have been synced at its full length.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "host/storage/database.h"
#include "host/storage/storage_fault.h"
#include "host/storage/transaction.h"

// The SQLite C API as the host sees it: soci-sqlite3.h declares it inside namespace sqlite_api,
// and the VFS functions here must have the types database.cpp calls them through (UBSan's
// function check compares them).
using namespace sqlite_api;

namespace civ::host {
namespace {

/// Every WAL sync seen by the watching VFS: how many, and how far into the WAL they reached;
/// and what a test asks of the next one: to fail, or to wait until the test lets it go on.
struct WalSyncs {
  std::mutex mutex;
  std::condition_variable changed;
  int count = 0;
  sqlite3_int64 synced_bytes = 0;
  bool fail_next = false;
  bool hold_next = false;
  bool holding = false;  // a sync is waiting for release()
  bool released = false;
};
WalSyncs g_wal_syncs;

/// Returns once a sync asked to wait (hold_next) is waiting inside the VFS for release().
void waitUntilASyncIsHeld() {
  std::unique_lock lock(g_wal_syncs.mutex);
  g_wal_syncs.changed.wait(lock, [] { return g_wal_syncs.holding; });
}
void release() {
  std::lock_guard lock(g_wal_syncs.mutex);
  g_wal_syncs.released = true;
  g_wal_syncs.changed.notify_all();
}

struct WatchedFile {
  sqlite3_file base;
  bool is_wal;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};
sqlite3_vfs* g_real_vfs = nullptr;

WatchedFile* watched(sqlite3_file* file) { return reinterpret_cast<WatchedFile*>(file); }
sqlite3_file* real(sqlite3_file* file) { return watched(file)->real(); }

int watchedSync(sqlite3_file* file, int flags) {
  if (watched(file)->is_wal) {
    std::unique_lock lock(g_wal_syncs.mutex);
    if (g_wal_syncs.fail_next) {
      g_wal_syncs.fail_next = false;
      return SQLITE_IOERR_FSYNC;
    }
    if (g_wal_syncs.hold_next) {
      g_wal_syncs.hold_next = false;
      g_wal_syncs.holding = true;
      g_wal_syncs.changed.notify_all();
      g_wal_syncs.changed.wait(lock, [] { return g_wal_syncs.released; });
      g_wal_syncs.holding = false;
    }
  }
  const int result = real(file)->pMethods->xSync(real(file), flags);
  if (result == SQLITE_OK && watched(file)->is_wal) {
    sqlite3_int64 size = 0;
    real(file)->pMethods->xFileSize(real(file), &size);
    std::lock_guard lock(g_wal_syncs.mutex);
    ++g_wal_syncs.count;
    // The furthest any sync has reached (the test's WAL only grows: no checkpoint restarts it).
    g_wal_syncs.synced_bytes = std::max(g_wal_syncs.synced_bytes, size);
  }
  return result;
}

const sqlite3_io_methods kWatchedMethods = {
    3,
    [](sqlite3_file* f) {
      const int result = real(f)->pMethods ? real(f)->pMethods->xClose(real(f)) : SQLITE_OK;
      return result;
    },
    [](sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
      return real(f)->pMethods->xRead(real(f), b, n, o);
    },
    [](sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
      return real(f)->pMethods->xWrite(real(f), b, n, o);
    },
    [](sqlite3_file* f, sqlite3_int64 s) { return real(f)->pMethods->xTruncate(real(f), s); },
    watchedSync,
    [](sqlite3_file* f, sqlite3_int64* s) { return real(f)->pMethods->xFileSize(real(f), s); },
    [](sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); },
    [](sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); },
    [](sqlite3_file* f, int* r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); },
    [](sqlite3_file* f, int op, void* a) {
      return real(f)->pMethods->xFileControl(real(f), op, a);
    },
    [](sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); },
    [](sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); },
    [](sqlite3_file* f, int p, int s, int e, void volatile** m) {
      return real(f)->pMethods->xShmMap(real(f), p, s, e, m);
    },
    [](sqlite3_file* f, int o, int n, int fl) {
      return real(f)->pMethods->xShmLock(real(f), o, n, fl);
    },
    [](sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); },
    [](sqlite3_file* f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); },
    [](sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
      return real(f)->pMethods->xFetch(real(f), o, n, p);
    },
    [](sqlite3_file* f, sqlite3_int64 o, void* p) {
      return real(f)->pMethods->xUnfetch(real(f), o, p);
    },
};

int watchedOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
                int* out_flags) {
  auto* self = watched(file);
  self->base.pMethods = nullptr;
  self->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  const int result = g_real_vfs->xOpen(g_real_vfs, name, self->real(), flags, out_flags);
  if (result == SQLITE_OK) self->base.pMethods = &kWatchedMethods;
  return result;
}

/// Installed as the default VFS for one test, SQLite's own again after it.
class WatchedVfs {
 public:
  WatchedVfs() {
    g_real_vfs = sqlite3_vfs_find(nullptr);
    vfs_ = *g_real_vfs;
    vfs_.zName = "civ-watched";
    vfs_.szOsFile = static_cast<int>(sizeof(WatchedFile)) + g_real_vfs->szOsFile;
    vfs_.xOpen = watchedOpen;
    sqlite3_vfs_register(&vfs_, 1);
    std::lock_guard lock(g_wal_syncs.mutex);
    g_wal_syncs.count = 0;
    g_wal_syncs.synced_bytes = 0;
    g_wal_syncs.fail_next = g_wal_syncs.hold_next = g_wal_syncs.holding = false;
    g_wal_syncs.released = false;
  }
  ~WatchedVfs() {
    sqlite3_vfs_unregister(&vfs_);
    sqlite3_vfs_register(g_real_vfs, 1);
  }

 private:
  sqlite3_vfs vfs_{};
};

class GroupCommit : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("civ-group-commit-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
    path_ = (directory_ / "civ.db").string();
    database_ = std::make_unique<Database>(DatabaseUrl{sdk::Dialect::Sqlite, path_}, 4);
    database_->pool().at(0) << "CREATE TABLE t (x INTEGER)";
  }
  void TearDown() override {
    database_.reset();
    std::filesystem::remove_all(directory_);
  }
  static int syncs() {
    std::lock_guard lock(g_wal_syncs.mutex);
    return g_wal_syncs.count;
  }
  static sqlite3_int64 syncedBytes() {
    std::lock_guard lock(g_wal_syncs.mutex);
    return g_wal_syncs.synced_bytes;
  }
  sqlite3_int64 walBytes() const {
    return static_cast<sqlite3_int64>(std::filesystem::file_size(path_ + "-wal"));
  }

  WatchedVfs vfs_;  // before the database: its sessions open through it
  std::filesystem::path directory_;
  std::string path_;
  std::unique_ptr<Database> database_;
};

TEST_F(GroupCommit, APoolSessionCommitsUnsyncedAndTheCommitReturnsOnlyOnceTheWalIsSynced) {
  ASSERT_TRUE(database_->groupCommits());
  PooledSession lease(*database_);
  int synchronous = -1;
  lease.session() << "PRAGMA synchronous", soci::into(synchronous);
  EXPECT_EQ(synchronous, 1);  // NORMAL: SQLite does not sync the WAL in COMMIT

  const int before = syncs();
  Transaction transaction(*database_, lease.session());
  lease.session() << "INSERT INTO t VALUES (1)";
  transaction.commit();
  EXPECT_EQ(syncs(), before + 1);
  EXPECT_EQ(syncedBytes(), walBytes()) << "the commit returned before its frames were synced";
  EXPECT_EQ(database_->groupCommitCounts().syncs, 1u);
}

TEST_F(GroupCommit, AReadSyncsNothingAndAnAutocommitWriteIsSyncedWhenItsLeaseEnds) {
  int before = syncs();
  {
    PooledSession lease(*database_);
    Transaction transaction(*database_, lease.session(), Transaction::Mode::Read);
    int rows = -1;
    lease.session() << "SELECT COUNT(*) FROM t", soci::into(rows);
    transaction.commit();
  }
  EXPECT_EQ(syncs(), before);

  {
    PooledSession lease(*database_);
    lease.session() << "INSERT INTO t VALUES (2)";  // no Transaction: SQLite commits it alone
  }
  EXPECT_EQ(syncs(), before + 1);
  EXPECT_EQ(syncedBytes(), walBytes());
}

TEST_F(GroupCommit, ConcurrentWritersLoseNothingAndEachIsSyncedBeforeItsCommitReturns) {
  // Transaction::commit's steps one by one, to read the WAL's length between COMMIT and the
  // wait: the commit's frames end at or before it, so a sync that covers them reaches it.
  constexpr int kThreads = 4, kWrites = 40;
  const int before = syncs();  // SQLite's own, making the table
  std::atomic<int> returned_unsynced{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        PooledSession lease(*database_);
        auto turn = database_->awaitWriteTurn();
        const int value = t * 1000 + i;
        lease.session() << "BEGIN IMMEDIATE";
        lease.session() << "INSERT INTO t VALUES (:x)", soci::use(value);
        lease.session() << "COMMIT";
        const sqlite3_int64 written = walBytes();
        turn.unlock();
        database_->awaitDurable(lease.session());
        if (syncedBytes() < written) returned_unsynced.fetch_add(1);
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(returned_unsynced.load(), 0);
  long long rows = 0;
  database_->pool().at(0) << "SELECT COUNT(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, kThreads * kWrites);
  EXPECT_EQ(static_cast<std::uint64_t>(syncs() - before), database_->groupCommitCounts().syncs);
  EXPECT_EQ(syncedBytes(), walBytes());
}

TEST_F(GroupCommit, CommitsMadeWhileASyncRunsShareTheNextSync) {
  // The first writer's sync is held in the VFS; three more commit meanwhile (the write turn is
  // free) and wait. When it is let go, one sync covers all three: two syncs for four commits.
  {
    std::lock_guard lock(g_wal_syncs.mutex);
    g_wal_syncs.hold_next = true;
  }
  const auto write = [this](int value) {
    PooledSession lease(*database_);
    Transaction transaction(*database_, lease.session());
    lease.session() << "INSERT INTO t VALUES (:x)", soci::use(value);
    transaction.commit();
  };
  std::vector<std::thread> writers;
  writers.emplace_back(write, 1);
  waitUntilASyncIsHeld();
  for (int value = 2; value <= 4; ++value) writers.emplace_back(write, value);
  for (int waited_ms = 0; database_->groupCommitCounts().commits < 4 && waited_ms < 10'000;
       waited_ms += 5)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(database_->groupCommitCounts().commits, 4u) << "three writers did not commit";
  release();
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(database_->groupCommitCounts().syncs, 2u);
  EXPECT_EQ(syncedBytes(), walBytes());
  long long rows = 0;
  database_->pool().at(0) << "SELECT COUNT(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 4);
}

TEST_F(GroupCommit, ASyncThatFailsIsAStorageFaultThatSaysTheWriteMayBeSavedAndTheNextSyncRuns) {
  {
    std::lock_guard lock(g_wal_syncs.mutex);
    g_wal_syncs.fail_next = true;
  }
  {
    PooledSession lease(*database_);
    Transaction transaction(*database_, lease.session());
    lease.session() << "INSERT INTO t VALUES (1)";
    try {
      transaction.commit();
      ADD_FAILURE() << "a commit whose sync failed returned";
    } catch (const std::exception& error) {
      // Answered 503; unlike other storage faults the row is committed, and the words say so.
      EXPECT_EQ(storageFault(error),
                "the disk did not confirm the write: it may have been saved; check before "
                "repeating it");
    }
  }
  long long rows = 0;
  database_->pool().at(0) << "SELECT COUNT(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(database_->groupCommitCounts().syncs, 0u);
  // The failed sync did not leave group commit stuck: the next commit syncs both.
  PooledSession lease(*database_);
  Transaction transaction(*database_, lease.session());
  lease.session() << "INSERT INTO t VALUES (2)";
  transaction.commit();
  EXPECT_EQ(database_->groupCommitCounts().syncs, 1u);
  EXPECT_EQ(syncedBytes(), walBytes());
}

/// Pages `session` had to read from the file since the last call (SQLite's cache misses).
int cacheMisses(soci::session& session) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  int misses = 0, highest = 0;
  sqlite3_db_status(backend->conn_, SQLITE_DBSTATUS_CACHE_MISS, &misses, &highest, 1);
  return misses;
}

TEST_F(GroupCommit, RequestWritesRunOnTheWriterWhoseCacheStaysWarmAndAreSyncedThroughTheLease) {
  ASSERT_TRUE(database_->hasWriter());
  EXPECT_EQ(database_->sessionSlots(), database_->poolSize() + 1);
  PooledSession first(*database_);
  PooledSession second(*database_);
  ASSERT_NE(&first.session(), &second.session());
  long long rows = 0;
  first.session() << "SELECT COUNT(*) FROM t", soci::into(rows);  // its cache holds the table
  soci::session* writer = nullptr;
  int value = 0;
  for (PooledSession* lease : {&first, &second, &first, &second}) {
    const int before = syncs();
    auto transaction = Transaction::onWriter(*database_, lease->session());
    soci::session& db = transaction.session();
    EXPECT_NE(&db, &lease->session());
    if (writer == nullptr) writer = &db;
    EXPECT_EQ(&db, writer) << "every request's write runs on the one writer session";
    EXPECT_EQ(database_->poolIndexOf(db), database_->poolSize());
    if (value > 0) (void)cacheMisses(db);
    ++value;
    db << "INSERT INTO t VALUES (:x)", soci::use(value);
    if (value > 1) {
      EXPECT_EQ(cacheMisses(db), 0) << "the writer read pages again";
    }
    transaction.commit();
    EXPECT_EQ(syncs(), before + 1);
    EXPECT_EQ(syncedBytes(), walBytes()) << "the commit returned before its frames were synced";
  }
  // A connection that did not write meets the writer's commits with its cache dropped (the
  // table's pages read again): why the writes moved to one session.
  (void)cacheMisses(first.session());
  first.session() << "SELECT COUNT(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 4);
  EXPECT_GT(cacheMisses(first.session()), 0);
}

TEST_F(GroupCommit, AWriteOnTheWriterRolledBackLeavesNothingAndAFreshLeaseSyncsTheNext) {
  {
    PooledSession lease(*database_);
    auto transaction = Transaction::onWriter(*database_, lease.session());
    transaction.session() << "INSERT INTO t VALUES (1)";
  }  // not committed
  // A database whose second session is opened only now, for this lease: its handle on the WAL,
  // which the sync runs through, is there from its opening.
  Database fresh(DatabaseUrl{sdk::Dialect::Sqlite, path_}, 2);
  PooledSession busy(fresh);
  PooledSession lease(fresh);
  auto transaction = Transaction::onWriter(fresh, lease.session());
  transaction.session() << "INSERT INTO t VALUES (2)";
  transaction.commit();
  EXPECT_EQ(fresh.groupCommitCounts().syncs, 1u);
  EXPECT_EQ(syncedBytes(), walBytes());
  long long total = 0;
  busy.session() << "SELECT COALESCE(SUM(x), 0) FROM t", soci::into(total);
  EXPECT_EQ(total, 2);
  // A session of its own (not a lease of the pool) writes on itself, synced by SQLite (FULL).
  soci::session own;
  openSession(own, DatabaseUrl{sdk::Dialect::Sqlite, path_});
  auto own_write = Transaction::onWriter(fresh, own);
  EXPECT_EQ(&own_write.session(), &own);
  own_write.session() << "INSERT INTO t VALUES (3)";
  own_write.commit();
  busy.session() << "SELECT COALESCE(SUM(x), 0) FROM t", soci::into(total);
  EXPECT_EQ(total, 5);
}

TEST_F(GroupCommit, ACommitThatFailsLeavesTheWriterOutsideAnyTransaction) {
  // A deferred foreign key fails at COMMIT, and SQLite then keeps the transaction open: were it
  // left so, every later write on the writer would fail to begin.
  database_->pool().at(0) << "CREATE TABLE parent (id INTEGER PRIMARY KEY)";
  database_->pool().at(0)
      << "CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY "
         "DEFERRED)";
  PooledSession lease(*database_);
  {
    auto transaction = Transaction::onWriter(*database_, lease.session());
    transaction.session() << "INSERT INTO child VALUES (42)";
    EXPECT_THROW(transaction.commit(), soci::soci_error);
  }
  auto transaction = Transaction::onWriter(*database_, lease.session());
  transaction.session() << "INSERT INTO t VALUES (7)";
  transaction.commit();
  long long children = -1, rows = -1;
  lease.session() << "SELECT COUNT(*) FROM child", soci::into(children);
  lease.session() << "SELECT COUNT(*) FROM t", soci::into(rows);
  EXPECT_EQ(children, 0);
  EXPECT_EQ(rows, 1);
}

TEST(GroupCommitOff, ASessionOutsideThePoolAndAnInMemoryDatabaseKeepFullSync) {
  const auto directory =
      std::filesystem::temp_directory_path() / ("civ-full-sync-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  {
    soci::session own;
    EXPECT_TRUE(openSession(own, DatabaseUrl{sdk::Dialect::Sqlite, (directory / "a.db").string()}));
    int synchronous = -1;
    own << "PRAGMA synchronous", soci::into(synchronous);
    EXPECT_EQ(synchronous, 2);  // FULL: nothing would sync its commits later
  }
  Database memory(DatabaseUrl{sdk::Dialect::Sqlite, ":memory:"}, 1);
  EXPECT_FALSE(memory.groupCommits());
  EXPECT_FALSE(memory.hasWriter());  // its sessions would be separate databases
  int synchronous = -1;
  memory.pool().at(0) << "PRAGMA synchronous", soci::into(synchronous);
  EXPECT_EQ(synchronous, 2);
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace civ::host
