// The persons registry on both engines.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/error.h>

#include "host/persons/sql_persons_registry.h"
#include "host/storage/database.h"
#include "host/storage/host_schema.h"
#include "host/storage/host_storage.h"
#include "host/storage/migration_runner.h"
#include "host/storage/transaction.h"
#include "tests/support/test_database.h"

namespace civ::host {
namespace {

class PersonsRegistryTest : public ::testing::TestWithParam<sdk::Dialect> {
 protected:
  void SetUp() override {
    test_db_ = std::make_unique<testing::TestDatabase>(GetParam());
    // Three sessions: the fixture's own and two for the tests that lease more.
    database_ = std::make_unique<Database>(test_db_->url(), 3);
    session_ = std::make_unique<soci::session>(database_->pool());
    MigrationRunner runner(*session_, GetParam());
    runner.ensureSchemaTable();
    runner.apply("civ", hostMigrations());
  }

  sdk::FixedClock clock_{*sdk::Date::parse("2026-11-23")};
  std::unique_ptr<testing::TestDatabase> test_db_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<soci::session> session_;
};

TEST_P(PersonsRegistryTest, RegistersOnceAndDerivesBirthDateAndSex) {
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  const auto first =
      registry.ensureRegistered(*session_, "11010519491231002X", "王芳", "citizen_id");
  const auto again =
      registry.ensureRegistered(*session_, "11010519491231002X", "王芳", "citizen_id");
  EXPECT_EQ(first.id, again.id);
  EXPECT_EQ(again.name, "王芳");
  // Another name for a known ID is refused on the name beside the ID, without saying the
  // registered name (the asker may be another county's clerk), and never replaces it.
  try {
    registry.ensureRegistered(*session_, "11010519491231002X", "李四", "members[2].citizen_id");
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.status(), 422);
    EXPECT_EQ(error.fieldErrors()[0].field, "members[2].name");
    EXPECT_EQ(error.fieldErrors()[0].rule, "name-matches-registry");
    EXPECT_EQ(std::string(error.what()).find("王芳"), std::string::npos);
    EXPECT_EQ(error.fieldErrors()[0].message.find("王芳"), std::string::npos);
  }
  EXPECT_EQ(registry.findById(*session_, first.id)->name, "王芳");
  EXPECT_EQ(first.birth_date.toString(), "1949-12-31");
  EXPECT_EQ(first.sex, sdk::Sex::Female);
  const auto found = registry.findById(*session_, first.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->citizen_id, "11010519491231002X");
  EXPECT_FALSE(registry.findByCitizenId(*session_, "440524188001010014"));
}

TEST_P(PersonsRegistryTest, RegistersManyAtOnceKeepingKnownPersonsAndOrder) {
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  const auto known = registry.ensureRegistered(*session_, "11010519491231002X", "王芳", "id");
  // 1,200 new persons (more than one lookup block), one known, one listed twice.
  std::vector<std::pair<std::string, std::string>> persons = {{"11010519491231002X", "王芳"}};
  for (int i = 0; i < 1200; ++i) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "61090219%02d%02d%02d%03d", 60 + i / 400, 1 + i % 12,
                  1 + i % 28, i % 1000);
    persons.emplace_back(std::string(first17) + sdk::CitizenId::checkCharacter(first17),
                         "村民" + std::to_string(i));
  }
  persons.push_back(persons[5]);
  const auto ids = registry.ensureRegisteredMany(*session_, persons, "rows");
  ASSERT_EQ(ids.size(), persons.size());
  EXPECT_EQ(ids.front(), known.id);
  EXPECT_EQ(ids.back(), ids[5]);
  long long count = 0;
  *session_ << "SELECT COUNT(*) FROM civ_persons", soci::into(count);
  EXPECT_EQ(count, 1201);
  const auto person = registry.findById(*session_, ids[7]);
  ASSERT_TRUE(person);
  EXPECT_EQ(person->citizen_id, persons[7].first);
  EXPECT_EQ(person->name, persons[7].second);
  EXPECT_EQ(registry.findById(*session_, known.id)->name, "王芳");
  // A known ID under another name is refused with its position, not renamed.
  auto renamed = persons;
  renamed[0].second = "别名";
  try {
    registry.ensureRegisteredMany(*session_, renamed, "rows");
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field, "rows[0].name");
  }
  // An invalid ID is refused with its position, and nothing of the call is written.
  persons.push_back({"11010519491231002x", "坏"});
  try {
    registry.ensureRegisteredMany(*session_, persons, "rows");
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field, "rows[1202].citizen_id");
  }
}

TEST_P(PersonsRegistryTest, RefusesInvalidIdsWithTheCallersFieldName) {
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  try {
    registry.ensureRegistered(*session_, "11010519491231002x", "王芳", "applicant.citizen_id");
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field, "applicant.citizen_id");
    EXPECT_EQ(error.fieldErrors()[0].rule, "characters");
  }
}

