// The crash driver: one client sends a stream of acknowledged writes (households, applications
// through the whole 低保 workflow, decisions, payment runs, death registrations that end cases by
// event) while the test kill -9s civhost at a random moment, at least 30 times, restarting it each
// time. After every restart it checks what a county needs after a power cut: every acknowledged
// write is there, nothing is half-applied, a payment run is complete or absent and can be run
// again, the audit chain verifies. At the end every committed event has been delivered once.
//
// The write in flight at the kill may or may not have committed; both are allowed, a half of it
// is not. CIV_CRASH_SEED=<n> replays one sequence of kill moments.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
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
using testing::HttpResult;

/// Kills per engine: 30, or CIV_CRASH_KILLS (the sanitizer pass runs fewer: the same code paths
/// at a tenth of the speed, already driven 30 times by the plain build).
int killCount() {
  const char* text = std::getenv("CIV_CRASH_KILLS");
  const int kills = text != nullptr ? std::atoi(text) : 0;
  return kills > 0 ? kills : 30;
}
const std::string kAssistance = "/api/v1/counties/610902/social_assistance";
const std::string kFuneral = "/api/v1/counties/610902/funeral";

std::string citizenId(int birth_year, int sequence) {
  char text[40];
  std::snprintf(text, sizeof text, "610902%04d0101%03d", birth_year % 10000, sequence % 1000);
  const std::string first17(text);
  return first17 + sdk::CitizenId::checkCharacter(first17);
}

/// "YYYY-MM" of the month `offset` months after 2026-03.
std::string monthAfterMarch2026(int offset) {
  char text[24];
  const int index = 2026 * 12 + 2 + offset;
  std::snprintf(text, sizeof text, "%04d-%02d", index / 12, index % 12 + 1);
  return text;
}

/// The host died under the request: the write may or may not have committed.
struct HostGone {};

/// What the client was told, and the one write it was waiting for when the host died.
struct Ledger {
  std::vector<std::int64_t> households;
  std::map<std::int64_t, std::string> application_status;  // last acknowledged status
  std::vector<std::int64_t> cases;
  std::set<std::string> runs;                                // months acknowledged
  std::vector<std::string> deaths;                           // acknowledged
  std::set<std::string> deaths_attempted;                    // never registered twice
  std::vector<std::pair<std::string, std::int64_t>> payees;  // citizen id, case id
  std::map<std::int64_t, std::string> corrected_addresses;   // household → acknowledged address
  int acknowledged = 0;

  // In flight at the kill: an application transition to this status, or a payment run.
  std::optional<std::pair<std::int64_t, std::string>> transition_in_flight;
  std::optional<std::string> run_in_flight;
  std::optional<std::string> death_in_flight;
};

class Client {
 public:
  Client(int port, std::map<std::string, std::string> tokens, Ledger& ledger)
      : port_(port), tokens_(std::move(tokens)), ledger_(ledger) {}

  /// A write that must succeed with `want` while the host lives.
  json write(const std::string& path, const json& body, const std::string& who, int want) {
    HttpResult result;
    try {
      result = httpRequest(port_, "POST", path, body.dump(), tokens_.at(who));
    } catch (const std::exception&) {
      throw HostGone{};
    }
    if (result.status != want)
      throw std::runtime_error(path + " answered " + std::to_string(result.status) + ": " +
                               result.body);
    ++ledger_.acknowledged;
    return json::parse(result.body);
  }

  /// A correction (PATCH) that must succeed with 200 while the host lives.
  json correct(const std::string& path, const json& body, const std::string& who) {
    HttpResult result;
    try {
      result = httpRequest(port_, "PATCH", path, body.dump(), tokens_.at(who));
    } catch (const std::exception&) {
      throw HostGone{};
    }
    if (result.status != 200)
      throw std::runtime_error(path + " answered " + std::to_string(result.status) + ": " +
                               result.body);
    ++ledger_.acknowledged;
    return json::parse(result.body);
  }

