// Backups that restore (issue 24): `civhost backup` taken while a client's writes stream in,
// `civhost restore` into a new database, and every write acknowledged before the backup began is
// there, with an audit chain that verifies. Both engines.
#include <atomic>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "host/storage/database.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using testing::CivhostProcess;
using testing::httpRequest;

const std::string kNotes = "/api/v1/counties/610902/example/notes";
const std::string kConfig = std::string(CIV_SOURCE_DIR) + "/config";

/// Runs a civhost command to its end: exit code and both outputs.
struct CommandResult {
  int code;
  std::string out, err;
};
CommandResult civhostCommand(const std::vector<std::string>& arguments) {
  CivhostProcess process(arguments);
  const int code = process.waitForExit(std::chrono::seconds(120));
  return {code, process.stdoutText(), process.stderrText()};
}

/// The ids of the notes a client has seen acknowledged (201), in order.
class Ledger {
 public:
  void acknowledge(std::int64_t id) {
    std::lock_guard lock(mutex_);
    ids_.push_back(id);
  }
  std::vector<std::int64_t> snapshot() const {
    std::lock_guard lock(mutex_);
    return ids_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::int64_t> ids_;
};

class BackupRestore : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(BackupRestore, ABackupTakenUnderWritesRestoresEveryWriteAcknowledgedBeforeIt) {
  testing::TestDatabase source(GetParam());
  testing::TestDatabase restored(GetParam());
  const auto directory = testing::makeTempDirectory("civ-backup");
  const bool sqlite = GetParam() == sdk::Dialect::Sqlite;
  const std::string backup = (directory / (sqlite ? "civ.sqlite" : "civ.dump")).string();
  const std::string url = source.url().connection;
  const std::string clerk = testing::issueToken(url, "wang", "clerk", "610902");

  CivhostProcess civhost({"serve", "--config", kConfig, "--database", url, "--plugin-dir",
                          CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  Ledger ledger;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int i = 0; writing; ++i) {
      const std::string note = R"({"citizen_id":"11010519491231002X","name":"张三","text":"第)" +
                               std::to_string(i) + R"(次入户"})";
      auto answer = httpRequest(civhost.port(), "POST", kNotes, note, clerk);
      if (answer.status == 201)
        ledger.acknowledge(answer.json()["id"].get<std::int64_t>());
      else
        ++failures;
    }
  });
  while (ledger.snapshot().size() < 40) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  // Everything acknowledged up to here must be in the backup; writes go on while it runs.
  const auto before = ledger.snapshot();
  auto backed_up =
      civhostCommand({"backup", "--config", kConfig, "--database", url, "--to", backup});
  const auto during = ledger.snapshot().size() - before.size();
  while (ledger.snapshot().size() < before.size() + during + 20)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  writing = false;
  writer.join();
  ASSERT_EQ(backed_up.code, 0) << backed_up.err;
  EXPECT_NE(backed_up.out.find("backup written: " + backup), std::string::npos) << backed_up.out;
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(fs::status(backup).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_FALSE(fs::exists(backup + ".partial"));

  // A backup never overwrites one; a restore over a database in use needs --replace.
  auto again = civhostCommand({"backup", "--config", kConfig, "--database", url, "--to", backup});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("never overwrites"), std::string::npos) << again.err;
  if (sqlite) {
    auto over =
        civhostCommand({"restore", "--config", kConfig, "--database", url, "--from", backup});
    EXPECT_EQ(over.code, 1);
    EXPECT_NE(over.err.find("--replace"), std::string::npos) << over.err;
  }
  civhost.stop();

  const std::string restored_url = restored.url().connection;
  auto restore = civhostCommand(
      {"restore", "--config", kConfig, "--database", restored_url, "--from", backup});
  ASSERT_EQ(restore.code, 0) << restore.err;
  EXPECT_NE(restore.out.find("audit trail intact"), std::string::npos) << restore.out;
  auto verified =
      civhostCommand({"audit", "verify", "--config", kConfig, "--database", restored_url});
  EXPECT_EQ(verified.code, 0) << verified.out << verified.err;

  std::set<std::int64_t> present;
  {
    host::Database database(restored.url(), 1);
    host::PooledSession lease(database);
    soci::rowset<long long> ids = (lease.session().prepare << "SELECT id FROM example_notes");
    for (const auto id : ids) present.insert(id);
  }
  for (const auto id : before) EXPECT_TRUE(present.contains(id)) << "note " << id << " lost";
  // Nothing the client was not told about: every restored note was acknowledged.
  const auto all = ledger.snapshot();
  const std::set<std::int64_t> acknowledged(all.begin(), all.end());
  for (const auto id : present) EXPECT_TRUE(acknowledged.contains(id)) << "note " << id;
  EXPECT_GE(present.size(), before.size());
  fs::remove_all(directory);
}

TEST_P(BackupRestore, ARestoreFromADamagedFileIsRefusedAndChangesNothing) {
  testing::TestDatabase restored(GetParam());
  const auto directory = testing::makeTempDirectory("civ-backup");
  const std::string damaged = (directory / "damaged.sqlite").string();
  std::ofstream(damaged) << "not a backup";
  auto restore = civhostCommand(
      {"restore", "--config", kConfig, "--database", restored.url().connection, "--from", damaged});
  EXPECT_EQ(restore.code, 1);
  EXPECT_NE(restore.err.find("civhost restore: "), std::string::npos) << restore.err;
  if (GetParam() == sdk::Dialect::Sqlite) EXPECT_FALSE(fs::exists(restored.url().connection));
  auto missing = civhostCommand({"restore", "--config", kConfig, "--database",
                                 restored.url().connection, "--from", damaged + ".none"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("does not exist"), std::string::npos) << missing.err;
  fs::remove_all(directory);
}

INSTANTIATE_TEST_SUITE_P(Engines, BackupRestore,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
