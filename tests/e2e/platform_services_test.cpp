// Authentication, roles, the audit trail and the admin API, through a real civhost process.
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "host/storage/database.h"
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
using testing::issueToken;

const std::string kNote = R"({"citizen_id":"11010519491231002X","name":"张三","text":"入户调查"})";
const std::string kNotes = "/api/v1/counties/610902/example/notes";

using Served = testing::ServedCivhost;

TEST(PlatformServices, WhoMayDoWhatOverRealHttp) {
  Served served(sdk::Dialect::Sqlite);
  const auto clerk = served.token("wang", "clerk");
  const auto approver_wang = served.token("wang", "approver");
  const auto approver_li = served.token("li", "approver");
  const auto other_county = served.token("chen", "clerk", "350502");
  const auto other_module = served.token("zhou", "clerk", "610902", "marriage");
  const auto auditor = served.token("zhao", "auditor");

  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote).status, 401);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, "civ_not_a_token").status, 401);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, other_county).status, 403);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, other_module).status, 403);
  auto auditor_write = httpRequest(served.port(), "POST", kNotes, kNote, auditor);
  EXPECT_EQ(auditor_write.status, 403);
  EXPECT_EQ(auditor_write.content_type, "application/problem+json");

  auto created = httpRequest(served.port(), "POST", kNotes, kNote, clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string confirm = created.headers["Location"] + "/confirm";
  auto own = httpRequest(served.port(), "POST", confirm, "", approver_wang);
  EXPECT_EQ(own.status, 403);
  EXPECT_NE(own.json()["detail"].get<std::string>().find("four-eyes rule"), std::string::npos);
  EXPECT_EQ(httpRequest(served.port(), "POST", confirm, "", approver_li).status, 200);

  // Only the two successful writes are in the audit trail; the refusals changed nothing. (The
  // example's event handler audits its own change too, with its cause, when it has run.)
  auto trail = httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit", "", auditor);
  ASSERT_EQ(trail.status, 200);
  json entries = json::array();
  const json items = trail.json()["items"];
  for (const auto& row : items)  // the requests' rows, not the tokens' issue
    if (row["cause"] == "" && row["module"] != "civ") entries.push_back(row);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["action"], "note.create");
  EXPECT_EQ(entries[0]["user"], "wang");
  EXPECT_EQ(entries[1]["action"], "note.confirm");
  EXPECT_EQ(entries[1]["user"], "li");
  EXPECT_EQ(entries[1]["role"], "approver");
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit", "", clerk).status,
            403);
}

