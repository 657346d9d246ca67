// Upgrades (issue 24): `civhost migrate --dry-run` lists what would run and changes nothing.
#include <gtest/gtest.h>

#include "tests/support/civhost_process.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using testing::CivhostProcess;

const std::string kConfig = std::string(CIV_SOURCE_DIR) + "/config";

std::pair<int, std::string> migrate(const std::string& url, bool dry_run) {
  std::vector<std::string> arguments = {"migrate", "--config",     kConfig,       "--database",
                                        url,       "--plugin-dir", CIV_PLUGIN_DIR};
  if (dry_run) arguments.push_back("--dry-run");
  CivhostProcess process(arguments);
  const int code = process.waitForExit(std::chrono::seconds(60));
  return {code, process.stdoutText()};
}

TEST(Migrate, ADryRunListsEveryPendingStepAndChangesNothing) {
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  const std::string url = database.url().connection;
  auto [code, text] = migrate(url, true);
  EXPECT_EQ(code, 0) << text;
  // The host's first step and a module's, each with what it does.
  EXPECT_NE(text.find("civ 1: "), std::string::npos) << text;
  EXPECT_NE(text.find("social_assistance 5: a 特困 case's support mode is dated"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("nothing was changed"), std::string::npos) << text;
  EXPECT_FALSE(fs::exists(url)) << "a dry run created the database";

  auto [applied_code, applied] = migrate(url, false);
  ASSERT_EQ(applied_code, 0) << applied;
  auto [again_code, again] = migrate(url, true);
  EXPECT_EQ(again_code, 0);
  EXPECT_NE(again.find("0 step(s) would run; nothing was changed"), std::string::npos) << again;
}

}  // namespace
}  // namespace civ
