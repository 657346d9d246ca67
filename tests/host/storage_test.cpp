// Storage on both engines: migrations, transactions, the bulk writer, concurrency.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <civ/sdk/error.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list_query.h>
#include <civ/sdk/sql.h>

#include "host/storage/advisory_locks.h"
#include "host/storage/bulk_writer.h"
#include "host/storage/database.h"
#include "host/storage/database_url.h"
#include "host/storage/host_schema.h"
#include "host/storage/host_storage.h"
#include "host/storage/migration_runner.h"
#include "host/storage/storage_fault.h"
#include "host/storage/transaction.h"
#include "tests/support/test_database.h"

namespace civ::host {
namespace {

const std::vector<sdk::Migration> kSteps = {
    {1,
     "items",
     {"CREATE TABLE demo_items (id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, label TEXT, "
      "amount_fen BIGINT)"},
     {}},
    {2, "index", {"CREATE INDEX demo_items_county ON demo_items (county_code)"}, {}},
};

class StorageTest : public ::testing::TestWithParam<sdk::Dialect> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    database_ = std::make_unique<Database>(test_db_->url(), 4);
  }
  void migrateDemo() {
    soci::session session(database_->pool());
    MigrationRunner runner(session, GetParam());
    runner.ensureSchemaTable();
    runner.apply("demo", kSteps);
  }
  long long count(const std::string& table) {
    soci::session session(database_->pool());
    long long n = 0;
    session << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }
  /// Demo items 1..n: item<k> of k fen, the even ones in 610902 and the odd ones in 610903.
  void insertDemoItems(HostStorage& storage, long long n) {
    storage.inTransaction([&](soci::session& db) {
      for (long long amount = 1; amount <= n; ++amount) {
        const std::string county = amount % 2 == 0 ? "610902" : "610903";
        const std::string label = "item" + std::to_string(amount);
        db << "INSERT INTO demo_items (county_code, label, amount_fen) VALUES (:c, :l, :a)",
            soci::use(county), soci::use(label), soci::use(amount);
      }
    });
  }

  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<Database> database_;
};

TEST_P(StorageTest, MigrationsApplyOnceAndAreANoOpOnRestart) {
  soci::session session(database_->pool());
  MigrationRunner runner(session, GetParam());
  runner.ensureSchemaTable();
  EXPECT_EQ(runner.apply("demo", kSteps).applied, 2);
  EXPECT_EQ(runner.apply("demo", kSteps).applied, 0);
  EXPECT_EQ(runner.currentVersion("demo"), 2);
  auto more = kSteps;
  more.push_back({3, "column", {"ALTER TABLE demo_items ADD COLUMN note TEXT"}, {}});
  const auto outcome = runner.apply("demo", more);
  EXPECT_EQ(outcome.applied, 1);
  EXPECT_EQ(outcome.current_version, 3);
}

// A restart finds every owner up to date and must not wait for the write lock (SQLite) or the
// migration lock (PostgreSQL) another host holds: the check is one read.
TEST_P(StorageTest, AnOwnerUpToDateIsAnsweredWithoutWaitingForAnotherSessionsLock) {
  migrateDemo();
  soci::session other(database_->pool());
  if (GetParam() == sdk::Dialect::Sqlite)
    other << "BEGIN IMMEDIATE";  // holds the database's write lock
  else
    other << "SELECT pg_advisory_lock(" << advisory_lock::kMigrations << ")";
  soci::session session(database_->pool());
  // Waiting for the lock would fail here: SQLite's busy wait is cut to nothing, PostgreSQL's
  // lock wait to a second.
  if (GetParam() == sdk::Dialect::Sqlite)
    session << "PRAGMA busy_timeout = 0";
  else
    session << "SET lock_timeout = '1s'";
  MigrationRunner runner(session, GetParam());
  const auto outcome = runner.apply("demo", kSteps);
  EXPECT_EQ(outcome.applied, 0);
  EXPECT_EQ(outcome.current_version, 2);
  // A pending step does wait for the lock, and is refused while another session holds it.
  auto more = kSteps;
  more.push_back({3, "column", {"ALTER TABLE demo_items ADD COLUMN note TEXT"}, {}});
  EXPECT_THROW(runner.apply("demo", more), std::exception);
  if (GetParam() == sdk::Dialect::Sqlite)
    other << "ROLLBACK";
  else
    other << "SELECT pg_advisory_unlock(" << advisory_lock::kMigrations << ")";
  if (GetParam() == sdk::Dialect::Postgresql) session << "SET lock_timeout = 0";
  EXPECT_EQ(runner.apply("demo", more).applied, 1);
}