TEST(PlatformServices, UsersAreRecordsWhoseNamesIgnoreCase) {
  Served served(sdk::Dialect::Sqlite);
  const auto clerk = served.token("Clerk1", "clerk");
  const auto same_user_as_approver = served.token("clerk1", "approver");
  const auto approver = served.token("li", "approver");
  const auto admin = served.token("admin1", "admin");
  const auto marriage_auditor = served.token("ma", "auditor", "610902", "marriage");
  const auto auditor = served.token("zhao", "auditor");

  auto created = httpRequest(served.port(), "POST", kNotes, kNote, clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_FALSE(created.headers["X-Request-Id"].empty());
  const std::string confirm = created.headers["Location"] + "/confirm";
  // "Clerk1" and "clerk1" are one user: the four-eyes rule holds across spellings.
  auto own = httpRequest(served.port(), "POST", confirm, "", same_user_as_approver);
  EXPECT_EQ(own.status, 403) << own.body;

  // One user record, under the name as first written; the second token is that user's.
  auto users = httpRequest(served.port(), "GET", "/api/v1/admin/users", "", admin);
  ASSERT_EQ(users.status, 200) << users.body;
  int clerk_records = 0;
  const json user_items = users.json()["items"];
  for (const auto& user : user_items)
    if (user["name"] == "Clerk1") {
      ++clerk_records;
      EXPECT_EQ(user["active_tokens"], 2);
    }
  EXPECT_EQ(clerk_records, 1) << users.body;
  EXPECT_EQ(httpRequest(served.port(), "POST", "/api/v1/admin/users", R"({"name":"CLERK1"})", admin)
                .status,
            409);
  auto added = httpRequest(served.port(), "POST", "/api/v1/admin/users",
                           R"({"name":"wang.fang","full_name":"王芳"})", admin);
  EXPECT_EQ(added.status, 201) << added.body;

  // An administrator of another county may not stop a user who works in this one.
  const auto other_admin = served.token("admin2", "admin", "350502");
  auto foreign =
      httpRequest(served.port(), "POST", "/api/v1/admin/users/clerk1/disable", "", other_admin);
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_NE(foreign.body.find("610902"), std::string::npos);

  // Disabling a user stops every token of theirs at once, and is audited.
  auto disabled =
      httpRequest(served.port(), "POST", "/api/v1/admin/users/clerk1/disable", "", admin);
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json()["active_tokens"], 0);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, clerk).status, 401);
  EXPECT_EQ(httpRequest(served.port(), "GET", kNotes, "", same_user_as_approver).status, 401);
  EXPECT_EQ(httpRequest(served.port(), "POST", confirm, "", approver).status, 200);

  // The trail carries each request's id; a module-scoped auditor reads only its module's rows.
  auto trail = httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit", "", auditor);
  ASSERT_EQ(trail.status, 200);
  bool found_request = false, found_disable = false;
  const json trail_items = trail.json()["items"];
  for (const auto& row : trail_items) {
    if (row["request_id"] == created.headers["X-Request-Id"]) found_request = true;
    if (row["action"] == "user.disable") found_disable = true;
  }
  EXPECT_TRUE(found_request);
  EXPECT_TRUE(found_disable);
  auto scoped =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit", "", marriage_auditor);
  ASSERT_EQ(scoped.status, 200);
  EXPECT_EQ(scoped.json()["total"], 0) << scoped.body;
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit?module=example", "",
                        marriage_auditor)
                .status,
            403);
  auto indicators = httpRequest(served.port(), "GET",
                                "/api/v1/counties/610902/indicators?from=2026-01-01&to=2026-12-31",
                                "", marriage_auditor);
  ASSERT_EQ(indicators.status, 200) << indicators.body;
  const json indicator_items = indicators.json()["indicators"];
  EXPECT_FALSE(indicator_items.empty());
  for (const auto& indicator : indicator_items) EXPECT_EQ(indicator["module"], "marriage");
}

TEST(PlatformServices, RefusalsAreKeptAsSecurityEventsAndTokensExpire) {
  Served served(sdk::Dialect::Sqlite, /*test_clock=*/true);
  const auto clerk = served.token("wang", "clerk");
  const auto other_county = served.token("chen", "clerk", "350502");
  const auto auditor = served.token("zhao", "auditor");
  const auto admin = served.token("root", "admin");

  auto ok = httpRequest(served.port(), "GET", kNotes, "", clerk);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.headers["Cache-Control"], "no-store");  // answers about people are not cached
  EXPECT_EQ(httpRequest(served.port(), "GET", kNotes, "", "civ_not_a_token").status, 401);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, other_county).status, 403);
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit", "", clerk).status,
            403);

  auto events =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/security-events", "", auditor);
  ASSERT_EQ(events.status, 200) << events.body;
  const json items = events.json()["items"];
  ASSERT_EQ(items.size(), 3u) << events.body;  // newest first
  EXPECT_EQ(items[0]["status"], 403);
  EXPECT_EQ(items[0]["user"], "wang");
  EXPECT_FALSE(items[0]["token_id"].is_null());
  EXPECT_EQ(items[0]["path"], "/api/v1/counties/610902/audit");
  EXPECT_EQ(items[1]["user"], "chen");
  EXPECT_EQ(items[1]["method"], "POST");
  EXPECT_NE(items[1]["reason"].get<std::string>().find("350502"), std::string::npos);
  EXPECT_EQ(items[2]["status"], 401);
  EXPECT_EQ(items[2]["user"], "");
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/security-events", "", clerk)
                .status,
            403);

  // A test-clock move is audited.
  ASSERT_TRUE(served.setToday(admin, "2026-03-02"));
  auto trail =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit?module=civ", "", auditor);
  bool clock_moved = false, token_issued = false;
  const json rows = trail.json()["items"];
  for (const auto& row : rows) {
    if (row["action"] == "clock.move") clock_moved = true;
    if (row["action"] == "token.issue" && row["entity_id"] == "wang") token_issued = true;
  }
  EXPECT_TRUE(clock_moved) << trail.body;
  EXPECT_TRUE(token_issued) << trail.body;

  // A token past its expiry is refused, saying so.
  {
    host::Database db(host::DatabaseUrl{sdk::Dialect::Sqlite, served.url()}, 1);
    db.pool().at(0) << "UPDATE civ_tokens SET expires_at = '2020-01-01T00:00:00+08:00'"
                       " WHERE user_name = 'wang'";
  }
  auto expired = httpRequest(served.port(), "GET", kNotes, "", clerk);
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.json()["detail"].get<std::string>().find("expired"), std::string::npos);
  CivhostProcess refused({"token", "issue", "--config", std::string(CIV_SOURCE_DIR) + "/config",
                          "--database", served.url(), "--user", "x", "--role", "clerk", "--county",
                          "610902", "--expires-in-days", "0"});
  EXPECT_NE(refused.waitForExit(), 0);

  // The refusal of a known token keeps its id, user and why; so does one of the admin API,
  // which no county lists: the host-wide list has it.
  auto refusals =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/security-events", "", auditor);
  ASSERT_EQ(refusals.status, 200) << refusals.body;
  const json newest = refusals.json()["items"][0];
  EXPECT_EQ(newest["status"], 401);
  EXPECT_EQ(newest["user"], "wang");
  EXPECT_FALSE(newest["token_id"].is_null());
  EXPECT_NE(newest["reason"].get<std::string>().find("token expired"), std::string::npos);
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/admin/users", "", auditor).status, 403);
  auto host_wide = httpRequest(served.port(), "GET", "/api/v1/admin/security-events", "", admin);
  ASSERT_EQ(host_wide.status, 200) << host_wide.body;
  ASSERT_GE(host_wide.json()["items"].size(), 1u);
  EXPECT_EQ(host_wide.json()["items"][0]["path"], "/api/v1/admin/users");
  EXPECT_EQ(host_wide.json()["items"][0]["status"], 403);
}

