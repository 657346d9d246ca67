// The loader and runtime against real broken plugin binaries (tests/host/bad_plugins): each
// refusal is one log line naming the file, the expected and found values and the fix, and the
// good plugin is loaded and started regardless.
#include "host/plugins/plugin_loader.h"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/build_info.h>

#include "host/runtime/plugin_runtime.h"
#include "host/storage/host_schema.h"
#include "tests/support/test_database.h"

namespace civ::host {
namespace {

namespace fs = std::filesystem;

const std::string kDir = fs::path(CIV_TEST_PLUGIN_DIR).string();

const std::set<std::string> kEnabled = {
    "good_ping",      "bad_abi_major",        "bad_newer_minor",      "bad_id_mismatch",
    "bad_manifest",   "bad_missing_factory",  "bad_factory_v2",       "bad_abi_minor_in_library",
    "bad_build_info", "bad_undefined_symbol", "bad_throws_in_start",  "bad_unmet_requirement",
    "bad_cycle_a",    "bad_cycle_b",          "dependent_of_thrower", "dup"};

class PluginLoaderTest : public ::testing::Test {
 protected:
  PluginLoaderTest() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_);
    sink->set_pattern("%v");
    log_ = std::make_shared<spdlog::logger>("loader_test", sink);
  }

  std::vector<std::string> lines(const std::string& prefix) const {
    std::vector<std::string> out;
    std::istringstream in(log_text_.str());
    for (std::string line; std::getline(in, line);)
      if (line.starts_with(prefix)) out.push_back(line);
    return out;
  }

  bool logged(const std::string& line) const {
    const auto all = lines("");
    return std::find(all.begin(), all.end(), line) != all.end();
  }

  const PluginRecord& record(const std::vector<PluginRecord>& records, const std::string& folder) {
    for (const auto& r : records)
      if (r.manifest_file.parent_path().filename() == folder) return r;
    throw std::runtime_error("no record for " + folder);
  }

  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> log_;
};

TEST_F(PluginLoaderTest, RefusesAWrongAbiMajorFromTheManifestAlone) {
  PluginLoader(log_).load(kDir, kEnabled);
  EXPECT_TRUE(logged("plugin refused: " + kDir +
                     "/bad_abi_major/bad_abi_major.plugin.json: SDK ABI major "
                     "mismatch; expected 1, found 2; fix: rebuild the plugin against civ SDK 1.x"))
      << log_text_.str();
}

TEST_F(PluginLoaderTest, RefusesANewerSdkMinor) {
  PluginLoader(log_).load(kDir, kEnabled);
  EXPECT_TRUE(logged(
      "plugin refused: " + kDir +
      "/bad_newer_minor/bad_newer_minor.plugin.json: built with a "
      "newer SDK minor; expected SDK <= 1.8.x, found 1.9.0; fix: upgrade civhost, or rebuild "
      "the plugin against civ SDK 1.8"))
      << log_text_.str();
  EXPECT_TRUE(logged(
      "plugin refused: " + kDir +
      "/bad_abi_minor_in_library/libciv_bad_abi_minor_in_library.so: "
      "ABI version mismatch; expected 1.<=8, found 1.9; fix: upgrade civhost, or rebuild the "
      "plugin against civ SDK 1.8"))
      << log_text_.str();
}

TEST_F(PluginLoaderTest, RefusesALibraryWhoseIdDiffersFromItsManifest) {
  PluginLoader(log_).load(kDir, kEnabled);
  EXPECT_TRUE(logged(
      "plugin refused: " + kDir +
      "/bad_id_mismatch/libciv_bad_id_mismatch.so: compiled-in id "
      "differs from the manifest; expected bad_id_mismatch, found someone_else; fix: rebuild "
      "so that the library and its manifest come from one civ_add_plugin()"))
      << log_text_.str();
}

TEST_F(PluginLoaderTest, RefusesMissingOrForeignFactorySymbolsWithoutLoading) {
  PluginLoader(log_).load(kDir, kEnabled);
  EXPECT_TRUE(logged(
      "plugin refused: " + kDir +
      "/bad_missing_factory/libciv_bad_missing_factory.so: factory "
      "symbol missing; expected civ_plugin_factory_v1, found none; fix: build the plugin with "
      "civ_add_plugin() and CIV_PLUGIN(Class) against civ SDK 1.x"))
      << log_text_.str();
  EXPECT_TRUE(logged(
      "plugin refused: " + kDir +
      "/bad_factory_v2/libciv_bad_factory_v2.so: plugin was built "
      "for another civ SDK ABI; expected civ_plugin_factory_v1, found civ_plugin_factory_v2; "
      "fix: build the plugin with civ_add_plugin() and CIV_PLUGIN(Class) against civ SDK 1.x"))
      << log_text_.str();
}

TEST_F(PluginLoaderTest, RefusesABuildInfoMismatchNamingTheKey) {
  PluginLoader(log_).load(kDir, kEnabled);
  const std::string host_json = CIV_SDK_STRINGIFY(NLOHMANN_JSON_NAMESPACE);
  EXPECT_TRUE(logged("plugin refused: " + kDir +
                     "/bad_build_info/libciv_bad_build_info.so: build info "
                     "mismatch on json; expected " +
                     host_json +
                     ", found nlohmann::json_abi_v9_9_9; fix: "
                     "rebuild the plugin with the same json as civhost (" +
                     hostBuildInfo() + ")"))
      << log_text_.str();
}