TEST_P(StorageTest, AFailingStepRollsBackEveryPendingStepOfThatOwner) {
  soci::session session(database_->pool());
  MigrationRunner runner(session, GetParam());
  runner.ensureSchemaTable();
  auto steps = kSteps;
  steps.push_back({3, "broken", {"CREATE TABLE demo_other (x INTEGER)", "THIS IS NOT SQL"}, {}});
  try {
    runner.apply("demo", steps);
    FAIL() << "a broken step was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("demo: migration 3 (broken) failed"),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(runner.currentVersion("demo"), 0);
  // Nothing of steps 1-3 exists: the table of step 1 was rolled back too.
  EXPECT_THROW(session << "SELECT COUNT(*) FROM demo_items", soci::soci_error);
}

TEST_P(StorageTest, StepsOutOfOrderAreRefused) {
  soci::session session(database_->pool());
  MigrationRunner runner(session, GetParam());
  runner.ensureSchemaTable();
  EXPECT_THROW(runner.apply("demo", {kSteps[1]}), std::runtime_error);
}

TEST_P(StorageTest, ATransactionNotCommittedLeavesNothing) {
  migrateDemo();
  HostStorage storage(*database_);
  EXPECT_THROW(storage.inTransaction([](soci::session& db) {
    db << "INSERT INTO demo_items (county_code, label) VALUES ('610902', 'a')";
    throw std::runtime_error("abandon");
  }),
               std::runtime_error);
  EXPECT_EQ(count("demo_items"), 0);
  storage.inTransaction([](soci::session& db) {
    db << "INSERT INTO demo_items (county_code, label) VALUES ('610902', 'a')";
  });
  EXPECT_EQ(count("demo_items"), 1);
}

TEST_P(StorageTest, BulkWriterWritesExactValuesIncludingNullsAndSpecialCharacters) {
  migrateDemo();
  HostStorage storage(*database_);
  const int rows = 25'000;  // more than one COPY chunk
  storage.inTransaction([&](soci::session& db) {
    auto writer = storage.bulkWriter(db, "demo_items", {"county_code", "label", "amount_fen"});
    for (int i = 0; i < rows; ++i)
      writer->add({std::string("610902"), std::string("item ") + std::to_string(i),
                   std::int64_t{i} * 100 + 1});
    writer->add(
        {std::string("350502"), std::string("tab\there\nnew line \\ 汉字"), std::monostate{}});
    EXPECT_EQ(writer->finish(), rows + 1);
  });
  EXPECT_EQ(count("demo_items"), rows + 1);
  soci::session session(database_->pool());
  long long sum = 0;
  session << "SELECT SUM(amount_fen) FROM demo_items WHERE county_code = '610902'", soci::into(sum);
  EXPECT_EQ(sum, static_cast<long long>(rows) * (rows - 1) / 2 * 100 + rows);
  soci::rowset<soci::row> special =
      (session.prepare << "SELECT label, amount_fen FROM demo_items WHERE county_code = '350502'");
  int seen = 0;
  for (const auto& row : special) {
    EXPECT_EQ(sdk::sql::textAt(row, 0), "tab\there\nnew line \\ 汉字");
    EXPECT_FALSE(sdk::sql::optionalInt64At(row, 1).has_value());
    ++seen;
  }
  EXPECT_EQ(seen, 1);
}

TEST_P(StorageTest, BulkWriterRefusesIdentifiersThatAreNotPlainNames) {
  soci::session session(database_->pool());
  EXPECT_THROW(makeBulkWriter(session, GetParam(), "demo; DROP TABLE x", {"a"}),
               std::invalid_argument);
  EXPECT_THROW(makeBulkWriter(session, GetParam(), "demo_items", {"a b"}), std::invalid_argument);
}

TEST_P(StorageTest, ConcurrentWritersThroughThePoolLoseNothing) {
  migrateDemo();
  HostStorage storage(*database_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&storage, t] {
      for (int i = 0; i < 50; ++i) {
        storage.inTransaction([&](soci::session& db) {
          const std::string label = std::to_string(t) + "-" + std::to_string(i);
          db << "INSERT INTO demo_items (county_code, label) VALUES ('610902', :label)",
              soci::use(label);
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(count("demo_items"), 200);
}

TEST_P(StorageTest, EachSessionOpensAtItsFirstLeaseSetUpAsTheFirstIs) {
  // The constructor opened the first session only (SetUp has not called pool()).
  auto backends = [](soci::session& session) {
    long long n = 0;
    session << "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()",
        soci::into(n);
    return n;
  };
  std::vector<std::unique_ptr<PooledSession>> leases;
  leases.push_back(std::make_unique<PooledSession>(*database_));
  if (GetParam() == sdk::Dialect::Postgresql) {
    EXPECT_EQ(backends(leases[0]->session()), 1);
  }
  // Held at once, the four leases take four slots, three of them opened now.
  for (int i = 1; i < 4; ++i) leases.push_back(std::make_unique<PooledSession>(*database_));
  std::set<soci::session*> distinct;
  for (auto& lease : leases) {
    auto& session = lease->session();
    distinct.insert(&session);
    if (GetParam() == sdk::Dialect::Sqlite) {
      int foreign_keys = 0, busy_timeout = 0;
      std::string journal;
      session << "PRAGMA foreign_keys", soci::into(foreign_keys);
      session << "PRAGMA busy_timeout", soci::into(busy_timeout);
      session << "PRAGMA journal_mode", soci::into(journal);
      EXPECT_EQ(foreign_keys, 1);
      EXPECT_EQ(busy_timeout, 10000);
      EXPECT_EQ(journal, "wal");
    } else {
      std::string zone;
      session << "SHOW TimeZone", soci::into(zone);
      EXPECT_EQ(zone, "Asia/Shanghai");
    }
  }
  EXPECT_EQ(distinct.size(), 4u);
  if (GetParam() == sdk::Dialect::Postgresql) {
    EXPECT_EQ(backends(leases[0]->session()), 4);
  }
}

TEST_P(StorageTest, AKeptQueryRunsAgainWithNewParametersOnEverySessionAtOnce) {
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery labels(storage,
                        "SELECT label FROM demo_items WHERE county_code = :county AND amount_fen "
                        ">= :min ORDER BY id");
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        storage.inTransaction([&](soci::session& db) {
          const std::string county = "61090" + std::to_string(t);
          const long long amount = i;
          const std::string label = std::to_string(i);
          db << "INSERT INTO demo_items (county_code, label, amount_fen) VALUES (:c, :l, :a)",
              soci::use(county), soci::use(label), soci::use(amount);
          // Each thread's own rows, in its own transaction: rows i-1 and i from i >= 1 on.
          std::vector<std::string> seen;
          labels.forEach(db, {county, std::int64_t{i - 1}},
                         [&](const soci::row& row) { seen.push_back(sdk::sql::textAt(row, 0)); });
          const std::vector<std::string> expected =
              i == 0 ? std::vector<std::string>{"0"}
                     : std::vector<std::string>{std::to_string(i - 1), std::to_string(i)};
          if (seen != expected) ++wrong;
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(count("demo_items"), 100);
}

TEST_P(StorageTest, AKeptQueryLeftByAnExceptionDoesNotHoldAnOldSnapshot) {
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery all(storage, "SELECT label FROM demo_items WHERE county_code = :c ORDER BY id");
  const auto insert = [&](const std::string& label) {
    storage.inTransaction([&](soci::session& db) {
      db << "INSERT INTO demo_items (county_code, label) VALUES ('610902', :l)", soci::use(label);
    });
  };
  insert("a");
  insert("b");
  PooledSession lease(*database_);  // the same session for every run below, outside a transaction
  EXPECT_THROW(all.forEach(lease.session(), {std::string("610902")},
                           [](const soci::row&) { throw std::runtime_error("stop at row 1"); }),
               std::runtime_error);
  insert("c");  // committed on another session
  // A statement stopped at a row would keep the session's read snapshot from before "c".
  long long rows = 0;
  lease.session() << "SELECT COUNT(*) FROM demo_items", soci::into(rows);
  EXPECT_EQ(rows, 3);
  std::vector<std::string> seen;
  EXPECT_EQ(all.forEach(lease.session(), {std::string("610902")},
                        [&](const soci::row& row) { seen.push_back(sdk::sql::textAt(row, 0)); }),
            3u);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c"}));
}

TEST_P(StorageTest, AKeptQueryThatFailsInATransactionRunsAgainInTheNext) {
  // On PostgreSQL the failure aborts the transaction, and dropping the statement then happens
  // inside it: the error must still reach the caller, and the query must work afterwards.
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery ratio(storage, "SELECT 100 / CAST(:d AS INTEGER)");
  std::vector<std::int64_t> results;
  const auto keep = [&](const soci::row& row) { results.push_back(sdk::sql::int64At(row, 0)); };
  EXPECT_THROW(
      storage.inTransaction([&](soci::session& db) { ratio.forEach(db, {std::int64_t{0}}, keep); }),
      std::exception);
  storage.inTransaction([&](soci::session& db) { ratio.forEach(db, {std::int64_t{4}}, keep); });
  EXPECT_EQ(results, std::vector<std::int64_t>{25});
}

TEST_P(StorageTest, AListsStatementIsKeptOnceItsFiltersRepeatAndAnswersWithEachRunsValues) {
  migrateDemo();
  HostStorage storage(*database_);
  insertDemoItems(storage, 6);
  sdk::KeptQueryCache kept(storage, 2);
  PooledSession lease(*database_);
  auto& db = lease.session();
  // The same filters with other values: the first run is unkept, the second keeps the
  // statement, the third reuses it; each answers with its own values.
  const auto page = [&](const std::string& county, long long min_amount) {
    sdk::ListQuery query("county_code", county);
    query.add("amount_fen >= " + query.number(min_amount));
    query.add("label LIKE " + query.text("item%"));
    std::vector<std::string> labels;
    query.forEach(kept, db, "SELECT label FROM demo_items" + query.clause() + " ORDER BY id",
                  [&](const soci::row& row) { labels.push_back(sdk::sql::textAt(row, 0)); });
    return std::pair{query.count(kept, db, " FROM demo_items"), labels};
  };
  using Page = std::pair<std::int64_t, std::vector<std::string>>;
  EXPECT_EQ(page("610902", 0), (Page{3, {"item2", "item4", "item6"}}));
  EXPECT_EQ(page("610902", 3), (Page{2, {"item4", "item6"}}));
  EXPECT_EQ(page("610903", 2), (Page{2, {"item3", "item5"}}));
  EXPECT_EQ(page("610903", 6), (Page{0, {}}));

  const std::string sql = "SELECT label FROM demo_items WHERE county_code = :lq0";
  const std::vector<sdk::KeptQuery::Parameter> county{std::string("610902")};
  // Full: the list's two statements took the room, so the text is never kept there.
  EXPECT_EQ(kept.find(sql, county), nullptr);
  EXPECT_EQ(kept.find(sql, county), nullptr);
  sdk::KeptQueryCache roomy(storage);
  EXPECT_EQ(roomy.find(sql, county), nullptr);
  sdk::KeptQuery* second = roomy.find(sql, county);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(roomy.find(sql, county), second);
  // The same text bound with a number is kept apart (a KeptQuery keeps its first kinds).
  const std::vector<sdk::KeptQuery::Parameter> number{std::int64_t{610902}};
  EXPECT_EQ(roomy.find(sql, number), nullptr);
  sdk::KeptQuery* by_number = roomy.find(sql, number);
  ASSERT_NE(by_number, nullptr);
  EXPECT_NE(by_number, second);
  EXPECT_EQ(by_number->forEach(db, number, [](const soci::row&) {}),
            3u);  // 610902 compared as text
  // A text that differs in a literal (a later page's keyset) is another text.
  EXPECT_EQ(roomy.find(sql + " AND id > 4", county), nullptr);
}

TEST_P(StorageTest, AListsTotalAsAColumnOfItsPageEqualsTheTotalAskedApart) {
  migrateDemo();
  HostStorage storage(*database_);
  insertDemoItems(storage, 7);
  sdk::KeptQueryCache kept(storage);
  PooledSession lease(*database_);
  auto& db = lease.session();
  // A page of two with its count and sum as columns, against count() and sum() apart. The
  // quoted literal holds text shaped like a placeholder, which stays text. Run four times per
  // filter, so the statement is kept and then reused with each run's values.
  struct Page {
    std::vector<std::string> labels;
    std::int64_t count_column = -1, sum_column = -1, count = 0, sum = 0;
  };
  const auto page = [&](const std::string& county, long long min_amount) {
    sdk::ListQuery query("county_code", county);
    query.add("amount_fen >= " + query.number(min_amount));
    query.add("label <> 'no :lq0 here' AND label " + query.containing("item"));
    Page out;
    const std::string count_column = query.countColumn(" FROM demo_items");
    const std::string sum_column = query.sumColumn("amount_fen", " FROM demo_items");
    query.forEach(kept, db,
                  "SELECT label, " + count_column + ", " + sum_column + " FROM demo_items" +
                      query.clause() + " ORDER BY id LIMIT 2",
                  [&](const soci::row& row) {
                    out.labels.push_back(sdk::sql::textAt(row, 0));
                    out.count_column = sdk::sql::int64At(row, 1);
                    out.sum_column = sdk::sql::int64At(row, 2);
                  });
    out.count = query.count(db, " FROM demo_items");
    out.sum = query.sum(db, "amount_fen", " FROM demo_items");
    return out;
  };
  for (int run = 0; run < 4; ++run) {
    const auto even = page("610902", 3);  // items 4 and 6: 10 fen
    EXPECT_EQ(even.labels, (std::vector<std::string>{"item4", "item6"}));
    EXPECT_EQ(even.count_column, 2);
    EXPECT_EQ(even.sum_column, 10);
    const auto odd = page("610903", 2);  // items 3, 5 and 7 (the page shows two): 15 fen
    EXPECT_EQ(odd.labels, (std::vector<std::string>{"item3", "item5"}));
    EXPECT_EQ(odd.count_column, 3);
    EXPECT_EQ(odd.count, 3);
    EXPECT_EQ(odd.sum_column, 15);
    EXPECT_EQ(odd.sum, 15);
    const auto none = page("610903", 8);  // an empty page carries no total: asked apart, 0
    EXPECT_TRUE(none.labels.empty());
    EXPECT_EQ(none.count_column, -1);
    EXPECT_EQ(none.count, 0);
    EXPECT_EQ(none.sum, 0);
  }
}

TEST_P(StorageTest, AKeptQueryRefusesParametersItCannotBind) {
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery query(storage, "SELECT label FROM demo_items WHERE id = :id");
  PooledSession lease(*database_);
  const auto none = [](const soci::row&) {};
  EXPECT_EQ(query.forEach(lease.session(), {std::int64_t{1}}, none), 0u);
  EXPECT_THROW(query.forEach(lease.session(), {std::string("1")}, none), std::invalid_argument);
  EXPECT_THROW(query.forEach(lease.session(), {}, none), std::invalid_argument);
  // NULL fits a placeholder of any kind (SDK 1.7); `= NULL` is never true.
  EXPECT_EQ(query.forEach(lease.session(), {std::monostate{}}, none), 0u);
  // A session outside the pool (a test's own) gets a statement for that call only.
  soci::session own;
  openSession(own, test_db_->url());
  EXPECT_EQ(query.forEach(own, {std::int64_t{1}}, none), 0u);
}

TEST_P(StorageTest, AKeptQueryWritesNullIntoOptionalColumns) {
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery insert(
      storage,
      "INSERT INTO demo_items (county_code, label, amount_fen) VALUES (:c, :l, :a) RETURNING id");
  PooledSession lease(*database_);
  auto& db = lease.session();
  std::vector<long long> ids;
  const auto id = [&](const soci::row& row) { ids.push_back(sdk::sql::int64At(row, 0)); };
  // First run with NULLs: the label is bound as text, the amount as text too until a number
  // comes, when the session's statement is prepared again for it.
  insert.forEach(db, {std::string("610902"), std::monostate{}, std::monostate{}}, id);
  insert.forEach(db, {std::string("610902"), std::string("a"), std::int64_t{12345}}, id);
  insert.forEach(db, {std::string("610902"), std::monostate{}, std::int64_t{-1}}, id);
  insert.forEach(db, {std::string("610902"), std::string("b"), std::monostate{}}, id);
  ASSERT_EQ(ids.size(), 4u);
  std::vector<std::string> stored;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT label, amount_fen FROM demo_items ORDER BY id");
  for (const auto& row : rows)
    stored.push_back(sdk::sql::optionalTextAt(row, 0).value_or("NULL") + "|" +
                     (sdk::sql::optionalInt64At(row, 1)
                          ? std::to_string(*sdk::sql::optionalInt64At(row, 1))
                          : std::string("NULL")));
  EXPECT_EQ(stored, (std::vector<std::string>{"NULL|NULL", "a|12345", "NULL|-1", "b|NULL"}));
  // Still of its kind: a number where text was bound first is refused.
  EXPECT_THROW(insert.forEach(db, {std::int64_t{1}, std::monostate{}, std::monostate{}}, id),
               std::invalid_argument);
}

TEST_P(StorageTest, AWriteBeyondTheAdmittedWaitsForOneToEndOnSqliteAndAPatienceOnPostgresql) {
  // SQLite admits one request write at once (its write turn): the next begins only when it ends.
  // PostgreSQL admits a few (Database::awaitWritePermit): the next waits for one of them to end,
  // but never longer than the permits' patience, so long writes holding every permit do not
  // hold back the others (it goes on without one). (FairLeaseTest: a permit given back goes to
  // the write that waits.)
  migrateDemo();
  const bool postgresql = GetParam() == sdk::Dialect::Postgresql;
  const std::size_t admitted = postgresql ? Database::concurrentPostgresqlWrites() : 1;
  Database database(test_db_->url(), admitted + 1);
  std::vector<std::unique_ptr<PooledSession>> leases;
  std::vector<std::unique_ptr<Transaction>> writes;
  for (std::size_t i = 0; i < admitted; ++i) {
    leases.push_back(std::make_unique<PooledSession>(database));
    // Not movable: made in place from onWriter's answer.
    writes.emplace_back(new Transaction(Transaction::onWriter(database, leases.back()->session())));
    writes.back()->session() << "INSERT INTO demo_items (county_code, label) VALUES ('610902', "
                                "'admitted')";
  }
  std::atomic<bool> began{false};
  std::atomic<bool> committed{false};
  std::chrono::steady_clock::duration waited{};
  std::string failure;
  std::jthread next([&] {
    try {
      PooledSession lease(database);
      const auto asked = std::chrono::steady_clock::now();
      Transaction write = Transaction::onWriter(database, lease.session());
      waited = std::chrono::steady_clock::now() - asked;
      began = true;
      write.session() << "INSERT INTO demo_items (county_code, label) VALUES ('610902', 'next')";
      write.commit();
      committed = true;
    } catch (const std::exception& e) {
      failure = e.what();
    }
  });
  if (postgresql) {
    // Every admitted write stays open: the next one began once it had waited the patience, and
    // committed.
    next.join();
    EXPECT_TRUE(committed) << failure;
    EXPECT_GE(waited, std::chrono::milliseconds(Database::kWritePermitPatienceMs));
  } else {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // SQLite's timeout is 10 s
    EXPECT_FALSE(began) << "a write beyond the one admitted began";
    writes.front()->commit();
    next.join();
    EXPECT_TRUE(committed) << failure;
  }
  for (auto& write : writes) write->commit();  // commit() of a committed one does nothing
  writes.clear();
  EXPECT_EQ(count("demo_items"), static_cast<long long>(admitted) + 1);
}

TEST_P(StorageTest, AKeptQueryWriteWithoutReturningRunsOnceAndAnswersNoRow) {
  // SOCI's PostgreSQL backend does not count the rows of a statement without columns, so
  // fetching it to the end went on as long as whatever count it had said (50 s of empty rows
  // for the audit chain's INSERT; here it may happen to stop at once).
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery insert(
      storage, "INSERT INTO demo_items (county_code, label, amount_fen) VALUES (:c, :l, :a)");
  PooledSession lease(*database_);
  auto& db = lease.session();
  int rows_seen = 0;
  const auto count = [&](const soci::row&) { ++rows_seen; };
  EXPECT_EQ(insert.forEach(db, {std::string("610902"), std::string("a"), std::int64_t{1}}, count),
            0u);
  EXPECT_EQ(insert.forEach(db, {std::string("610902"), std::string("b"), std::int64_t{2}}, count),
            0u);
  EXPECT_EQ(rows_seen, 0);
  long long written = 0;
  db << "SELECT COUNT(*) FROM demo_items", soci::into(written);
  EXPECT_EQ(written, 2);  // each run wrote its row once
}

TEST_P(StorageTest, AKeptQueryLearnsAPlaceholderFirstSeenNullOncePerSession) {
  // Two optional numbers, each NULL where the other is given (as a 特困 application names a
  // person and a temporary one an amount): the statement first bound the NULL one as text is
  // prepared again once, then keeps both as numbers.
  migrateDemo();
  HostStorage storage(*database_);
  sdk::KeptQuery insert(storage,
                        "INSERT INTO demo_items (county_code, amount_fen) VALUES (:c,"
                        " COALESCE(CAST(:a AS BIGINT), CAST(:b AS BIGINT))) RETURNING id");
  PooledSession lease(*database_);
  auto& db = lease.session();
  const auto none = [](const soci::row&) {};
  const std::string county = "610902";
  for (std::int64_t i = 0; i < 5; ++i) {
    if (i % 2 == 0)
      insert.forEach(db, {county, i, std::monostate{}}, none);
    else
      insert.forEach(db, {county, std::monostate{}, i}, none);
  }
  long long sum = 0;
  db << "SELECT SUM(amount_fen) FROM demo_items", soci::into(sum);
  EXPECT_EQ(sum, 0 + 1 + 2 + 3 + 4);
  if (GetParam() != sdk::Dialect::Sqlite) return;
  auto* connection = static_cast<soci::sqlite3_session_backend*>(db.get_backend())->conn_;
  int runs = -1;
  for (auto* statement = sqlite_api::sqlite3_next_stmt(connection, nullptr); statement != nullptr;
       statement = sqlite_api::sqlite3_next_stmt(connection, statement))
    if (std::string(sqlite_api::sqlite3_sql(statement)).find("COALESCE(CAST(") != std::string::npos)
      runs = sqlite_api::sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_RUN, 0);
  EXPECT_GE(runs, 3) << "the statement was prepared again on later runs (-1: none kept)";
}

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ::host

namespace civ {
namespace {

TEST(SqliteFiles, ANewDatabaseAndItsWalAreReadableByTheServiceAccountOnly) {
  const auto directory =
      std::filesystem::temp_directory_path() / ("civ-mode-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const std::string path = (directory / "civ.db").string();
  const mode_t previous = ::umask(0022);  // a usual umask would leave it world-readable
  {
    host::Database database(host::DatabaseUrl{sdk::Dialect::Sqlite, path}, 1);
    database.pool().at(0) << "CREATE TABLE t (x INTEGER)";
    database.pool().at(0) << "INSERT INTO t VALUES (1)";
    for (const char* suffix : {"", "-wal"}) {
      struct stat info {};
      ASSERT_EQ(::stat((path + suffix).c_str(), &info), 0) << suffix;
      EXPECT_EQ(info.st_mode & 0777, 0600u) << path + suffix;
    }
  }
  ::umask(previous);
  std::filesystem::remove_all(directory);
}

TEST(SqliteFiles, ASessionThatCannotOpenAnswers503AndItsSlotOpensAtTheNextLease) {
  const auto directory =
      std::filesystem::temp_directory_path() / ("civ-lazy-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const std::string path = (directory / "civ.db").string();
  {
    host::Database database(host::DatabaseUrl{sdk::Dialect::Sqlite, path}, 2);
    host::PooledSession first(database);  // the constructor's session; holds slot 0
    first.session() << "CREATE TABLE t (x INTEGER)";
    first.session() << "INSERT INTO t VALUES (7)";
    // The file moved away while civhost runs: slot 1's first lease must not make an empty one.
    std::filesystem::rename(path, path + ".away");
    try {
      host::PooledSession second(database);
      ADD_FAILURE() << "a session opened on a missing file";
    } catch (const host::SessionUnavailable& error) {
      // A storage fault, answered 503 storage-unavailable as a lost connection is.
      EXPECT_EQ(host::storageFault(error), "a database session could not be opened");
      EXPECT_NE(std::string(error.what()).find("is gone"), std::string::npos) << error.what();
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    std::filesystem::rename(path + ".away", path);
    // The failed opening left the slot closed, not stuck: the next lease opens it.
    host::PooledSession second(database);
    int x = 0;
    second.session() << "SELECT x FROM t", soci::into(x);
    EXPECT_EQ(x, 7);
  }
  std::filesystem::remove_all(directory);
}

TEST(DatabaseUrl, PostgresqlConnectionsGiveUpAfterTenSecondsUnlessTheirOwnTimeoutIsSet) {
  if (std::getenv("PGCONNECT_TIMEOUT") || std::getenv("PGSERVICE"))
    GTEST_SKIP() << "the environment sets libpq's timeout or service: nothing is added then";
  const auto libpq = [](const std::string& text) {
    return host::DatabaseUrl::parse(text).libpqConnection();
  };
  EXPECT_EQ(libpq("host=db dbname=civ"), "host=db dbname=civ connect_timeout=10");
  EXPECT_EQ(libpq("postgresql://db/civ"), "postgresql://db/civ?connect_timeout=10");
  EXPECT_EQ(libpq("postgresql://db/civ?sslmode=require"),
            "postgresql://db/civ?sslmode=require&connect_timeout=10");
  EXPECT_EQ(libpq("postgresql://db/civ?"), "postgresql://db/civ?connect_timeout=10");
  EXPECT_EQ(libpq("postgres://db/civ?sslmode=require&"),
            "postgres://db/civ?sslmode=require&connect_timeout=10");
  // The operator's own choice stands.
  EXPECT_EQ(libpq("host=db dbname=civ connect_timeout=3"), "host=db dbname=civ connect_timeout=3");
  EXPECT_EQ(libpq("service=civ dbname=civ"), "service=civ dbname=civ");
}

}  // namespace
}  // namespace civ