  void today(const std::string& date) {
    HttpResult result;
    try {
      result = httpRequest(port_, "POST", "/api/v1/admin/clock", json{{"today", date}}.dump(),
                           tokens_.at("admin"));
    } catch (const std::exception&) {
      throw HostGone{};
    }
    if (result.status != 200) throw std::runtime_error("clock refused: " + result.body);
  }

  /// An application step; records the status it leads to as in flight until acknowledged.
  void step(std::int64_t application, const std::string& action, const json& body,
            const std::string& who, const std::string& leads_to) {
    ledger_.transition_in_flight = {application, leads_to};
    const json answer =
        write(kAssistance + "/applications/" + std::to_string(application) + "/" + action, body,
              who, 200);
    ledger_.application_status[application] = answer["status"];
    ledger_.transition_in_flight.reset();
  }

  /// One month of a county office: a new two-person household through the workflow to a case,
  /// the next month's roll, and the death of an earlier round's recipient.
  void round(int number) {
    const std::string month = monthAfterMarch2026(number);
    today(month + "-02");
    const auto applicant = citizenId(1950 + number % 40, 2 * number + 1);
    const auto spouse = citizenId(1951 + number % 40, 2 * number + 2);
    const auto member = [](const std::string& id, const char* name, const char* relationship) {
      return json{{"citizen_id", id},
                  {"name", name},
                  {"relationship", relationship},
                  {"lives_together", true},
                  {"inclusion_reason", "共同生活"},
                  {"work_capacity", "none"}};
    };
    const json household =
        write(kAssistance + "/households",
              {{"category", "urban"},
               {"township", "江北街道"},
               {"village", "东坝社区"},
               {"hukou_address", "汉滨区东坝路3号"},
               {"residence_address", "汉滨区东坝路3号"},
               {"bank_name", "汉滨农商银行"},
               {"bank_account", "62309999" + std::to_string(10000000 + number)},
               {"members",
                {member(applicant, "陈秀英", "applicant"), member(spouse, "王德发", "spouse")}}},
              "clerk", 201);
    const std::int64_t household_id = household["id"];
    ledger_.households.push_back(household_id);
    // A clerk corrects what was typed: the new address and its audit row are one write.
    const std::string corrected = "汉滨区东坝路3号" + std::to_string(number) + "室（更正）";
    correct(kAssistance + "/households/" + std::to_string(household_id),
            {{"residence_address", corrected}}, "clerk");
    ledger_.corrected_addresses[household_id] = corrected;
    write(kAssistance + "/households/" + std::to_string(household_id) + "/income-items",
          {{"category", "transfer"},
           {"treatment", "counted"},
           {"amount", "1200.00"},
           {"period_from", "2025-09-01"},
           {"period_to", "2026-02-28"},
           {"description", "子女赡养费"}},
          "clerk", 201);
    const json application = write(
        kAssistance + "/applications",
        {{"household_id", household_id}, {"program", "dibao"}, {"applicant_citizen_id", applicant}},
        "clerk", 201);
    const std::int64_t application_id = application["id"];
    ledger_.application_status[application_id] = application["status"];
    step(application_id, "investigation/start", json::object(), "clerk", "investigating");
    // Two investigators sign with their own accounts; the status stays investigating.
    const std::string signatures = kAssistance + "/applications/" + std::to_string(application_id) +
                                   "/investigation/signatures";
    write(signatures, json::object(), "clerk", 200);
    write(signatures, json::object(), "investigator", 200);
    step(application_id, "investigation/complete",
         {{"data_checks", {{{"item", "deposits"}, {"result", "match"}}}}}, "clerk", "investigated");
    step(application_id, "township-review", {{"opinion", "recommend"}}, "township",
         "township_reviewed");
    step(application_id, "notice", {{"location", "东坝社区公示栏"}}, "clerk", "in_notice");
    today(month + "-17");
    ledger_.transition_in_flight = {application_id, "approved"};
    const json decided =
        write(kAssistance + "/applications/" + std::to_string(application_id) + "/decision",
              {{"result", "approve"}}, "county", 200);
    ledger_.application_status[application_id] = decided["status"];
    ledger_.transition_in_flight.reset();
    ledger_.cases.push_back(decided["case"]["id"]);
    ledger_.payees.emplace_back(applicant, decided["case"]["id"]);

    today(month + "-25");
    const std::string next = monthAfterMarch2026(number + 1);
    ledger_.run_in_flight = next;
    write(kAssistance + "/payment-runs", {{"month", next}}, "county", 201);
    ledger_.runs.insert(next);
    ledger_.run_in_flight.reset();

    // The recipient of two rounds ago dies on the 20th; registered on the 26th.
    if (ledger_.payees.size() > 2) {
      const auto [deceased, case_id] = ledger_.payees[ledger_.payees.size() - 3];
      if (ledger_.deaths_attempted.insert(deceased).second) {
        today(month + "-26");
        ledger_.death_in_flight = deceased;
        write(kFuneral + "/deaths",
              {{"citizen_id", deceased},
               {"name", "陈秀英"},
               {"death_date", month + "-20"},
               {"place", "汉滨区人民医院"},
               {"township", "江北街道"},
               {"manner", "normal"},
               {"certificate_number", "YX-" + std::to_string(number)},
               {"certificate_issuer", "medical"}},
              "clerk", 201);
        ledger_.deaths.push_back(deceased);
        ledger_.death_in_flight.reset();
      }
    }
  }