/// Runs `civhost audit verify` on `url`: exit code and output.
std::pair<int, std::string> verify(const std::string& url) {
  CivhostProcess process(
      {"audit", "verify", "--config", std::string(CIV_SOURCE_DIR) + "/config", "--database", url});
  const int code = process.waitForExit();
  return {code, process.stdoutText()};
}

class AuditTamper : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(AuditTamper, VerifyNamesTheRowAfterAnEditADeletionAndAnInsertion) {
  std::string url;
  testing::TestDatabase database(GetParam());
  url = database.url().connection;
  {
    CivhostProcess civhost({"serve", "--config", std::string(CIV_SOURCE_DIR) + "/config",
                            "--database", url, "--plugin-dir", CIV_PLUGIN_DIR, "--listen",
                            "127.0.0.1:0"});
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    const auto clerk = issueToken(url, "wang", "clerk", "610902");
    for (int i = 0; i < 5; ++i)
      ASSERT_EQ(httpRequest(civhost.port(), "POST", kNotes, kNote, clerk).status, 201);
    civhost.stop();
  }
  auto [ok_code, ok_text] = verify(url);
  EXPECT_EQ(ok_code, 0) << ok_text;
  // The token's issue (row 1) and the five notes.
  EXPECT_NE(ok_text.find("audit trail intact: 6 rows"), std::string::npos) << ok_text;

