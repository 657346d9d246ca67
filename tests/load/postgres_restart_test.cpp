// Two hosts on one PostgreSQL under a stream of writes (issue 24 item 5): one host is stopped and
// started again, then the PostgreSQL server is. While the server is away civhost answers 503 with
// Retry-After (never 500); it reconnects by itself once the server is back (no civhost restart);
// every write acknowledged is in the database exactly once. The server is the suite's own
// (scripts/lib/throwaway-postgres.sh), stopped and started through CIV_TEST_POSTGRES_CTL; the test
// runs alone (RUN_SERIAL).
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "host/audit/audit_log.h"
#include "host/storage/database.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::CivhostProcess;
using testing::httpRequest;

const std::string kNotes = "/api/v1/counties/610902/example/notes";

/// What the writers saw: the ids acknowledged (201) and how many answers of each status.
struct Seen {
  std::mutex mutex;
  std::vector<long long> acknowledged;
  std::map<int, int> statuses;
  bool retry_after_on_every_503 = true;
  std::string a_bad_answer;
};

TEST(PostgresqlRestart, AHostAndThenTheServerStoppedAndStartedUnderWritesLoseNothing) {
  const char* ctl = std::getenv("CIV_TEST_POSTGRES_CTL");
  ASSERT_NE(ctl, nullptr) << "run under scripts/test (scripts/lib/throwaway-postgres.sh)";
  testing::TestDatabase database(sdk::Dialect::Postgresql);
  const std::string url = database.url().connection;
  const std::vector<std::string> serve = {
      "serve",        "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database",   url,        "--plugin-dir",
      CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"};
  CivhostProcess served(serve);
  ASSERT_TRUE(served.waitUntilListening()) << served.stderrText();
  auto second = std::make_unique<CivhostProcess>(serve);
  ASSERT_TRUE(second->waitUntilListening()) << second->stderrText();
  std::atomic<int> second_port{second->port()};  // 0 while the second host is stopped
  const auto clerk = testing::issueToken(url, "wang", "clerk", "610902");

  Seen seen;
  std::atomic<bool> stop{false};
  // Writers 0 and 1 write to the first host, 2 and 3 to the second while it runs (to the first
  // while it is stopped, as a load balancer would send them).
  const auto writer = [&](int number) {
    for (int i = 0; !stop; ++i) {
      const json note = {{"citizen_id", "610902197001010014"},
                         {"name", "张三"},
                         {"text", "写入 " + std::to_string(number) + "-" + std::to_string(i)}};
      const int port = number >= 2 && second_port != 0 ? second_port.load() : served.port();
      testing::HttpResult answer;
      try {
        answer = httpRequest(port, "POST", kNotes, note.dump(), clerk);
      } catch (const std::exception&) {
        continue;  // the host stopped under this request: nothing was acknowledged
      }
      std::lock_guard lock(seen.mutex);
      ++seen.statuses[answer.status];
      if (answer.status == 201) {
        seen.acknowledged.push_back(answer.json()["id"].get<long long>());
      } else if (answer.status == 503) {
        if (!answer.headers.contains("Retry-After")) seen.retry_after_on_every_503 = false;
        std::this_thread::sleep_for(50ms);
      } else if (seen.a_bad_answer.empty()) {
        seen.a_bad_answer = std::to_string(answer.status) + " " + answer.body;
      }
    }
  };
  std::vector<std::thread> writers;
  for (int number = 0; number < 4; ++number) writers.emplace_back(writer, number);
  const auto acknowledgedSoFar = [&] {
    std::lock_guard lock(seen.mutex);
    return seen.acknowledged.size();
  };

  // The second host stopped (SIGTERM: it drains what it accepted) and started again.
  std::this_thread::sleep_for(1000ms);
  second_port = 0;
  EXPECT_EQ(second->stop(), 0);
  std::this_thread::sleep_for(500ms);
  second = std::make_unique<CivhostProcess>(serve);
  ASSERT_TRUE(second->waitUntilListening()) << second->stderrText();
  second_port = second->port();
  std::this_thread::sleep_for(1000ms);

  const std::size_t before_stop = acknowledgedSoFar();
  ASSERT_EQ(std::system((std::string(ctl) + " stop >/dev/null").c_str()), 0);
  std::this_thread::sleep_for(2s);  // writes meet the server away
  const std::size_t while_away = acknowledgedSoFar();
  ASSERT_EQ(std::system((std::string(ctl) + " start >/dev/null").c_str()), 0);
  // civhost finds the server again by itself: writes are acknowledged anew.
  bool recovered = false;
  for (int wait = 0; wait < 100 && !recovered; ++wait) {
    std::this_thread::sleep_for(200ms);
    recovered = acknowledgedSoFar() > while_away + 20;
  }
  stop = true;
  for (auto& thread : writers) thread.join();

  EXPECT_GT(before_stop, 0u);
  EXPECT_TRUE(recovered) << "no writes acknowledged after the server came back; "
                         << served.stderrText().substr(0, 2000);
  EXPECT_GT(seen.statuses[503], 0) << "the server's absence was never seen";
  EXPECT_TRUE(seen.retry_after_on_every_503);
  EXPECT_TRUE(seen.a_bad_answer.empty()) << "answers are 201 or 503 only: " << seen.a_bad_answer;
  EXPECT_EQ(seen.statuses.count(500), 0u);

  // Every acknowledged write is there exactly once, with its audit row; the chain verifies.
  host::Database db(database.url(), 1);
  auto& session = db.pool().at(0);
  std::set<long long> stored;
  soci::rowset<long long> ids = (session.prepare << "SELECT id FROM example_notes");
  for (const long long id : ids) stored.insert(id);
  std::set<long long> acknowledged(seen.acknowledged.begin(), seen.acknowledged.end());
  EXPECT_EQ(acknowledged.size(), seen.acknowledged.size()) << "an id acknowledged twice";
  for (const long long id : acknowledged) EXPECT_TRUE(stored.contains(id)) << "lost note " << id;
  // Beyond the acknowledged ones at most the requests in flight when the server or a host went.
  EXPECT_LE(stored.size(), acknowledged.size() + 8) << "beyond the requests in flight";
  const auto audit = host::AuditLog::verify(session);
  EXPECT_FALSE(audit.first_bad_id.has_value()) << audit.problem;
  EXPECT_EQ(httpRequest(served.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(httpRequest(second->port(), "GET", "/healthz").status, 200);
}

}  // namespace
}  // namespace civ
