#include "host/config/host_config.h"

#include <fstream>

#include <gtest/gtest.h>

#include <civ/sdk/testing/published_calendars.h>

#include "tests/support/test_database.h"

namespace civ::host {
namespace {

namespace fs = std::filesystem;

class ConfigDirectory {
 public:
  ConfigDirectory() : root_(testing::makeTempDirectory("civ-config")) {
    write("host.yaml", "listen: 127.0.0.1:8080\ndatabase: var/civ.db\n");
    write("counties/610902.yaml",
          "code: \"610902\"\nname: {zh: 汉滨区, en: Hanbin}\nmodules: [example]\n");
  }
  ~ConfigDirectory() { fs::remove_all(root_); }
  void write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

std::vector<std::string> described(const Config& config) {
  std::vector<std::string> lines;
  for (const auto& problem : config.problems) lines.push_back(problem.describe());
  return lines;
}

TEST(HostConfig, TheShippedDemoConfigurationLoadsWithoutProblems) {
  const Config config = loadConfig(fs::path(CIV_SOURCE_DIR) / "config");
  EXPECT_TRUE(config.problems.empty()) << ::testing::PrintToString(described(config));
  ASSERT_EQ(config.counties.size(), 2u);
  EXPECT_NE(config.county("610902"), nullptr);
  EXPECT_EQ(config.county("350502")->name.zh, "鲤城区");
  EXPECT_TRUE(config.calendar.hasYear(2025));
  EXPECT_TRUE(config.calendar.hasYear(2026));
  EXPECT_FALSE(config.calendar.isWorkingDay(*sdk::Date::parse("2026-02-16")));  // 春节
  EXPECT_TRUE(config.calendar.isWorkingDay(*sdk::Date::parse("2026-02-28")));   // make-up Saturday
}

TEST(HostConfig, TheShippedCalendarFilesMatchTheSdksTestCalendar) {
  // Two copies of the State Council schedules exist (config/calendar for civhost, the SDK's
  // publishedCalendar() for plugin tests); they must agree on every day.
  const Config config = loadConfig(fs::path(CIV_SOURCE_DIR) / "config");
  const auto published = sdk::testing::publishedCalendar();
  for (sdk::Date day = *sdk::Date::parse("2025-01-01"); day <= *sdk::Date::parse("2026-12-31");
       day = day.addDays(1))
    EXPECT_EQ(config.calendar.isWorkingDay(day), published.isWorkingDay(day)) << day.toString();
}

TEST(HostConfig, ACountyFileNamesItsCodeAndModules) {
  ConfigDirectory dir;
  dir.write("counties/610903.yaml", "code: \"610900\"\nname: {zh: 某区}\nmodules: [example]\n");
  const Config config = loadConfig(dir.root());
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].file, (dir.root() / "counties/610903.yaml").string());
  EXPECT_EQ(config.problems[0].key, "code");
  EXPECT_NE(config.problems[0].reason.find("six-digit GB/T 2260 county code"), std::string::npos);
}

TEST(HostConfig, AFileNamedAfterAnotherCodeIsAProblem) {
  ConfigDirectory dir;
  dir.write("counties/610903.yaml", "code: \"610902\"\nname: {zh: 某区}\nmodules: []\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("name the file after the code"), std::string::npos) << lines[0];
}

TEST(HostConfig, BrokenYamlIsReportedWithItsLine) {
  ConfigDirectory dir;
  dir.write("policy/61.yaml", "values:\n  example.max_note_length:\n    - effective_from: [2025\n");
  const Config config = loadConfig(dir.root());
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].file, (dir.root() / "policy/61.yaml").string());
  EXPECT_NE(config.problems[0].reason.find("not valid YAML at line"), std::string::npos);
}

TEST(HostConfig, PolicyValuesNeedARealEffectiveDate) {
  ConfigDirectory dir;
  dir.write("policy/6109.yaml",
            "values:\n  example.max_note_length:\n    - {effective_from: 2026-02-30, value: 10}\n"
            "    - {effective_from: 2026-03-01, value: 20}\n");
  const Config config = loadConfig(dir.root());
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].key, "values.example.max_note_length[0].effective_from");
  ASSERT_EQ(config.policy_values.size(), 1u);
  EXPECT_EQ(config.policy_values[0].level, "6109");
  EXPECT_EQ(config.policy_values[0].value, "20");
}

TEST(HostConfig, APolicyFileMustBeNamedAfterARegionPrefix) {
  ConfigDirectory dir;
  dir.write("policy/shaanxi.yaml", "values: {}\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("GB/T 2260 prefix"), std::string::npos);
}

TEST(HostConfig, UnknownSettingsAndBadListenAddressesAreProblems) {
  ConfigDirectory dir;
  dir.write("host.yaml", "listen: localhost\nlisten_port: 80\nhttp: {max_threads: 1}\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 3u) << ::testing::PrintToString(lines);
  EXPECT_NE(lines[0].find("listen_port: unknown setting"), std::string::npos);
  EXPECT_NE(lines[1].find("listen: must be HOST:PORT"), std::string::npos);
  EXPECT_NE(lines[2].find("http.max_threads: must be between 2 and 4096"), std::string::npos);
}

TEST(HostConfig, CalendarDatesMustLieInTheFilesYear) {
  ConfigDirectory dir;
  dir.write("calendar/2027.yaml",
            "holidays:\n  - {name: 元旦, from: 2026-12-31, to: 2027-01-01}\n");
  const auto lines = described(loadConfig(dir.root()));
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("holidays[0]: lies outside the file's year 2027"), std::string::npos)
      << lines[0];
}

}  // namespace
}  // namespace civ::host
