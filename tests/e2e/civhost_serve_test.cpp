// civhost as operators run it: a real process on a free port, talked to over HTTP.
#include <fstream>
#include <regex>

#include <gtest/gtest.h>

#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CivhostProcess;
using testing::httpRequest;

const std::string kNote = R"({"citizen_id":"11010519491231002X","name":"张三","text":"入户调查"})";
const std::string kNotes = "/api/v1/counties/610902/example/notes";

/// A copy of the demo configuration that a test may change.
class ConfigCopy {
 public:
  ConfigCopy() : root_(testing::makeTempDirectory("civ-e2e-config")) {
    fs::copy(fs::path(CIV_SOURCE_DIR) / "config", root_ / "config", fs::copy_options::recursive);
  }
  ~ConfigCopy() { fs::remove_all(root_); }
  fs::path dir() const { return root_ / "config"; }
  fs::path root() const { return root_; }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((dir() / relative).parent_path());
    std::ofstream(dir() / relative) << text;
  }

 private:
  fs::path root_;
};

std::vector<std::string> serveArguments(const ConfigCopy& config, const std::string& database,
                                        const std::string& plugin_dir = CIV_PLUGIN_DIR) {
  return {"serve",    "--config", config.dir().string(), "--database", database, "--plugin-dir",
          plugin_dir, "--listen", "127.0.0.1:0"};
}

class CivhostServe : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(CivhostServe, ServesTheDemoCountiesAndAnswersTheExampleModule) {
  testing::TestDatabase database(GetParam());
  ConfigCopy config;
  const std::string clerk =
      testing::issueToken(database.url().connection, "clerk1", "clerk", "610902,350502");
  CivhostProcess civhost(serveArguments(config, database.url().connection));
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  EXPECT_EQ(httpRequest(civhost.port(), "GET", "/healthz").status, 200);
  auto created = httpRequest(civhost.port(), "POST", kNotes, kNote, clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string location = created.headers["Location"];
  auto read = httpRequest(civhost.port(), "GET", location, "", clerk);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.json()["text"], "入户调查");
  auto other_county = httpRequest(
      civhost.port(), "GET", "/api/v1/counties/350502/example" + location.substr(kNotes.size() - 6),
      "", clerk);
  EXPECT_EQ(other_county.status, 404);
  EXPECT_EQ(other_county.content_type, "application/problem+json");
  EXPECT_EQ(civhost.stop(), 0);
  const std::string log = civhost.stderrText();
  EXPECT_TRUE(std::regex_search(
      log, std::regex(R"(\[http\] POST /api/v1/counties/610902/example/notes 201 [0-9.]+ ms)")))
      << log;
  EXPECT_NE(log.find("110105********002X"), std::string::npos) << log;
  EXPECT_EQ(log.find("11010519491231002X"), std::string::npos)
      << "a citizen ID reached the log unmasked";
}

TEST_P(CivhostServe, ACommittedWriteSurvivesKillNine) {
  testing::TestDatabase database(GetParam());
  ConfigCopy config;
  std::string location;
  const std::string clerk =
      testing::issueToken(database.url().connection, "clerk1", "clerk", "610902");
  {
    CivhostProcess civhost(serveArguments(config, database.url().connection));
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    auto created = httpRequest(civhost.port(), "POST", kNotes, kNote, clerk);
    ASSERT_EQ(created.status, 201);
    location = created.headers["Location"];
    civhost.killHard();
  }
  CivhostProcess restarted(serveArguments(config, database.url().connection));
  ASSERT_TRUE(restarted.waitUntilListening()) << restarted.stderrText();
  auto read = httpRequest(restarted.port(), "GET", location, "", clerk);
  EXPECT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json()["person"]["name"], "张三");
}

