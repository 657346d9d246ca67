// The audit chain in SHA-256 or SM3 (国密), recorded per row: a chain that changes algorithm at a
// row still verifies, and a changed row is found whichever algorithm hashed it. Both engines.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/audit/audit_log.h"
#include "host/common/sm3.h"
#include "host/storage/database.h"
#include "host/storage/host_schema.h"
#include "host/storage/host_storage.h"
#include "tests/support/test_database.h"

namespace civ::host {
namespace {

TEST(Sm3, MatchesTheStandardsExample) {
  // GB/T 32905-2016, appendix A.1: SM3("abc").
  EXPECT_EQ(sm3Hex("abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  EXPECT_THROW(AuditLog::setHashAlgorithm("md5"), std::invalid_argument);
}

class AuditChain : public ::testing::TestWithParam<sdk::Dialect> {
 protected:
  void TearDown() override { AuditLog::setHashAlgorithm("sha256"); }
};

AuditEntry row(const std::string& action) {
  AuditEntry entry;
  entry.at = "2026-12-02T10:00:00+08:00";
  entry.user = "zhao";
  entry.role = "approver";
  entry.county = "610902";
  entry.module = "social_assistance";
  entry.action = action;
  entry.entity_type = "case";
  entry.entity_id = "7";
  entry.summary = R"({"status":{"old":"reviewed","new":"approved"}})";
  return entry;
}

TEST_P(AuditChain, AChainThatMovesToSm3AtARowStillVerifiesAndAChangedRowIsFound) {
  testing::TestDatabase test_db(GetParam());
  Database database(test_db.url(), 1);
  applyHostSchema(database);
  soci::session db(database.pool());
  AuditLog::setHashAlgorithm("sha256");
  const auto first = AuditLog::append(db, GetParam(), row("case.approve"));
  AuditLog::append(db, GetParam(), row("case.pay"));
  AuditLog::setHashAlgorithm("sm3");
  const auto third = AuditLog::append(db, GetParam(), row("case.suspend"));
  AuditLog::append(db, GetParam(), row("case.resume"));
  EXPECT_EQ(first.hash_algorithm, "sha256");
  EXPECT_EQ(third.hash_algorithm, "sm3");
  EXPECT_NE(third.hash, [&] {
    AuditEntry as_sha = third;
    as_sha.hash_algorithm = "sha256";
    return AuditLog::hashOf(as_sha);
  }());

  auto verified = AuditLog::verify(db);
  EXPECT_FALSE(verified.first_bad_id.has_value()) << verified.problem;
  EXPECT_EQ(verified.rows, 4);
  EXPECT_EQ(verified.head_algorithm, "sm3");
  EXPECT_EQ(verified.head_hash.size(), 64u);

  // Relabelling an SM3 row as SHA-256 (or editing it) breaks the chain at that row.
  db << "UPDATE civ_audit SET hash_algorithm = 'sha256' WHERE id = 3";
  verified = AuditLog::verify(db);
  ASSERT_TRUE(verified.first_bad_id.has_value());
  EXPECT_EQ(*verified.first_bad_id, 3);
  db << "UPDATE civ_audit SET hash_algorithm = 'sm3', summary = '{}' WHERE id = 3";
  verified = AuditLog::verify(db);
  ASSERT_TRUE(verified.first_bad_id.has_value());
  EXPECT_EQ(*verified.first_bad_id, 3);
}

TEST_P(AuditChain, RowsAppendedTogetherContinueTheChainInOrderAsRowsAppendedOneByOne) {
  testing::TestDatabase test_db(GetParam());
  Database database(test_db.url(), 1);
  applyHostSchema(database);
  soci::session db(database.pool());
  AuditLog::append(db, GetParam(), row("case.approve"));
  std::vector<AuditEntry> batch;
  for (int i = 0; i < 250; ++i) {
    auto entry = row("case.review");
    entry.entity_id = std::to_string(100 + i);
    entry.summary = R"({"note":"审核 )" + std::to_string(i) + R"( 'quoted' \t tab"})";
    batch.push_back(entry);
  }
  AuditLog::appendAll(db, GetParam(), batch);
  AuditLog::appendAll(db, GetParam(), {});  // nothing: no row, no error
  const auto last = AuditLog::append(db, GetParam(), row("case.pay"));
  EXPECT_EQ(last.id, 252);

  const auto verified = AuditLog::verify(db);
  EXPECT_FALSE(verified.first_bad_id.has_value()) << verified.problem;
  EXPECT_EQ(verified.rows, 252);
  EXPECT_EQ(verified.head_hash, last.hash);
  // The batch kept its order and its text exactly (COPY on PostgreSQL escapes it).
  std::string entity, summary;
  db << "SELECT entity_id, summary FROM civ_audit WHERE id = 101", soci::into(entity),
      soci::into(summary);
  EXPECT_EQ(entity, "199");
  EXPECT_EQ(summary, batch[99].summary);
}

// The host's kept statements (requests and event deliveries) chain as the parsed ones do: from
// an empty chain, after rows another session wrote (the kept head read sees them), and again on
// the same session with the statements prepared once.
TEST_P(AuditChain, RowsAppendedThroughKeptStatementsContinueTheChainOthersWrite) {
  testing::TestDatabase test_db(GetParam());
  Database database(test_db.url(), 2);
  applyHostSchema(database);
  HostStorage storage(database);
  AuditStatements kept(storage);
  PooledSession lease(database);
  soci::session& db = lease.session();
  AuditLog::appendAll(db, kept, {row("case.approve")});
  {
    PooledSession other(database);
    AuditLog::append(other.session(), GetParam(), row("case.review"));
    AuditLog::appendAll(other.session(), GetParam(), {row("case.review"), row("case.review")});
  }
  AuditLog::appendAll(db, kept, {row("case.pay")});
  AuditLog::appendAll(db, kept, {row("case.pay"), row("case.pay")});  // two rows: bulk writer
  AuditLog::appendAll(db, kept, {row("case.terminate")});
  const auto verified = AuditLog::verify(db);
  EXPECT_FALSE(verified.first_bad_id.has_value()) << verified.problem;
  EXPECT_EQ(verified.rows, 8);
  std::vector<std::string> actions;
  soci::rowset<soci::row> rows = (db.prepare << "SELECT id, action FROM civ_audit ORDER BY id");
  std::int64_t expected_id = 1;
  for (const auto& r : rows) {
    EXPECT_EQ(sdk::sql::int64At(r, 0), expected_id);
    actions.push_back(sdk::sql::textAt(r, 1));
    ++expected_id;
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"case.approve", "case.review", "case.review", "case.review",
                                      "case.pay", "case.pay", "case.pay", "case.terminate"}));
}

// A host writes one row on its guess of the chain's head (the last row it wrote) in one
// statement. A wrong guess writes nothing and the row is chained after the real head: another
// host wrote since, or the guessed row was rolled back, even when a row of the same id has taken
// its place (the hash tells them apart).
TEST_P(AuditChain, ARowWrittenOnAWrongGuessOfTheHeadIsChainedAfterTheRealHeadAfterAll) {
  testing::TestDatabase test_db(GetParam());
  Database database(test_db.url(), 2);
  applyHostSchema(database);
  HostStorage storage(database);
  AuditStatements host_a(storage), host_b(storage);  // two hosts on one database
  PooledSession lease(database);
  soci::session& db = lease.session();
  AuditLog::appendAll(db, host_a, {row("case.approve")});  // no guess yet: the head is read
  AuditLog::appendAll(db, host_a, {row("case.review")});   // guessed right
  EXPECT_EQ(host_a.wrong_guesses, 0u);
  AuditLog::appendAll(db, host_b, {row("case.pay")});  // b's first: the head is read
  AuditLog::appendAll(db, host_a, {row("case.pay")});  // a guesses its own row 2: wrong
  EXPECT_EQ(host_a.wrong_guesses, 1u);
  db << "BEGIN";
  AuditLog::appendAll(db, host_b, {row("case.suspend")});  // b guesses row 3: wrong; row 5
  db << "ROLLBACK";
  AuditLog::appendAll(db, host_a, {row("case.resume")});  // a guesses row 4: right; row 5
  EXPECT_EQ(host_a.wrong_guesses, 1u);
  // b guesses its rolled-back row 5; the head is a's row 5.
  AuditLog::appendAll(db, host_b, {row("case.terminate")});
  EXPECT_EQ(host_b.wrong_guesses, 2u);
  AuditLog::appendAll(db, host_b, {row("case.close")});  // guessed right
  EXPECT_EQ(host_b.wrong_guesses, 2u);

  const auto verified = AuditLog::verify(db);
  EXPECT_FALSE(verified.first_bad_id.has_value()) << verified.problem;
  EXPECT_EQ(verified.rows, 7);
  std::vector<std::string> actions;
  soci::rowset<soci::row> rows = (db.prepare << "SELECT id, action FROM civ_audit ORDER BY id");
  std::int64_t expected_id = 1;
  for (const auto& r : rows) {
    EXPECT_EQ(sdk::sql::int64At(r, 0), expected_id++);
    actions.push_back(sdk::sql::textAt(r, 1));
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"case.approve", "case.review", "case.pay", "case.pay",
                                      "case.resume", "case.terminate", "case.close"}));
}

// A guess of a head that was rolled back with the whole chain: the row is the chain's first.
TEST_P(AuditChain, ARowGuessedOnARolledBackFirstRowStartsTheChainAfresh) {
  testing::TestDatabase test_db(GetParam());
  Database database(test_db.url(), 1);
  applyHostSchema(database);
  HostStorage storage(database);
  AuditStatements kept(storage);
  PooledSession lease(database);
  soci::session& db = lease.session();
  db << "BEGIN";
  AuditLog::appendAll(db, kept, {row("case.approve")});
  db << "ROLLBACK";
  AuditLog::appendAll(db, kept, {row("case.pay")});
  EXPECT_EQ(kept.wrong_guesses, 1u);
  std::int64_t id = 0;
  std::string prev_hash, action;
  db << "SELECT id, prev_hash, action FROM civ_audit", soci::into(id), soci::into(prev_hash),
      soci::into(action);
  EXPECT_EQ(id, 1);
  EXPECT_EQ(prev_hash, "genesis");
  EXPECT_EQ(action, "case.pay");
  const auto verified = AuditLog::verify(db);
  EXPECT_FALSE(verified.first_bad_id.has_value()) << verified.problem;
  EXPECT_EQ(verified.rows, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditChain,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ::host
