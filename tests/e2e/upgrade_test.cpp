// Upgrades keep data (issue 24 item 2): every fixture of an earlier release
// (tests/upgrade/fixtures/<version>/, made by tests/upgrade/make-fixture.sh with that release's
// own migrations and its contract scenario) is loaded into a fresh database and migrated by the
// current civhost: every row is still there and unchanged, the audit chain verifies, civhost
// serve answers the old records; `civhost migrate --dry-run` lists exactly what then runs; a
// step that fails leaves the database as it was and civhost names it. Both engines.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sqlite3.h>
#include <sstream>

#include <Poco/InflatingStream.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "host/storage/database.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::CivhostProcess;
using testing::httpRequest;

const std::string kConfig = std::string(CIV_SOURCE_DIR) + "/config";
const fs::path kFixtures = fs::path(CIV_SOURCE_DIR) / "tests/upgrade/fixtures";

struct CommandResult {
  int code;
  std::string out, err;
};
CommandResult civhostCommand(std::vector<std::string> arguments, const std::string& url) {
  arguments.insert(arguments.end(), {"--config", kConfig, "--database", url});
  if (arguments.front() == "migrate")
    arguments.insert(arguments.end(), {"--plugin-dir", CIV_PLUGIN_DIR});
  CivhostProcess process(arguments);
  const int code = process.waitForExit(std::chrono::seconds(120));
  return {code, process.stdoutText(), process.stderrText()};
}

/// Every fixture directory (one per earlier release), in version order.
std::vector<fs::path> fixtureDirectories() {
  std::vector<fs::path> found;
  if (fs::is_directory(kFixtures))
    for (const auto& entry : fs::directory_iterator(kFixtures))
      if (fs::exists(entry.path() / "manifest.json")) found.push_back(entry.path());
  const auto version = [](const fs::path& directory) {
    std::vector<int> parts;
    std::istringstream text(directory.filename().string());
    for (std::string part; std::getline(text, part, '.');) parts.push_back(std::atoi(part.c_str()));
    return parts;
  };
  std::sort(found.begin(), found.end(),
            [&](const fs::path& a, const fs::path& b) { return version(a) < version(b); });
  return found;
}

json readManifest(const fs::path& fixture) {
  std::ifstream file(fixture / "manifest.json");
  return json::parse(file);
}

std::string engineKey(sdk::Dialect dialect) {
  return dialect == sdk::Dialect::Sqlite ? "sqlite" : "postgresql";
}

/// The SQL text of a dump, gunzipped when its name ends in .gz.
std::string readDump(const fs::path& file) {
  std::ifstream raw(file, std::ios::binary);
  if (!raw) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream text;
  if (file.extension() == ".gz") {
    Poco::InflatingInputStream inflated(raw, Poco::InflatingStreamBuf::STREAM_GZIP);
    text << inflated.rdbuf();
  } else {
    text << raw.rdbuf();
  }
  return text.str();
}