// A SQLite county's civhost never maps libpq and the libraries it brings (Kerberos, LDAP,
// GnuTLS: a third of civhost's start on this machine); a PostgreSQL one loads them with the
// driver module when it opens its first session (host/storage/postgresql_driver.h).
TEST_P(CivhostServe, MapsLibpqOnlyForAPostgresqlDatabase) {
  testing::TestDatabase database(GetParam());
  ConfigCopy config;
  CivhostProcess civhost(serveArguments(config, database.url().connection));
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  std::ifstream maps("/proc/" + std::to_string(civhost.pid()) + "/maps");
  const std::string mapped((std::istreambuf_iterator<char>(maps)), {});
  ASSERT_NE(mapped.find("libciv_sdk"), std::string::npos) << "maps not readable";
  const bool postgresql = GetParam() == sdk::Dialect::Postgresql;
  EXPECT_EQ(mapped.find("/libpq.so") != std::string::npos, postgresql);
  EXPECT_EQ(mapped.find("/libciv_postgresql.so") != std::string::npos, postgresql);
  EXPECT_EQ(httpRequest(civhost.port(), "GET", "/healthz").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, CivhostServe,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

TEST(CivhostServe, ASecondCivhostOnATakenPortRefusesToStart) {
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  ConfigCopy config;
  CivhostProcess first(serveArguments(config, database.url().connection));
  ASSERT_TRUE(first.waitUntilListening()) << first.stderrText();
  auto arguments = serveArguments(config, database.url().connection);
  arguments.back() = "127.0.0.1:" + std::to_string(first.port());
  CivhostProcess second(arguments);
  EXPECT_EQ(second.waitForExit(), 1);
  EXPECT_NE(second.stderrText().find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << second.stderrText();
  EXPECT_EQ(httpRequest(first.port(), "GET", "/healthz").status, 200);
}

// The same refusals as the fake Context gives a plugin's unit test
// (plugins/example/tests/example_plugin_test.cpp, RefusesOutOfCountyModuleAndRoleExactlyAsCivhost):
// both run host/routing/request_pipeline.
TEST(CivhostServe, RefusesOutOfScopeCallersAsTheFakeContextDoes) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite);
  const auto refusal = [&](const std::string& method, const std::string& target,
                           const std::string& body, const std::string& token) {
    const auto reply = testing::httpRequest(served.port(), method, target, body, token);
    const auto problem = reply.json();
    std::string type = problem.value("type", "");
    type = type.substr(type.rfind(':') + 1);
    return std::to_string(reply.status) + " " + type + ": " + problem.value("detail", "");
  };
  const std::string note = R"({"citizen_id":"11010519491231002X","name":"张三","text":"x"})";
  EXPECT_EQ(refusal("POST", "/api/v1/counties/350502/example/notes", note,
                    served.token("wang", "clerk", "610902")),
            "403 out-of-scope: the token of wang covers counties 610902, not 350502");
  EXPECT_EQ(refusal("GET", "/api/v1/counties/610902/example/notes", "",
                    served.token("wang", "clerk", "610902", "marriage")),
            "403 out-of-scope: the token of wang covers modules marriage, not example");
  const auto clerk = served.token("wang", "clerk", "610902");
  EXPECT_EQ(refusal("POST", "/api/v1/counties/610902/example/notes", note,
                    served.token("wang", "auditor", "610902")),
            "403 forbidden: role auditor may not edit here");
  EXPECT_EQ(refusal("DELETE", "/api/v1/counties/610902/example/notes", "", clerk),
            "405 method-not-allowed: DELETE is not allowed on /notes; allowed: POST, GET");
  EXPECT_EQ(refusal("GET", "/api/v1/counties/610902/example/notes?after_id=3", "", clerk),
            "400 validation-error: after_id: this route has no query parameter 'after_id'; it "
            "takes: limit, sort, cursor, person_id, unconfirmed");
}

TEST(CivhostServe, ABodyOverTheLimitIs413AndTheConnectionIsClosed) {
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  ConfigCopy config;
  const std::string clerk =
      testing::issueToken(database.url().connection, "clerk1", "clerk", "610902");
  CivhostProcess civhost(serveArguments(config, database.url().connection));
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  const std::string huge = "{\"text\":\"" + std::string(2 * 1024 * 1024, 'a') + "\"}";
  auto reply = httpRequest(civhost.port(), "POST", kNotes, huge, clerk);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.content_type, "application/problem+json");
  EXPECT_EQ(httpRequest(civhost.port(), "GET", "/healthz").status, 200);
}