 private:
  int port_;
  std::map<std::string, std::string> tokens_;
  Ledger& ledger_;
};

class CrashDriver : public ::testing::TestWithParam<sdk::Dialect> {
 protected:
  long long count(const std::string& sql) {
    long long n = 0;
    db_->pool().at(0) << sql, soci::into(n);
    return n;
  }

  /// Everything a restarted host must find, whatever moment the kill hit.
  void checkNothingLostNothingHalfApplied(const Ledger& ledger, const std::string& when) {
    SCOPED_TRACE(when);
    for (auto id : ledger.households)
      EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members WHERE household_id = " + std::to_string(id)),
                2)
          << "household " << id;
    // No household of any round (acknowledged or not) with only some of its members.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_households h WHERE (SELECT COUNT(*) FROM sa_members"
                    " m WHERE m.household_id = h.id) <> 2"),
              0);
    for (const auto& [id, status] : ledger.application_status) {
      std::string stored;
      db_->pool().at(0) << "SELECT status FROM sa_applications WHERE id = :id", soci::use(id),
          soci::into(stored);
      const bool in_flight =
          ledger.transition_in_flight && ledger.transition_in_flight->first == id;
      if (in_flight && stored == ledger.transition_in_flight->second) continue;
      EXPECT_EQ(stored, status) << "application " << id;
    }
    // An approval and its case are one write; so are a transition and its dated row.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_applications a WHERE a.status = 'approved' AND"
                    " (SELECT COUNT(*) FROM sa_cases c WHERE c.application_id = a.id) <> 1"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases c WHERE NOT EXISTS (SELECT 1 FROM"
                    " sa_applications a WHERE a.id = c.application_id AND a.status = 'approved')"),
              0);
    for (auto id : ledger.cases)
      EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE id = " + std::to_string(id)), 1);
    // Every acknowledged correction is there, and no correction is without its audit row.
    for (const auto& [id, address] : ledger.corrected_addresses) {
      std::string stored;
      db_->pool().at(0) << "SELECT residence_address FROM sa_households WHERE id = :id",
          soci::use(id), soci::into(stored);
      EXPECT_EQ(stored, address) << "household " << id;
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_households WHERE residence_address LIKE '%（更正）'"),
              count("SELECT COUNT(*) FROM civ_audit WHERE action = 'household.correct'"));
    // A run is complete or absent: its header agrees with its lines, and it has its audit row.
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs r WHERE r.line_count <> (SELECT"
                    " COUNT(*) FROM sa_payment_lines l WHERE l.run_id = r.id) OR r.total_fen <>"
                    " (SELECT COALESCE(SUM(amount_fen), 0) FROM sa_payment_lines l WHERE"
                    " l.run_id = r.id)"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs"),
              count("SELECT COUNT(*) FROM civ_audit WHERE action = 'payment_run.create'"));
    for (const auto& month : ledger.runs)
      EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs WHERE month = '" + month + "'"), 1)
          << month;
    for (const auto& citizen_id : ledger.deaths)
      EXPECT_EQ(count("SELECT COUNT(*) FROM fu_deaths d JOIN civ_persons p ON p.id = d.person_id"
                      " WHERE p.death_date IS NOT NULL AND p.citizen_id = '" +
                      citizen_id + "'"),
                1)
          << citizen_id;
    const auto deaths = static_cast<long long>(ledger.deaths.size());
    EXPECT_GE(count("SELECT COUNT(*) FROM fu_deaths"), deaths);
    EXPECT_LE(count("SELECT COUNT(*) FROM fu_deaths"), deaths + (ledger.death_in_flight ? 1 : 0));
    EXPECT_EQ(count("SELECT COUNT(*) FROM fu_deaths"),
              count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'person.deceased'"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM fu_deaths"),
              count("SELECT COUNT(*) FROM civ_persons WHERE death_date IS NOT NULL"));
    const auto audit = host::AuditLog::verify(db_->pool().at(0));
    EXPECT_FALSE(audit.first_bad_id.has_value()) << audit.problem;
  }

  std::unique_ptr<host::Database> db_;
};