/// Loads the fixture's dump for `dialect` into the empty database `url`: SQLite through the C
/// API executing the script, PostgreSQL through psql (a plain pg_dump has COPY blocks).
void loadFixture(const fs::path& fixture, const host::DatabaseUrl& url) {
  const json manifest = readManifest(fixture);
  const std::string script = readDump(
      fixture / manifest.at("engines").at(engineKey(url.dialect)).at("dump").get<std::string>());
  if (url.dialect == sdk::Dialect::Sqlite) {
    sqlite3* db = nullptr;
    if (sqlite3_open(url.connection.c_str(), &db) != SQLITE_OK)
      throw std::runtime_error("cannot open " + url.connection);
    char* message = nullptr;
    const int result = sqlite3_exec(db, script.c_str(), nullptr, nullptr, &message);
    const std::string error = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    if (result != SQLITE_OK) throw std::runtime_error("loading the SQLite dump: " + error);
    return;
  }
  const auto directory = testing::makeTempDirectory("civ-upgrade");
  const fs::path file = directory / "dump.sql";
  std::ofstream(file, std::ios::binary) << script;
  const std::string command = "psql '" + url.connection + "' -qX -v ON_ERROR_STOP=1 -f '" +
                              file.string() + "' >'" + (directory / "psql.log").string() + "' 2>&1";
  const int code = std::system(command.c_str());
  std::ifstream log(directory / "psql.log");
  const std::string output((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  fs::remove_all(directory);
  if (code != 0) throw std::runtime_error("psql could not load the PostgreSQL dump: " + output);
}

/// loadFixture's error, empty when the dump loaded.
std::string loadError(const fs::path& fixture, const host::DatabaseUrl& url) {
  try {
    loadFixture(fixture, url);
    return "";
  } catch (const std::exception& error) {
    return error.what();
  }
}

std::vector<std::string> strings(soci::session& session, const std::string& sql) {
  std::vector<std::string> out;
  soci::rowset<std::string> rows = (session.prepare << sql);
  for (const auto& row : rows) out.push_back(row);
  return out;
}

std::vector<std::string> tableNames(soci::session& session, sdk::Dialect dialect) {
  return strings(session, dialect == sdk::Dialect::Sqlite
                              ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                                "LIKE 'sqlite_%' ORDER BY name"
                              : "SELECT CAST(table_name AS TEXT) FROM information_schema.tables "
                                "WHERE table_schema = current_schema() AND table_type = 'BASE "
                                "TABLE' ORDER BY table_name");
}

std::vector<std::string> columnNames(soci::session& session, sdk::Dialect dialect,
                                     const std::string& table) {
  return strings(session,
                 dialect == sdk::Dialect::Sqlite
                     ? "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid"
                     : "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE "
                       "table_schema = current_schema() AND table_name = '" +
                           table + "' ORDER BY ordinal_position");
}

/// The rows of `table` as text, `columns` only, sorted: equal lists mean equal contents.
std::vector<std::string> tableRows(soci::session& session, const std::string& table,
                                   const std::vector<std::string>& columns) {
  std::string expression;
  for (const auto& column : columns)
    expression += (expression.empty() ? "" : " || '|' || ") + std::string("COALESCE(CAST(\"") +
                  column + "\" AS TEXT), '<null>')";
  return strings(session, "SELECT " + expression + " FROM \"" + table + "\" ORDER BY 1");
}

/// A database's schema and every row, as text: two equal snapshots are the same database.
struct Snapshot {
  std::vector<std::string> schema;
  std::map<std::string, std::vector<std::string>> columns;
  std::map<std::string, std::vector<std::string>> rows;
};

Snapshot snapshot(const host::DatabaseUrl& url) {
  host::Database database(url, 1);
  host::PooledSession lease(database);
  soci::session& session = lease.session();
  Snapshot out;
  if (url.dialect == sdk::Dialect::Sqlite) {
    out.schema = strings(session,
                         "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM "
                         "sqlite_master ORDER BY 1");
  } else {
    out.schema =
        strings(session,
                "SELECT CAST(table_name AS TEXT) || '.' || CAST(column_name AS TEXT) || ' ' || "
                "CAST(data_type AS TEXT) || ' ' || CAST(is_nullable AS TEXT) || ' ' || "
                "COALESCE(CAST(column_default AS TEXT), '') FROM information_schema.columns WHERE "
                "table_schema = current_schema() ORDER BY 1");
    for (const auto& line :
         strings(session,
                 "SELECT CAST(indexname AS TEXT) || ': ' || indexdef FROM pg_indexes "
                 "WHERE schemaname = current_schema() ORDER BY 1"))
      out.schema.push_back(line);
    for (const auto& line :
         strings(session,
                 "SELECT CAST(conrelid::regclass AS TEXT) || ' ' || CAST(conname AS "
                 "TEXT) || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                 "connamespace = current_schema()::regnamespace ORDER BY 1"))
      out.schema.push_back(line);
  }
  for (const auto& table : tableNames(session, url.dialect)) {
    out.columns[table] = columnNames(session, url.dialect, table);
    out.rows[table] = tableRows(session, table, out.columns[table]);
  }
  return out;
}

/// "owner number: description" of every step recorded in civ_schema_migrations.
std::set<std::string> recordedSteps(const host::DatabaseUrl& url) {
  host::Database database(url, 1);
  host::PooledSession lease(database);
  const auto lines = strings(lease.session(),
                             "SELECT owner || ' ' || CAST(number AS TEXT) || ': ' || description "
                             "FROM civ_schema_migrations");
  return {lines.begin(), lines.end()};
}

/// The step lines of a dry run ("owner number: description"), without its closing line.
std::set<std::string> dryRunSteps(const std::string& text) {
  std::set<std::string> steps;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (std::regex_search(line, std::regex("^[a-z][a-z0-9_]* [0-9]+: "))) steps.insert(line);
  return steps;
}

/// Tables a later release's migration changes on purpose (old columns rewritten or rows
/// removed), with the reason; every other table of a fixture keeps its rows unchanged.
const std::map<std::string, std::string> kChangedOnPurpose = {};

class Upgrade : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(Upgrade, EveryRowAndTheAuditChainOfAnEarlierReleaseSurviveTheCurrentMigrations) {
  const auto fixtures = fixtureDirectories();
  ASSERT_FALSE(fixtures.empty()) << "no fixture in " << kFixtures;
  for (const auto& fixture : fixtures) {
    SCOPED_TRACE("fixture " + fixture.filename().string());
    const json manifest = readManifest(fixture);
    const json& engine = manifest.at("engines").at(engineKey(GetParam()));
    testing::TestDatabase database(GetParam());
    const host::DatabaseUrl& url = database.url();
    ASSERT_EQ(loadError(fixture, url), "");

    // The dump loaded as the release wrote it: the manifest's row count for every table.
    const Snapshot before = snapshot(url);
    for (const auto& [table, count] : engine.at("tables").items()) {
      ASSERT_TRUE(before.rows.contains(table)) << table << " was not loaded";
      EXPECT_EQ(before.rows.at(table).size(), count.get<std::size_t>()) << table;
    }
    const auto steps_before = recordedSteps(url);

    auto dry_run = civhostCommand({"migrate", "--dry-run"}, url.connection);
    ASSERT_EQ(dry_run.code, 0) << dry_run.out << dry_run.err;
    const auto listed = dryRunSteps(dry_run.out);
    EXPECT_FALSE(listed.empty()) << dry_run.out;

    auto migrated = civhostCommand({"migrate"}, url.connection);
    ASSERT_EQ(migrated.code, 0) << migrated.out << migrated.err;
    // The dry run listed exactly the steps the migration then applied.
    const auto steps_after = recordedSteps(url);
    std::set<std::string> applied;
    for (const auto& step : steps_after)
      if (!steps_before.contains(step)) applied.insert(step);
    EXPECT_EQ(listed, applied);
    for (const auto& step : steps_before) EXPECT_TRUE(steps_after.contains(step)) << step;
    auto again = civhostCommand({"migrate", "--dry-run"}, url.connection);
    EXPECT_NE(again.out.find("0 step(s) would run"), std::string::npos) << again.out;

    // Every table keeps its rows, and its old columns keep their values: each old row is still
    // there, as it was (a table may gain rows, e.g. civ_schema_migrations).
    const Snapshot after = snapshot(url);
    for (const auto& [table, rows] : before.rows) {
      if (kChangedOnPurpose.contains(table)) continue;
      ASSERT_TRUE(after.rows.contains(table)) << table << " is gone after the migration";
      const auto& now = after.columns.at(table);
      for (const auto& column : before.columns.at(table))
        ASSERT_NE(std::find(now.begin(), now.end(), column), now.end())
            << table << "." << column << " is gone";
      host::Database opened(url, 1);
      host::PooledSession lease(opened);
      auto old_rows = rows;
      auto new_rows = tableRows(lease.session(), table, before.columns.at(table));
      EXPECT_GE(new_rows.size(), old_rows.size()) << table;
      std::sort(old_rows.begin(), old_rows.end());
      std::sort(new_rows.begin(), new_rows.end());
      EXPECT_TRUE(std::includes(new_rows.begin(), new_rows.end(), old_rows.begin(), old_rows.end()))
          << table << ": rows changed or lost by the migration";
    }
    // The chain: its old head is still there and the whole chain verifies.
    {
      host::Database opened(url, 1);
      host::PooledSession lease(opened);
      std::string hash;
      const long long head = engine.at("audit_head").at("id").get<long long>();
      lease.session() << "SELECT hash FROM civ_audit WHERE id = :id", soci::use(head),
          soci::into(hash);
      EXPECT_EQ(hash, engine.at("audit_head").at("hash").get<std::string>());
    }
    auto verified = civhostCommand({"audit", "verify"}, url.connection);
    EXPECT_EQ(verified.code, 0) << verified.out << verified.err;

    // civhost serve answers the old records with their old values.
    std::string household_id, hukou_address, number, marriage_id, registered_on;
    long long husband_id = 0;
    {
      host::Database opened(url, 1);
      host::PooledSession lease(opened);
      lease.session() << "SELECT CAST(id AS TEXT), hukou_address, number FROM sa_households "
                         "ORDER BY id LIMIT 1",
          soci::into(household_id), soci::into(hukou_address), soci::into(number);
      lease.session() << "SELECT CAST(id AS TEXT), husband_id, registered_on FROM "
                         "marriage_records ORDER BY id LIMIT 1",
          soci::into(marriage_id), soci::into(husband_id), soci::into(registered_on);
    }
    ASSERT_FALSE(household_id.empty()) << "the fixture has no household";
    ASSERT_FALSE(marriage_id.empty()) << "the fixture has no marriage registration";
    const std::string county = manifest.at("county");
    const std::string clerk = testing::issueToken(url.connection, "wang", "clerk", county);
    CivhostProcess civhost({"serve", "--config", kConfig, "--database", url.connection,
                            "--plugin-dir", CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    const std::string base = "/api/v1/counties/" + county;
    auto household = httpRequest(civhost.port(), "GET",
                                 base + "/social_assistance/households/" + household_id, "", clerk);
    ASSERT_EQ(household.status, 200) << household.body;
    EXPECT_EQ(household.json().at("hukou_address"), hukou_address) << household.body;
    EXPECT_EQ(household.json().at("number"), number) << household.body;
    auto marriage =
        httpRequest(civhost.port(), "GET", base + "/marriage/marriages/" + marriage_id, "", clerk);
    ASSERT_EQ(marriage.status, 200) << marriage.body;
    EXPECT_EQ(marriage.json().at("husband").at("person_id"), husband_id) << marriage.body;
    EXPECT_EQ(marriage.json().at("registered_on"), registered_on) << marriage.body;
    civhost.stop();
  }
}

TEST_P(Upgrade, ADryRunOnAnEarlierReleaseListsTheLaterStepsAndChangesNothing) {
  const auto fixtures = fixtureDirectories();
  ASSERT_FALSE(fixtures.empty()) << "no fixture in " << kFixtures;
  for (const auto& fixture : fixtures) {
    SCOPED_TRACE("fixture " + fixture.filename().string());
    testing::TestDatabase database(GetParam());
    const host::DatabaseUrl& url = database.url();
    ASSERT_EQ(loadError(fixture, url), "");
    const Snapshot before = snapshot(url);
    auto dry_run = civhostCommand({"migrate", "--dry-run"}, url.connection);
    ASSERT_EQ(dry_run.code, 0) << dry_run.out << dry_run.err;
    // No step the release already applied is listed again.
    for (const auto& step : recordedSteps(url))
      EXPECT_FALSE(dryRunSteps(dry_run.out).contains(step)) << step << " listed again";
    if (fixture.filename() == "1.2.0") {
      // 1.3.0's steps, by name.
      for (const char* step :
           {"civ 9: the year's assessment plans (年度工作考核) and their scorings",
            "civ 10: the audit chain records each row's hash algorithm (sha256 or sm3)",
            "social_orgs 4: administrative penalties with hearing notices, revocation, bans of "
            "illegal bodies",
            "social_orgs 5: change registration and charter approval, seal and bank-account "
            "filings",
            "social_orgs 6: removal from the credit lists"})
        EXPECT_TRUE(dryRunSteps(dry_run.out).contains(step)) << step << "\n" << dry_run.out;
      EXPECT_NE(dry_run.out.find("place_names 4: the county's boundary lines"), std::string::npos)
          << dry_run.out;
      // Steps 1.2.0 had are not listed.
      for (const char* step : {"civ 8: ", "social_orgs 3: ", "place_names 3: ", "marriage 1: "})
        EXPECT_EQ(dry_run.out.find(step), std::string::npos) << step << "\n" << dry_run.out;
    }
    EXPECT_EQ(snapshot(url).rows, before.rows);
    EXPECT_EQ(snapshot(url).schema, before.schema);
  }
}

TEST_P(Upgrade, AStepThatFailsLeavesTheDatabaseAsItWasAndCivhostNamesIt) {
  // 1.2.0's database: the host's next step (9) cannot run because its table is already there
  // (a county's DBA made one by hand).
  const fs::path fixture = kFixtures / "1.2.0";
  ASSERT_TRUE(fs::exists(fixture / "manifest.json")) << fixture;
  testing::TestDatabase database(GetParam());
  const host::DatabaseUrl& url = database.url();
  ASSERT_EQ(loadError(fixture, url), "");
  const auto steps = recordedSteps(url);
  int host_version = 0;
  for (const auto& step : steps)
    if (step.starts_with("civ ")) host_version = std::max(host_version, std::stoi(step.substr(4)));
  auto dry_run = civhostCommand({"migrate", "--dry-run"}, url.connection);
  const std::string next = "civ " + std::to_string(host_version + 1) + ": ";
  const auto at = dry_run.out.find(next);
  ASSERT_NE(at, std::string::npos) << "no later host step for this fixture\n" << dry_run.out;
  ASSERT_EQ(host_version + 1, 9) << "this test breaks host step 9 (civ_assessment_plans)";
  {
    host::Database opened(url, 1);
    host::PooledSession lease(opened);
    lease.session() << "CREATE TABLE civ_assessment_plans (id INTEGER PRIMARY KEY, note TEXT)";
    lease.session() << "INSERT INTO civ_assessment_plans (id, note) VALUES (1, 'by hand')";
  }
  const Snapshot before = snapshot(url);
  auto migrated = civhostCommand({"migrate"}, url.connection);
  EXPECT_NE(migrated.code, 0) << migrated.out << migrated.err;
  const std::string said = migrated.out + migrated.err;
  EXPECT_NE(said.find("civ: migration 9 (the year's assessment plans"), std::string::npos) << said;
  const Snapshot after = snapshot(url);
  EXPECT_EQ(after.schema, before.schema);
  EXPECT_EQ(after.rows, before.rows);
  // Nothing recorded: the step and every later one are still pending.
  EXPECT_EQ(recordedSteps(url), steps);
}

// A module's step that fails: civhost names the module and the step, that module's steps are
// all rolled back (its tables and its recorded steps as before) and migrate exits non-zero.
// Each owner's pending steps run in one transaction (MigrationRunner): the host's and other
// modules' steps that succeeded before it stay applied, and a rerun continues from there.
TEST_P(Upgrade, AModuleStepThatFailsRollsBackThatModuleAndCivhostNamesIt) {
  const fs::path fixture = kFixtures / "1.2.0";  // social_orgs step 4 came in 1.3.0
  ASSERT_TRUE(fs::exists(fixture / "manifest.json")) << fixture;
  testing::TestDatabase database(GetParam());
  const host::DatabaseUrl& url = database.url();
  ASSERT_EQ(loadError(fixture, url), "");
  auto dry_run = civhostCommand({"migrate", "--dry-run"}, url.connection);
  ASSERT_NE(dry_run.out.find("social_orgs 4: "), std::string::npos)
      << "this test breaks social_orgs step 4 (so_penalties)\n"
      << dry_run.out;
  {
    host::Database opened(url, 1);
    host::PooledSession lease(opened);
    lease.session() << "CREATE TABLE so_penalties (id INTEGER PRIMARY KEY, note TEXT)";
  }
  const Snapshot before = snapshot(url);
  const auto steps = recordedSteps(url);
  auto migrated = civhostCommand({"migrate"}, url.connection);
  EXPECT_NE(migrated.code, 0) << migrated.out << migrated.err;
  const std::string said = migrated.out + migrated.err;
  EXPECT_NE(said.find("social_orgs: migration 4 (administrative penalties"), std::string::npos)
      << said;
  const Snapshot after = snapshot(url);
  for (const auto& [table, rows] : before.rows) {
    if (!table.starts_with("so_")) continue;
    ASSERT_TRUE(after.rows.contains(table)) << table;
    EXPECT_EQ(after.columns.at(table), before.columns.at(table)) << table;
    EXPECT_EQ(after.rows.at(table), rows) << table;
  }
  // Neither step 4's other table nor step 5's, which would run after it in the same transaction.
  for (const std::string table : {"so_bans", "so_changes", "so_filings"}) {
    EXPECT_FALSE(before.rows.contains(table)) << table;
    EXPECT_FALSE(after.rows.contains(table)) << table << " was left behind";
  }
  const auto now = recordedSteps(url);
  for (const auto& step : now) {
    if (step.starts_with("social_orgs ")) {
      EXPECT_TRUE(steps.contains(step)) << step;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, Upgrade,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