  host::Database db(database.url(), 1);
  soci::session& session = db.pool().at(0);
  const auto expectBroken = [&](const std::string& expected) {
    auto [code, text] = verify(url);
    EXPECT_EQ(code, 1) << text;
    EXPECT_NE(text.find(expected), std::string::npos) << text;
  };
  // An edit of row 3's summary.
  std::string original;
  session << "SELECT summary FROM civ_audit WHERE id = 3", soci::into(original);
  session << "UPDATE civ_audit SET summary = '{\"text\":{\"old\":null,\"new\":\"edited\"}}' WHERE "
             "id = 3";
  expectBroken("audit trail broken at row 3: row 3 was changed after it was written");
  session << "UPDATE civ_audit SET summary = :original WHERE id = 3", soci::use(original);
  EXPECT_EQ(verify(url).first, 0);
  // A deletion of row 2.
  session << "CREATE TABLE saved_row AS SELECT * FROM civ_audit WHERE id = 2";
  session << "DELETE FROM civ_audit WHERE id = 2";
  expectBroken("audit trail broken at row 3: row 2 is missing before row 3");
  session << "INSERT INTO civ_audit SELECT * FROM saved_row";
  EXPECT_EQ(verify(url).first, 0);
  // An insertion: a forged row 7 that copies row 6's hash as its predecessor but lies.
  std::string head;
  session << "SELECT hash FROM civ_audit WHERE id = 6", soci::into(head);
  session << "INSERT INTO civ_audit (id, at, user_name, role, county_code, module, action, "
             "entity_type, entity_id,"
             " summary, prev_hash, hash) VALUES (7, '2026-11-23T09:00:00+08:00', 'mallory', "
             "'clerk', '610902',"
             " 'example', 'note.create', 'note', '99', '{}', :head, 'forged')",
      soci::use(head);
  expectBroken("audit trail broken at row 7: row 7 was changed after it was written");
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditTamper,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

TEST(PlatformServices, AFutureParameterChangesNothingBeforeItsDateAndAppliesOnIt) {
  Served served(sdk::Dialect::Sqlite, /*test_clock=*/true);
  EXPECT_NE(served.process().stderrText().find("CIV_TEST_CLOCK=1"), std::string::npos);
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk");
  ASSERT_EQ(
      httpRequest(served.port(), "POST", "/api/v1/admin/clock", R"({"today":"2026-12-01"})", admin)
          .status,
      200);
  auto set = httpRequest(served.port(), "POST", "/api/v1/admin/parameters",
                         R"({"level":"610902","key":"example.max_note_length","value":"20",)"
                         R"("effective_from":"2027-01-01","reason":"区民政局 2026 年 12 月通知"})",
                         admin);
  ASSERT_EQ(set.status, 201) << set.body;
  const std::string long_note =
      R"({"citizen_id":"11010519491231002X","name":"张三","text":"这是一条超过二十个字的备注内容用于测试参数生效日期是否正确"})";
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, long_note, clerk).status,
            201);  // December: 600 (6109.yaml)
  auto listing = httpRequest(served.port(), "GET",
                             "/api/v1/admin/parameters?county=610902&module=example", "", admin);
  ASSERT_EQ(listing.status, 200);
  EXPECT_EQ(listing.json()["items"][0]["value"], "600");
  EXPECT_EQ(listing.json()["items"][0]["level"], "6109");

  ASSERT_EQ(
      httpRequest(served.port(), "POST", "/api/v1/admin/clock", R"({"today":"2027-01-01"})", admin)
          .status,
      200);
  auto refused = httpRequest(served.port(), "POST", kNotes, long_note, clerk);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["errors"][0]["rule"], "max_note_length");
  listing = httpRequest(served.port(), "GET",
                        "/api/v1/admin/parameters?county=610902&module=example", "", admin);
  EXPECT_EQ(listing.json()["items"][0]["value"], "20");
  EXPECT_EQ(listing.json()["items"][0]["level"], "610902");
  // 鲤城区 is not under 610902: unchanged.
  const auto clerk_quanzhou = served.token("lin", "clerk", "350502");
  EXPECT_EQ(httpRequest(served.port(), "POST", "/api/v1/counties/350502/example/notes", long_note,
                        clerk_quanzhou)
                .status,
            201);
}