/// A plugin directory with every broken test plugin beside the example module.
fs::path mixedPluginDirectory(const fs::path& root) {
  const fs::path dir = root / "plugins";
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(CIV_TEST_PLUGIN_DIR))
    fs::copy(entry.path(), dir / entry.path().filename(), fs::copy_options::recursive);
  fs::copy(fs::path(CIV_PLUGIN_DIR) / "example", dir / "example", fs::copy_options::recursive);
  return dir;
}

const char* kAllPluginsCounty =
    "code: \"610902\"\nname: {zh: 汉滨区}\nmodules: [example, good_ping, bad_abi_major, "
    "bad_newer_minor, "
    "bad_id_mismatch, bad_manifest, bad_missing_factory, bad_factory_v2, bad_abi_minor_in_library, "
    "bad_build_info, "
    "bad_undefined_symbol, bad_throws_in_start, bad_unmet_requirement, bad_cycle_a, bad_cycle_b, "
    "dup]\n";

TEST(CivhostServe, BrokenPluginsAreRefusedWhileTheGoodOnesServe) {
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  ConfigCopy config;
  config.write("counties/610902.yaml", kAllPluginsCounty);
  const fs::path plugins = mixedPluginDirectory(config.root());
  const std::string clerk =
      testing::issueToken(database.url().connection, "clerk1", "clerk", "610902");
  CivhostProcess civhost(serveArguments(config, database.url().connection, plugins.string()));
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  EXPECT_EQ(httpRequest(civhost.port(), "GET", "/api/v1/counties/610902/good_ping/ping", "", clerk)
                .json()["plugin"],
            "good_ping");
  EXPECT_EQ(httpRequest(civhost.port(), "POST", kNotes, kNote, clerk).status, 201);
  auto refused = httpRequest(civhost.port(), "GET",
                             "/api/v1/counties/610902/bad_throws_in_start/ping", "", clerk);
  EXPECT_EQ(refused.status, 503);
  EXPECT_NE(refused.json()["detail"].get<std::string>().find("failed"), std::string::npos);
  const std::string log = civhost.stderrText();
  EXPECT_NE(
      log.find("plugin refused: " + (plugins / "bad_abi_major/bad_abi_major.plugin.json").string() +
               ": SDK ABI major mismatch; expected 1, found 2; fix: rebuild the plugin against civ "
               "SDK 1.x"),
      std::string::npos)
      << log;
  EXPECT_NE(log.find("plugin failed: " +
                     (plugins / "bad_throws_in_start/bad_throws_in_start.plugin.json").string() +
                     ": start() threw"),
            std::string::npos)
      << log;
  EXPECT_EQ(civhost.stop(), 0);
}

TEST(CivhostPlugins, ListsEveryPluginWithStateAndReasonAsJson) {
  ConfigCopy config;
  config.write("counties/610902.yaml", kAllPluginsCounty);
  const fs::path plugins = mixedPluginDirectory(config.root());
  CivhostProcess civhost(
      {"plugins", "--json", "--config", config.dir().string(), "--plugin-dir", plugins.string()});
  // Enabled modules are refused, so the listing exits 1 (and still lists everything).
  ASSERT_EQ(civhost.waitForExit(), 1) << civhost.stderrText();
  const auto listing = json::parse(civhost.stdoutText());
  std::map<std::string, std::string> states;
  for (const auto& plugin : listing["plugins"]) {
    const std::string folder =
        fs::path(plugin["manifest"].get<std::string>()).parent_path().filename().string();
    states[folder] = plugin["state"];
    if (folder == "bad_newer_minor") {
      EXPECT_NE(plugin["reason"].get<std::string>().find("found 1.9.0"), std::string::npos);
    }
  }
  EXPECT_EQ(states["example"], "loaded");
  EXPECT_EQ(states["good_ping"], "loaded");
  EXPECT_EQ(states["bad_abi_major"], "refused");
  EXPECT_EQ(states["bad_cycle_a"], "refused");
  EXPECT_EQ(states["dependent_of_thrower"], "disabled");
  EXPECT_EQ(states.size(), 23u);
}

