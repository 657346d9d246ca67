// Storage on both engines: migrations, transactions, the bulk writer, concurrency.
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/storage/bulk_writer.h"
#include "host/storage/database.h"
#include "host/storage/host_schema.h"
#include "host/storage/host_storage.h"
#include "host/storage/migration_runner.h"
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

INSTANTIATE_TEST_SUITE_P(Engines, StorageTest,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ::host
