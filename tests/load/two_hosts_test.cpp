// The scale-out shape under load: two civhost processes on different ports over one PostgreSQL
// database, each driven by its own wrk process (tests/load/mixed_load.lua: reads of households
// and registrations of new ones) for a bounded time on loopback. Afterwards: no 5xx, no socket
// error, every acknowledged registration is in the database exactly once with its audit row, the
// audit chain written by both hosts verifies, both hosts still answer, and a payment run asked of
// both hosts at the same moment runs once.
#include <array>
#include <cstdio>
#include <future>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>

#include "host/audit/audit_log.h"
#include "host/storage/database.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::CivhostProcess;
using testing::httpRequest;

constexpr int kSeconds = 8;
constexpr int kConnectionsPerHost = 8;
const std::string kHouseholds = "/api/v1/counties/610902/social_assistance/households";

/// Runs a shell command and returns what it printed (stdout and stderr).
std::string run(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::array<char, 4096> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  pclose(pipe);
  return output;
}

/// The "load: key=value ..." line of one wrk run, as numbers; empty when wrk did not print it.
std::map<std::string, long long> loadFigures(const std::string& output) {
  std::map<std::string, long long> figures;
  const auto at = output.find("load: ");
  if (at == std::string::npos) return figures;
  std::istringstream line(output.substr(at + 6, output.find('\n', at) - at - 6));
  std::string pair;
  while (line >> pair) {
    const auto equals = pair.find('=');
    figures[pair.substr(0, equals)] = std::stoll(pair.substr(equals + 1));
  }
  return figures;
}

TEST(TwoHostsLoad, MixedLoadOnOnePostgresqlLosesAndDuplicatesNothing) {
  testing::TestDatabase database(sdk::Dialect::Postgresql);
  const std::string url = database.url().connection;
  const std::vector<std::string> serve = {
      "serve",        "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database",   url,        "--plugin-dir",
      CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"};
  CivhostProcess first(serve);
  ASSERT_TRUE(first.waitUntilListening()) << first.stderrText();
  CivhostProcess second(serve);
  ASSERT_TRUE(second.waitUntilListening()) << second.stderrText();
  const auto clerk = testing::issueToken(url, "wang", "clerk", "610902");
  const auto approver = testing::issueToken(url, "zhao", "approver", "610902");

  // Households to read, registered before the load.
  std::string readable;
  for (int i = 0; i < 20; ++i) {
    char first17[24];
    std::snprintf(first17, sizeof first17, "61090219700101%03d", i);
    const std::string id = std::string(first17) + sdk::CitizenId::checkCharacter(first17);
    const json body = {{"category", "rural"},
                       {"township", "江北街道"},
                       {"village", "东坝社区"},
                       {"hukou_address", "汉滨区东坝路"},
                       {"residence_address", "同上"},
                       {"members",
                        {{{"citizen_id", id},
                          {"name", "读者"},
                          {"relationship", "applicant"},
                          {"lives_together", true},
                          {"inclusion_reason", "单人户"},
                          {"work_capacity", "none"}}}}};
    const auto created = httpRequest(first.port(), "POST", kHouseholds, body.dump(), clerk);
    ASSERT_EQ(created.status, 201) << created.body;
    readable += (readable.empty() ? "" : ",") + std::to_string(created.json()["id"].get<int>());
  }

  const auto wrk = [&](int port, int process) {
    return run("CIV_TOKEN=" + clerk + " CIV_HOUSEHOLDS=" + readable + " CIV_PROCESS=" +
               std::to_string(process) + " wrk -t2 -c" + std::to_string(kConnectionsPerHost) +
               " -d" + std::to_string(kSeconds) + "s --timeout 5s -s " + CIV_SOURCE_DIR +
               "/tests/load/mixed_load.lua http://127.0.0.1:" + std::to_string(port) + "/");
  };
  auto on_first = std::async(std::launch::async, wrk, first.port(), 0);
  auto on_second = std::async(std::launch::async, wrk, second.port(), 1);
  const std::string outputs[] = {on_first.get(), on_second.get()};
  long long requests = 0, created = 0;
  for (const auto& output : outputs) {
    const auto figures = loadFigures(output);
    ASSERT_FALSE(figures.empty()) << output;
    EXPECT_GT(figures.at("requests"), 100) << output;
    EXPECT_EQ(figures.at("server_errors"), 0) << output;
    EXPECT_EQ(figures.at("client_errors"), 0) << output;
    EXPECT_EQ(figures.at("other"), 0) << output;
    EXPECT_EQ(figures.at("socket_errors"), 0) << output;
    EXPECT_GT(figures.at("created"), 0) << output;
    requests += figures.at("requests");
    created += figures.at("created");
  }

  host::Database db(database.url(), 1);
  const auto count = [&](const std::string& sql) {
    long long n = 0;
    db.pool().at(0) << sql, soci::into(n);
    return n;
  };
  // Requests in flight when wrk stopped may still be committing: wait until nothing changes.
  for (long long last = -1, now = 0; now != last;
       std::this_thread::sleep_for(std::chrono::milliseconds(300))) {
    last = now;
    now = count("SELECT COUNT(*) FROM civ_audit");
  }
  // Every acknowledged registration is there; beyond them at most the requests that were in
  // flight when wrk stopped (committed, answer not read).
  const long long stored = count("SELECT COUNT(*) FROM sa_households") - 20;
  EXPECT_GE(stored, created);
  EXPECT_LE(stored, created + 2 * kConnectionsPerHost);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members"),
            count("SELECT COUNT(DISTINCT person_id) FROM sa_members"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members"), stored + 20);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_audit WHERE action = 'household.create'"), stored + 20);
  const auto audit = host::AuditLog::verify(db.pool().at(0));
  EXPECT_FALSE(audit.first_bad_id.has_value()) << audit.problem;
  EXPECT_EQ(httpRequest(first.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(httpRequest(second.port(), "GET", "/healthz").status, 200);

  // The same county's roll asked of both hosts at once: run once, the other answer says so.
  // (A county's first roll needs a case: one 低保 case from December on a household the load made.)
  db.pool().at(0) << "INSERT INTO sa_cases (county_code, number, household_id, payee_person_id,"
                     " program, status, start_month, decided_on) SELECT '610902', 'LOAD-1',"
                     " m.household_id, m.person_id, 'dibao', 'active', '2026-12', '2026-11-30'"
                     " FROM sa_members m ORDER BY m.id LIMIT 1";
  const auto run_payments = [&](int port) {
    return httpRequest(port, "POST", "/api/v1/counties/610902/social_assistance/payment-runs",
                       R"({"month": "2026-12"})", approver);
  };
  auto run_first = std::async(std::launch::async, run_payments, first.port());
  auto run_second = std::async(std::launch::async, run_payments, second.port());
  const auto answers = std::array{run_first.get(), run_second.get()};
  EXPECT_EQ(answers[0].status + answers[1].status, 201 + 200) << answers[0].body << "\n"
                                                              << answers[1].body;
  for (const auto& answer : answers) {
    if (answer.status == 200) {
      EXPECT_EQ(answer.json()["created"], false);
    }
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs WHERE month = '2026-12'"), 1);
  std::printf(
      "two-host load: %lld requests in %d s over %d connections, %lld registrations "
      "acknowledged, %lld stored, no 5xx\n",
      requests, kSeconds, 2 * kConnectionsPerHost, created, stored);
  EXPECT_EQ(first.stop(), 0);
  EXPECT_EQ(second.stop(), 0);
}

}  // namespace
}  // namespace civ