TEST(CivhostServe, ExitsWhenAModuleACountyRequiresFailsToStart) {
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  ConfigCopy config;
  config.write("counties/610902.yaml",
               "code: \"610902\"\nname: {zh: 汉滨区}\nmodules: [example, bad_throws_in_start]\n"
               "required_modules: [bad_throws_in_start]\n");
  const fs::path plugins = mixedPluginDirectory(config.root());
  CivhostProcess civhost(serveArguments(config, database.url().connection, plugins.string()));
  EXPECT_EQ(civhost.waitForExit(), 1);
  EXPECT_NE(civhost.stderrText().find(
                "county 610902 requires module bad_throws_in_start, which is failed"),
            std::string::npos)
      << civhost.stderrText();
}

TEST(CivhostCheckConfig, NamesFileKeyAndReasonOfABadPolicyValue) {
  ConfigCopy config;
  config.write("policy/6109.yaml",
               "values:\n  example.max_note_length:\n    - {effective_from: 2026-01-01, value: 5}\n"
               "  example.no_such_key:\n    - {effective_from: 2026-01-01, value: 5}\n");
  CivhostProcess check(
      {"check-config", "--config", config.dir().string(), "--plugin-dir", CIV_PLUGIN_DIR});
  EXPECT_EQ(check.waitForExit(), 2);
  const std::string file = (config.dir() / "policy/6109.yaml").string();
  const std::string errors = check.stderrText();
  EXPECT_NE(errors.find("config error: " + file +
                        ": values.example.max_note_length[0].value: 5 is below the minimum 10"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("config error: " + file +
                        ": values.example.no_such_key[0].value: plugin example declares "
                        "no parameter 'no_such_key'; declared: example.max_note_length"),
            std::string::npos)
      << errors;
}

TEST(CivhostCheckConfig, TheDemoConfigurationIsValid) {
  CivhostProcess check({"check-config", "--config", (fs::path(CIV_SOURCE_DIR) / "config").string(),
                        "--plugin-dir", CIV_PLUGIN_DIR});
  EXPECT_EQ(check.waitForExit(), 0) << check.stderrText();
  EXPECT_NE(check.stdoutText().find("configuration OK: 2 counties"), std::string::npos);
}

TEST(CivhostMigrate, AppliesOnceThenIsANoOp) {
  testing::TestDatabase database(sdk::Dialect::Sqlite);
  ConfigCopy config;
  const std::vector<std::string> arguments = {
      "migrate",      "--config",    config.dir().string(), "--database", database.url().connection,
      "--plugin-dir", CIV_PLUGIN_DIR};
  CivhostProcess first(arguments);
  EXPECT_EQ(first.waitForExit(), 0) << first.stderrText();
  EXPECT_NE(first.stderrText().find("plugin example: applied 4 migration(s), schema version 4"),
            std::string::npos);
  CivhostProcess second(arguments);
  EXPECT_EQ(second.waitForExit(), 0);
  EXPECT_EQ(second.stderrText().find("applied"), std::string::npos) << second.stderrText();
}

TEST(CivhostCli, EveryCommandHasHelpAndUnknownOptionsAreRefused) {
  for (const char* command : {"serve", "migrate", "check-config", "plugins", "token", "audit"}) {
    CivhostProcess help({command, "--help"});
    EXPECT_EQ(help.waitForExit(), 0);
    EXPECT_NE(help.stdoutText().find(std::string("usage: civhost ") + command), std::string::npos);
  }
  CivhostProcess bad({"serve", "--colour"});
  EXPECT_EQ(bad.waitForExit(), 2);
  EXPECT_NE(bad.stderrText().find("unknown option '--colour'"), std::string::npos);
}

}  // namespace
}  // namespace civ