TEST_P(CrashDriver, ThirtyKillsLoseNoAcknowledgedWriteAndHalfApplyNone) {
  testing::TestDatabase database(GetParam());
  const std::string url = database.url().connection;
  const std::vector<std::string> serve = {
      "serve",        "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database",   url,        "--plugin-dir",
      CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"};
  const char* seed_env = std::getenv("CIV_CRASH_SEED");
  const unsigned seed = seed_env != nullptr
                            ? static_cast<unsigned>(std::strtoul(seed_env, nullptr, 10))
                            : std::random_device{}();
  std::printf("crash driver seed %u (CIV_CRASH_SEED=%u replays it)\n", seed, seed);
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after_ms(5, 400);

  setenv("CIV_TEST_CLOCK", "1", 1);
  std::map<std::string, std::string> tokens;
  Ledger ledger;
  int round = 0;
  int kills = 0;
  int in_flight_committed = 0;
  int in_flight_absent = 0;
  const int kills_wanted = killCount();
  for (int life = 0; life <= kills_wanted; ++life) {
    CivhostProcess civhost(serve);
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    if (!db_) {
      db_ = std::make_unique<host::Database>(database.url(), 1);
      tokens = {{"admin", testing::issueToken(url, "root", "admin", "610902")},
                {"clerk", testing::issueToken(url, "wang", "clerk", "610902")},
                {"township", testing::issueToken(url, "li", "reviewer", "610902")},
                {"investigator", testing::issueToken(url, "chen", "clerk", "610902")},
                {"county", testing::issueToken(url, "zhao", "approver", "610902")}};
    }
    checkNothingLostNothingHalfApplied(ledger, "after restart " + std::to_string(life));
    if (::testing::Test::HasFailure()) {
      std::printf("stopped at restart %d; host log:\n%s\n", life, civhost.stderrText().c_str());
      return;
    }
    Client client(civhost.port(), tokens, ledger);
    // The run in flight at the kill is complete or absent; either way it can be asked again.
    if (ledger.run_in_flight) {
      const std::string month = *ledger.run_in_flight;
      const bool was_there =
          count("SELECT COUNT(*) FROM sa_payment_runs WHERE month = '" + month + "'") == 1;
      (was_there ? in_flight_committed : in_flight_absent)++;
      client.today(month + "-01");
      const json again = client.write(kAssistance + "/payment-runs", {{"month", month}}, "county",
                                      was_there ? 200 : 201);
      EXPECT_EQ(again["created"], !was_there);
      ledger.runs.insert(month);
      ledger.run_in_flight.reset();
    }
    if (ledger.transition_in_flight) {
      std::string stored;
      db_->pool().at(0) << "SELECT status FROM sa_applications WHERE id = :id",
          soci::use(ledger.transition_in_flight->first), soci::into(stored);
      (stored == ledger.transition_in_flight->second ? in_flight_committed : in_flight_absent)++;
      ledger.application_status[ledger.transition_in_flight->first] = stored;
      ledger.transition_in_flight.reset();
    }
    if (ledger.death_in_flight) {
      const bool found = count(
                             "SELECT COUNT(*) FROM civ_persons WHERE death_date IS NOT NULL AND"
                             " citizen_id = '" +
                             *ledger.death_in_flight + "'") == 1;
      (found ? in_flight_committed : in_flight_absent)++;
      if (found) ledger.deaths.push_back(*ledger.death_in_flight);
      ledger.death_in_flight.reset();
    }
    if (life == kills_wanted) break;  // the last life only checks and delivers

    std::atomic<bool> gone = false;
    std::string failure;
    std::thread writer([&] {
      try {
        for (;;) {
          client.round(round);
          ++round;
        }
      } catch (const HostGone&) {
        gone = true;
      } catch (const std::exception& error) {
        failure = error.what();
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(random)));
    civhost.killHard();
    ++kills;
    writer.join();
    ASSERT_TRUE(failure.empty()) << failure << "\nhost log:\n" << civhost.stderrText();
    ASSERT_TRUE(gone);
    ++round;  // the interrupted round's month is not reused
  }

  // The last life: every committed event reaches its subscriber, and each death took effect on
  // its recipient's household exactly once (the member left; one assistance.changed).
  const auto undelivered = [&] {
    return count(
        "SELECT COUNT(*) FROM civ_outbox o WHERE o.name = 'person.deceased' AND NOT"
        " EXISTS (SELECT 1 FROM civ_deliveries d WHERE d.event_id = o.id AND"
        " d.subscriber = 'social_assistance.end_coverage')");
  };
  {
    CivhostProcess last(serve);
    ASSERT_TRUE(last.waitUntilListening()) << last.stderrText();
    for (int i = 0; i < 400 && undelivered() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // more delivery passes run
    last.stop();
  }
  unsetenv("CIV_TEST_CLOCK");
  EXPECT_EQ(undelivered(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_delivery_failures"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members m JOIN fu_deaths d ON d.person_id ="
                  " m.person_id WHERE m.left_on IS NULL"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.changed'"),
            count("SELECT COUNT(*) FROM fu_deaths"));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE death_review_due IS NOT NULL"),
            count("SELECT COUNT(*) FROM fu_deaths"));
  checkNothingLostNothingHalfApplied(ledger, "at the end");
  std::printf(
      "crash driver (%s): %d kills survived, %d rounds, %d acknowledged writes checked, "
      "%zu households, %zu cases, %zu payment runs, %lld deaths; the write in flight at a kill "
      "was found committed %d times and absent %d times\n",
      testing::dialectName(GetParam()).c_str(), kills, round, ledger.acknowledged,
      ledger.households.size(), ledger.cases.size(), ledger.runs.size(),
      count("SELECT COUNT(*) FROM fu_deaths"), in_flight_committed, in_flight_absent);
  EXPECT_GE(kills, kills_wanted);
}

INSTANTIATE_TEST_SUITE_P(Engines, CrashDriver,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