TEST(PlatformServices, AFutureValueIsWithdrawnOrReplacedBeforeItsDateAndMoneyNeedsTwoAdmins) {
  Served served(sdk::Dialect::Sqlite, /*test_clock=*/true);
  const auto admin = served.token("root", "admin", "610902");
  const auto second_admin = served.token("qian", "admin", "610902");
  const auto clerk = served.token("wang", "clerk");
  const auto post = [&](const std::string& path, const std::string& body, const std::string& as) {
    return httpRequest(served.port(), "POST", "/api/v1/admin/" + path, body, as);
  };
  ASSERT_TRUE(served.setToday(admin, "2026-12-01"));
  // A non-money value: withdrawn at once, audited; clerks read what is in force (read-only).
  ASSERT_EQ(post("parameters",
                 R"({"level":"610902","key":"example.max_note_length","value":"20",)"
                 R"("effective_from":"2027-01-01","reason":"通知"})",
                 admin)
                .status,
            201);
  auto withdrawn = post("parameters/changes",
                        R"({"action":"withdraw","level":"610902","key":"example.max_note_length",)"
                        R"("effective_from":"2027-01-01","reason":"通知撤回"})",
                        admin);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(withdrawn.json()["status"], "applied");
  ASSERT_TRUE(served.setToday(admin, "2027-01-02"));
  auto in_force = httpRequest(served.port(), "GET",
                              "/api/v1/counties/610902/parameters?module=example", "", clerk);
  ASSERT_EQ(in_force.status, 200) << in_force.body;
  EXPECT_EQ(in_force.json()["parameters"][0]["value"], "600");  // 6109.yaml, not the withdrawn 20
  EXPECT_EQ(
      httpRequest(served.port(), "POST", "/api/v1/counties/610902/parameters", "{}", clerk).status,
      405);

  // A money value: the replacement waits for a second administrator, not the proposer.
  const std::string key = "social_assistance.dibao.standard.urban";
  ASSERT_EQ(post("parameters",
                 R"({"level":"610902","key":")" + key +
                     R"(","value":"800.00","effective_from":"2027-07-01","reason":"调标"})",
                 admin)
                .status,
            201);
  auto proposed = post("parameters/changes",
                       R"({"action":"replace","level":"610902","key":")" + key +
                           R"(","effective_from":"2027-07-01","value":"820.00","reason":"更正"})",
                       admin);
  ASSERT_EQ(proposed.status, 202) << proposed.body;
  EXPECT_EQ(proposed.json()["status"], "pending");
  const std::string confirm =
      "parameters/changes/" + std::to_string(proposed.json()["id"].get<int>()) + "/confirmation";
  EXPECT_EQ(post(confirm, "", admin).status, 403);  // four-eyes
  auto listing =
      httpRequest(served.port(), "GET",
                  "/api/v1/admin/parameters?county=610902&module=social_assistance", "", admin);
  bool still_800 = false;
  const json listed = listing.json();
  for (const auto& item : listed["items"])
    if (item["key"] == key)
      for (const auto& h : item["history"])
        if (h["effective_from"] == "2027-07-01" && h["value"] == "800.00") still_800 = true;
  EXPECT_TRUE(still_800) << listing.body;
  auto confirmed = post(confirm, "", second_admin);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["decided_by"], "qian");
  EXPECT_EQ(post(confirm, "", second_admin).status, 409);
  ASSERT_TRUE(served.setToday(admin, "2027-07-01"));
  in_force = httpRequest(served.port(), "GET",
                         "/api/v1/counties/610902/parameters?module=social_assistance", "", clerk);
  bool replaced = false;
  const json parameters = in_force.json();
  for (const auto& item : parameters["parameters"])
    if (item["key"] == key) replaced = item["value"] == "820.00";
  EXPECT_TRUE(replaced) << in_force.body;
  // A value in effect is history: never withdrawn.
  auto too_late = post("parameters/changes",
                       R"({"action":"withdraw","level":"610902","key":")" + key +
                           R"(","effective_from":"2027-07-01","reason":"x"})",
                       admin);
  EXPECT_EQ(too_late.status, 409) << too_late.body;
  // Each step left audit rows in the county with old and new values.
  auto trail =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit?entity_type=parameter", "",
                  served.token("zhao", "auditor"));
  std::set<std::string> actions;
  const json rows = trail.json();
  for (const auto& row : rows["items"]) actions.insert(row["action"]);
  for (const char* action :
       {"parameter.set", "parameter.withdraw", "parameter.change_proposed", "parameter.replace"})
    EXPECT_TRUE(actions.count(action)) << action << " in " << trail.body;
}

TEST(PlatformServices, AdminChangesAreCheckedAndNeverRewriteHistory) {
  Served served(sdk::Dialect::Sqlite);
  const auto admin = served.token("root", "admin", "610902");
  const auto post = [&](const std::string& body) {
    return httpRequest(served.port(), "POST", "/api/v1/admin/parameters", body, admin);
  };
  auto below = post(
      R"({"level":"610902","key":"example.max_note_length","value":"5","effective_from":"2099-01-01","reason":"x"})");
  EXPECT_EQ(below.status, 422);
  EXPECT_EQ(below.json()["errors"][0]["field"], "value");
  auto past = post(
      R"({"level":"610902","key":"example.max_note_length","value":"50","effective_from":"2020-01-01","reason":"x"})");
  EXPECT_EQ(past.status, 422);
  EXPECT_EQ(past.json()["errors"][0]["rule"], "not_past");
  auto wider = post(
      R"({"level":"35","key":"example.max_note_length","value":"50","effective_from":"2099-01-01","reason":"x"})");
  EXPECT_EQ(wider.status, 403);  // the admin holds 610902 only
  EXPECT_EQ(
      post(
          R"({"level":"610902","key":"example.max_note_length","value":"50","effective_from":"2099-01-01","reason":"x"})")
          .status,
      201);
  EXPECT_EQ(
      post(
          R"({"level":"610902","key":"example.max_note_length","value":"60","effective_from":"2099-01-01","reason":"x"})")
          .status,
      409);
  EXPECT_EQ(
      httpRequest(served.port(), "POST", "/api/v1/admin/clock", R"({"today":"2027-01-01"})", admin)
          .status,
      404);
  const auto clerk = served.token("wang", "clerk");
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/admin/counties", "", clerk).status, 403);
  auto counties = httpRequest(served.port(), "GET", "/api/v1/admin/counties", "", admin);
  ASSERT_EQ(counties.status, 200);
  EXPECT_EQ(counties.json()["items"].size(), 1u);
  EXPECT_EQ(counties.json()["total"], 1);
  EXPECT_EQ(counties.json()["items"][0]["modules"][0], "example");
}