TEST_F(PluginLoaderTest, RefusesABrokenManifest) {
  PluginLoader(log_).load(kDir, kEnabled);
  const auto refused =
      lines("plugin refused: " + kDir +
            "/bad_manifest/bad_manifest.plugin.json: bad manifest; "
            "expected a civ plugin manifest (manifest_version 1), found a file that is not "
            "valid JSON: ");
  ASSERT_EQ(refused.size(), 1u) << log_text_.str();
  EXPECT_TRUE(refused[0].ends_with("; fix: regenerate it with civ_add_plugin()")) << refused[0];
}

TEST_F(PluginLoaderTest, ImmediateBindingRefusesAnUndefinedSymbolAtLoad) {
  PluginLoader(log_).load(kDir, kEnabled);
  const auto refused = lines("plugin refused: " + kDir +
                             "/bad_undefined_symbol/libciv_bad_undefined_symbol.so: "
                             "dlopen failed; expected all symbols resolvable, found '");
  ASSERT_EQ(refused.size(), 1u) << log_text_.str();
  EXPECT_NE(refused[0].find("civ_test_function_that_does_not_exist"), std::string::npos)
      << refused[0];
}

TEST_F(PluginLoaderTest, RefusesUnmetAndCyclicRequirementsByName) {
  PluginLoader(log_).load(kDir, kEnabled);
  EXPECT_TRUE(logged(
      "plugin refused: " + kDir +
      "/bad_unmet_requirement/bad_unmet_requirement.plugin.json: "
      "unmet requirement; expected nonexistent [1.0,2.0), found no such plugin; fix: install "
      "and enable nonexistent for the counties that use bad_unmet_requirement"))
      << log_text_.str();
  for (const char* id : {"bad_cycle_a", "bad_cycle_b"})
    EXPECT_TRUE(logged(
        "plugin refused: " + kDir + "/" + id + "/" + id +
        ".plugin.json: cyclic requirement; "
        "expected requirements without cycles, found bad_cycle_a -> bad_cycle_b -> bad_cycle_a; "
        "fix: remove one of the requirements in the cycle"))
        << log_text_.str();
}

TEST_F(PluginLoaderTest, RefusesTheSecondPluginWithAnId) {
  const auto records = PluginLoader(log_).load(kDir, kEnabled);
  EXPECT_TRUE(logged("plugin refused: " + kDir +
                     "/dup_second/dup.plugin.json: duplicate plugin id; expected "
                     "one plugin with id dup, found another in " +
                     kDir +
                     "/dup_first/dup.plugin.json; fix: "
                     "remove one of the two"))
      << log_text_.str();
  EXPECT_EQ(record(records, "dup_first").state, PluginState::Loaded);
}

TEST_F(PluginLoaderTest, LoadsTheGoodPluginAndLeavesDisabledOnesAlone) {
  auto enabled = kEnabled;
  enabled.erase("bad_abi_major");
  const auto records = PluginLoader(log_).load(kDir, enabled);
  EXPECT_EQ(record(records, "good_ping").state, PluginState::Loaded);
  EXPECT_EQ(record(records, "bad_abi_major").state, PluginState::Disabled);
  EXPECT_TRUE(lines("plugin refused: " + kDir + "/bad_abi_major/").empty());
  // Every other broken plugin is refused with exactly one line.
  EXPECT_EQ(lines("plugin refused: ").size(), 12u) << log_text_.str();
}

TEST_F(PluginLoaderTest, AStartThatThrowsFailsThatPluginAndItsDependentsOnly) {
  testing::TestDatabase db(sdk::Dialect::Sqlite);
  auto services = std::make_unique<HostServices>(std::make_unique<Database>(db.url(), 2),
                                                 sdk::WorkingDayCalendar{});
  applyHostSchema(*services->database);
  auto records = PluginLoader(log_).load(kDir, kEnabled);
  PluginRuntime runtime(*services, log_);
  runtime.declareParameters(records);
  runtime.migrate(records);
  runtime.start(records);
  EXPECT_TRUE(logged(
      "plugin failed: " + kDir +
      "/bad_throws_in_start/bad_throws_in_start.plugin.json: start() "
      "threw; found 'cannot reach the archive service'; fix: fix the plugin, or remove it from "
      "the counties' modules"))
      << log_text_.str();
  EXPECT_TRUE(
      logged("plugin failed: " + kDir +
             "/dependent_of_thrower/dependent_of_thrower.plugin.json: "
             "requirement bad_throws_in_start failed; found bad_throws_in_start failed; fix: fix "
             "bad_throws_in_start first"))
      << log_text_.str();
  EXPECT_EQ(record(records, "good_ping").state, PluginState::Started);
  EXPECT_EQ(record(records, "bad_throws_in_start").state, PluginState::Failed);
  EXPECT_EQ(record(records, "dependent_of_thrower").state, PluginState::Failed);
  // The thrower registered a route before throwing; it must be gone, the good one served.
  EXPECT_EQ(services->routes.match("bad_throws_in_start", sdk::Method::Get, "/ping").status,
            RouteMatch::Status::NoSuchPath);
  EXPECT_EQ(services->routes.match("good_ping", sdk::Method::Get, "/ping").status,
            RouteMatch::Status::Found);
  runtime.stop(records);
  EXPECT_EQ(services->routes.match("good_ping", sdk::Method::Get, "/ping").status,
            RouteMatch::Status::NoSuchPath);
}

}  // namespace
}  // namespace civ::host