TEST_P(PersonsRegistryTest, RecordsADeathOnceAndNeverBeforeBirthOrInTheFuture) {
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  const auto person =
      registry.ensureRegistered(*session_, "440524188001010014", "李四", "citizen_id");
  EXPECT_THROW(registry.markDeceased(*session_, person.id, *sdk::Date::parse("1879-12-31")),
               sdk::ValidationError);
  EXPECT_THROW(registry.markDeceased(*session_, person.id, *sdk::Date::parse("2026-11-24")),
               sdk::ValidationError);
  registry.markDeceased(*session_, person.id, *sdk::Date::parse("1950-06-01"));
  EXPECT_EQ(registry.findById(*session_, person.id)->death_date->toString(), "1950-06-01");
  EXPECT_THROW(registry.markDeceased(*session_, person.id, *sdk::Date::parse("1950-06-02")),
               sdk::Conflict);
  EXPECT_THROW(registry.markDeceased(*session_, 999999, *sdk::Date::parse("1950-06-02")),
               sdk::NotFound);
}

TEST_P(PersonsRegistryTest, ARegistrationRolledBackLeavesNoPerson) {
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  {
    Transaction transaction(*session_, GetParam());
    registry.ensureRegistered(*session_, "11010519491231002X", "王芳", "citizen_id");
  }
  EXPECT_FALSE(registry.findByCitizenId(*session_, "11010519491231002X"));
}

TEST_P(PersonsRegistryTest, TwoTransactionsRegisteringTheSameNewPersonGetOneRow) {
  // Two requests name the same new person at once: on PostgreSQL both find no row; the second
  // insert waits for the first transaction and must then read its row, not fail on the key.
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  PooledSession first(*database_);
  Transaction first_transaction(first.session(), GetParam());
  const auto registered =
      registry.ensureRegistered(first.session(), "440524188001010014", "李四", "citizen_id");
  std::int64_t second_id = 0;
  std::string second_error;
  std::thread second([&] {
    try {
      PooledSession lease(*database_);
      Transaction transaction(lease.session(), GetParam());
      second_id =
          registry.ensureRegistered(lease.session(), "440524188001010014", "李四", "citizen_id").id;
      transaction.commit();
    } catch (const std::exception& error) {
      second_error = error.what();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the second one is waiting
  first_transaction.commit();
  second.join();
  EXPECT_EQ(second_error, "");
  EXPECT_EQ(second_id, registered.id);
  long long rows = 0;
  *session_ << "SELECT COUNT(*) FROM civ_persons", soci::into(rows);
  EXPECT_EQ(rows, 1);
}

TEST_P(PersonsRegistryTest, TwoBulkRegistrationsOfOverlappingNewPersonsBothSucceed) {
  // Two imports at once naming some of the same new persons: on PostgreSQL the second must
  // wait and then see the first's rows, not fail on the key (COPY cannot skip them).
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  const std::vector<std::pair<std::string, std::string>> first_file = {
      {"440524188001010014", "李四"}, {"11010519491231002X", "张三"}};
  const std::vector<std::pair<std::string, std::string>> second_file = {
      {"11010519491231002X", "张三"}, {"110105198001010032", "王五"}};
  PooledSession first(*database_);
  Transaction first_transaction(first.session(), GetParam());
  const auto first_ids = registry.ensureRegisteredMany(first.session(), first_file, "rows");
  std::vector<std::int64_t> second_ids;
  std::string second_error;
  std::thread second([&] {
    try {
      PooledSession lease(*database_);
      Transaction transaction(lease.session(), GetParam());
      second_ids = registry.ensureRegisteredMany(lease.session(), second_file, "rows");
      transaction.commit();
    } catch (const std::exception& error) {
      second_error = error.what();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the second one is waiting
  first_transaction.commit();
  second.join();
  EXPECT_EQ(second_error, "");
  ASSERT_EQ(second_ids.size(), 2u);
  EXPECT_EQ(second_ids[0], first_ids[1]);
  long long rows = 0;
  *session_ << "SELECT COUNT(*) FROM civ_persons", soci::into(rows);
  EXPECT_EQ(rows, 3);
}

TEST_P(PersonsRegistryTest, KeptStatementsOnPooledSessionsSeeOtherSessionsCommits) {
  HostStorage storage(*database_);
  SqlPersonsRegistry registry(clock_, storage);
  PooledSession reader(*database_);
  EXPECT_FALSE(registry.findByCitizenId(reader.session(), "440524188001010014"));
  std::int64_t id = 0;
  {
    PooledSession writer(*database_);
    Transaction transaction(writer.session(), GetParam());
    id = registry.ensureRegistered(writer.session(), "440524188001010014", "李四", "citizen_id").id;
    transaction.commit();
  }
  // The same kept statement, executed again on the reader's session, sees the commit.
  auto found = registry.findByCitizenId(reader.session(), "440524188001010014");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->deceased());
  {
    PooledSession writer(*database_);
    Transaction transaction(writer.session(), GetParam());
    registry.markDeceased(writer.session(), id, *sdk::Date::parse("2026-10-01"));
    transaction.commit();
  }
  EXPECT_EQ(registry.findById(reader.session(), id)->death_date->toString(), "2026-10-01");
  EXPECT_EQ(
      registry.findByCitizenId(reader.session(), "440524188001010014")->death_date->toString(),
      "2026-10-01");
  EXPECT_FALSE(registry.findById(reader.session(), id + 1000));
}

INSTANTIATE_TEST_SUITE_P(Engines, PersonsRegistryTest,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ::host