TEST(PlatformServices, TheApiDocumentIsValidOpenApi30AndMetricsCountRequests) {
  Served served(sdk::Dialect::Sqlite);
  const auto clerk = served.token("wang", "clerk");
  ASSERT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, clerk).status, 201);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote).status, 401);
  auto document = httpRequest(served.port(), "GET", "/api/openapi.json");
  ASSERT_EQ(document.status, 200);
  const auto api = document.json();
  EXPECT_EQ(api["openapi"], "3.0.3");
  EXPECT_EQ(api["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
  EXPECT_TRUE(api["paths"].contains("/api/v1/counties/{county}/example/notes/{id}/confirm"));
  EXPECT_TRUE(api["paths"].contains("/api/v1/admin/parameters"));
  // The host's own endpoints are routes of the same table, declared like a module's: the
  // document and the routing come from one source.
  EXPECT_EQ(api["paths"]["/api/v1/counties/{county}/audit"]["get"]["x-civ-permission"], "audit");
  EXPECT_EQ(api["paths"]["/api/v1/admin/users/{name}/disable"]["post"]["x-civ-permission"],
            "administer");
  EXPECT_TRUE(
      api["paths"]["/api/v1/counties/{county}/indicators"]["get"]["responses"]["200"]["content"]
         ["application/json"]["schema"]["properties"]["indicators"]["items"]["properties"]
             .contains("by_township"));
  auto wrong_method =
      httpRequest(served.port(), "POST", "/api/v1/counties/610902/audit", "", clerk);
  EXPECT_EQ(wrong_method.status, 405) << wrong_method.body;
  EXPECT_EQ(wrong_method.headers["Allow"], "GET");
  auto unknown_query = httpRequest(served.port(), "GET",
                                   "/api/v1/counties/610902/indicators?from=2026-01-01&to="
                                   "2026-12-31&township=x",
                                   "", clerk);
  EXPECT_EQ(unknown_query.status, 400) << unknown_query.body;
  EXPECT_NE(unknown_query.body.find("township"), std::string::npos);
  EXPECT_EQ(api["paths"]["/api/v1/counties/{county}/example/notes"]["post"]["requestBody"]
               ["content"]["application/json"]["schema"]["additionalProperties"],
            false);
  const fs::path file = testing::makeTempDirectory("civ-openapi") / "openapi.json";
  std::ofstream(file) << document.body;
  const std::string command = "perl " + std::string(CIV_SOURCE_DIR) +
                              "/tests/e2e/validate_openapi.pl " + file.string() + " > " +
                              file.string() + ".out 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream out(file.string() + ".out");
  std::stringstream text;
  text << out.rdbuf();
  EXPECT_EQ(status, 0) << text.str();
  fs::remove_all(file.parent_path());

  auto metrics = httpRequest(served.port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find(
                "civ_http_requests_total{module=\"example\",route=\"/notes\",status=\"201\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("civ_plugin_state{plugin=\"example\",state=\"started\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("civ_http_request_duration_seconds_count{module=\"example\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("civ_events_pending 0"), std::string::npos);
}

TEST(PlatformServices, AFullDiskAnswers503AndHealthSaysWritesFailUntilTheyWorkAgain) {
  Served served(sdk::Dialect::Sqlite);
  const auto clerk = served.token("wang", "clerk");
  ASSERT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, clerk).status, 201);
  const auto stored = httpRequest(served.port(), "GET", kNotes, "", clerk).json()["total"];

  // Every file civhost writes is capped at 0 bytes: the database write fails as on a full disk.
  served.process().setFileSizeLimit(0);
  auto refused = httpRequest(served.port(), "POST", kNotes, kNote, clerk);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.json()["type"], "urn:civ:problem:storage-unavailable");
  EXPECT_EQ(refused.headers["Retry-After"], "30");
  EXPECT_FALSE(refused.headers["X-Request-Id"].empty());  // refusals name their request too
  auto health = httpRequest(served.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 503) << health.body;
  EXPECT_EQ(health.json()["storage"]["writes"], "failing");
  // Reads go on, and nothing of the refused write was kept.
  auto listed = httpRequest(served.port(), "GET", kNotes, "", clerk);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json()["total"], stored);

  served.process().setFileSizeLimit(std::nullopt);
  EXPECT_EQ(httpRequest(served.port(), "POST", kNotes, kNote, clerk).status, 201);
  EXPECT_EQ(httpRequest(served.port(), "GET", "/healthz").status, 200);
}

/// Polls `query` (a COUNT) until it returns at least `want` or 20 s pass; the last count.
long long waitForCount(soci::session& session, const std::string& query, long long want) {
  long long count = 0;
  for (int i = 0; i < 400; ++i) {
    session << query, soci::into(count);
    if (count >= want) return count;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return count;
}

class EventCrash : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(EventCrash, AnEventCommittedBeforeAKillIsDeliveredOnceAfterTheRestart) {
  testing::TestDatabase database(GetParam());
  const std::string url = database.url().connection;
  const fs::path work = testing::makeTempDirectory("civ-event-crash");
  fs::create_directories(work / "config");
  fs::copy(fs::path(CIV_SOURCE_DIR) / "config", work / "config", fs::copy_options::recursive);
  std::ofstream(work / "config/counties/610902.yaml")
      << "code: \"610902\"\nname: {zh: 汉滨区}\nmodules: [example, event_source, event_sink]\n";
  const fs::path flag = work / "sink-down";
  std::ofstream(flag) << "down";
  setenv("CIV_TEST_SINK_FAIL_FILE", flag.c_str(), 1);
  const std::vector<std::string> serve = {
      "serve",      "--config",     (work / "config").string(), "--database",
      url,          "--plugin-dir", CIV_TEST_PLUGIN_DIR,        "--listen",
      "127.0.0.1:0"};
  host::Database db(database.url(), 1);
  {
    CivhostProcess civhost(serve);
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    const auto clerk = issueToken(url, "wang", "clerk", "610902");
    auto published = httpRequest(civhost.port(), "POST",
                                 "/api/v1/counties/610902/event_source/ping", R"({"n": 7})", clerk);
    ASSERT_EQ(published.status, 200) << published.body;
    // Committed, attempted, failed: the sink is down. Now the process dies.
    EXPECT_EQ(waitForCount(db.pool().at(0), "SELECT COUNT(*) FROM civ_delivery_failures", 1), 1);
    civhost.killHard();
  }
  long long effects = -1;
  db.pool().at(0) << "SELECT COUNT(*) FROM event_sink_effects", soci::into(effects);
  EXPECT_EQ(effects, 0);
  fs::remove(flag);
  {
    CivhostProcess restarted(serve);
    ASSERT_TRUE(restarted.waitUntilListening()) << restarted.stderrText();
    EXPECT_EQ(waitForCount(db.pool().at(0), "SELECT COUNT(*) FROM event_sink_effects", 1), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // more delivery passes run
    restarted.stop();
  }
  unsetenv("CIV_TEST_SINK_FAIL_FILE");
  soci::session& session = db.pool().at(0);
  long long n = 0;
  session << "SELECT COUNT(*) FROM event_sink_effects", soci::into(effects);
  session << "SELECT n FROM event_sink_effects", soci::into(n);
  long long deliveries = 0;
  session << "SELECT COUNT(*) FROM civ_deliveries WHERE subscriber = 'event_sink.effects'",
      soci::into(deliveries);
  long long failures = 0;
  session << "SELECT COUNT(*) FROM civ_delivery_failures", soci::into(failures);
  EXPECT_EQ(effects, 1);
  EXPECT_EQ(n, 7);
  EXPECT_EQ(deliveries, 1);
  EXPECT_EQ(failures, 0);
  fs::remove_all(work);
}

class FaultyModule : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(FaultyModule, FailsAloneWhileTheOtherModulesKeepAnswering) {
  testing::TestDatabase database(GetParam());
  const std::string url = database.url().connection;
  const fs::path work = testing::makeTempDirectory("civ-faulty");
  fs::copy(fs::path(CIV_SOURCE_DIR) / "config", work / "config", fs::copy_options::recursive);
  std::ofstream(work / "config/counties/610902.yaml")
      << "code: \"610902\"\nname: {zh: 汉滨区}\n"
         "modules: [example, event_source, event_sink, faulty]\n";
  fs::create_directories(work / "plugins");
  for (const char* folder : {"event_source", "event_sink", "faulty"})
    fs::copy(fs::path(CIV_TEST_PLUGIN_DIR) / folder, work / "plugins" / folder,
             fs::copy_options::recursive);
  fs::copy(fs::path(CIV_PLUGIN_DIR) / "example", work / "plugins/example",
           fs::copy_options::recursive);
  CivhostProcess civhost({"serve", "--config", (work / "config").string(), "--database", url,
                          "--plugin-dir", (work / "plugins").string(), "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  const auto clerk = issueToken(url, "wang", "clerk", "610902");
  const std::string faulty = "/api/v1/counties/610902/faulty";
  host::Database db(database.url(), 1);
  const auto count = [&](const std::string& sql) {
    long long n = 0;
    db.pool().at(0) << sql, soci::into(n);
    return n;
  };

  // The handler wrote, then threw: a 500 that tells nothing of the inside, and no write.
  const auto failed =
      httpRequest(civhost.port(), "POST", faulty + "/write-then-throw", "{}", clerk);
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.content_type, "application/problem+json");
  EXPECT_EQ(failed.json()["type"], "urn:civ:problem:internal-error") << failed.body;
  EXPECT_EQ(failed.body.find("secret-path"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM faulty_writes"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_audit WHERE module = 'faulty'"), 0);
  const auto anything = httpRequest(civhost.port(), "GET", faulty + "/throw-anything", "", clerk);
  EXPECT_EQ(anything.status, 500);
  EXPECT_EQ(anything.content_type, "application/problem+json");

  // Meanwhile, from several connections at once, the other modules answer and write.
  std::vector<std::thread> clients;
  std::atomic<int> written = 0, errors = 0;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        const auto thrown =
            httpRequest(civhost.port(), "POST", faulty + "/write-then-throw", "{}", clerk);
        const auto note = httpRequest(civhost.port(), "POST", kNotes, kNote, clerk);
        if (thrown.status == 500 && note.status == 201) {
          ++written;
        } else {
          ++errors;
          ADD_FAILURE() << thrown.status << " " << thrown.body << "\n"
                        << note.status << " " << note.body;
        }
      }
    });
  for (auto& client : clients) client.join();
  EXPECT_EQ(written, 40);
  EXPECT_EQ(errors, 0) << civhost.stdoutText() << civhost.stderrText();
  EXPECT_EQ(count("SELECT COUNT(*) FROM faulty_writes"), 0);
  EXPECT_EQ(httpRequest(civhost.port(), "GET", "/healthz").status, 200);

  // A subscriber that always fails is retried with backoff; the other subscriber of the same
  // event gets it at once, and later events still flow.
  for (int n : {1, 2})
    ASSERT_EQ(httpRequest(civhost.port(), "POST", "/api/v1/counties/610902/event_source/ping",
                          json{{"n", n}}.dump(), clerk)
                  .status,
              200);
  EXPECT_EQ(waitForCount(db.pool().at(0), "SELECT COUNT(*) FROM event_sink_effects", 2), 2);
  EXPECT_EQ(waitForCount(db.pool().at(0),
                         "SELECT COUNT(*) FROM civ_delivery_failures WHERE subscriber ="
                         " 'faulty.always_fails' AND attempts >= 3",
                         2),
            2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_deliveries WHERE subscriber = 'faulty.always_fails'"),
            0);
  EXPECT_EQ(httpRequest(civhost.port(), "POST", kNotes, kNote, clerk).status, 201);
  EXPECT_EQ(civhost.stop(), 0);
  EXPECT_NE((civhost.stdoutText() + civhost.stderrText()).find("the archive service is down"),
            std::string::npos);
  fs::remove_all(work);
}

INSTANTIATE_TEST_SUITE_P(Engines, FaultyModule,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

INSTANTIATE_TEST_SUITE_P(Engines, EventCrash,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
