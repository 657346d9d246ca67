// Sign-in for people (the console's session API) through a real civhost: accounts made by an
// administrator, the forced change of the initial password, CSRF tokens on writes, the lock-out,
// timeouts on the host clock, sign-out, and every step in the audit trail.
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;
using testing::httpRequestWithHeaders;

const std::string kInitial = "Initial-Passw0rd";
const std::string kHouseholds = "/api/v1/counties/610902/social_assistance/households";

class ConsoleSignIn : public ::testing::TestWithParam<sdk::Dialect> {};

/// A browser: the cookie it was given and the CSRF token the console keeps.
struct Browser {
  int port = 0;
  std::string cookie;
  std::string csrf;

  testing::HttpResult call(const std::string& method, const std::string& target,
                           const std::string& body = "", bool with_csrf = true) const {
    std::map<std::string, std::string> headers;
    if (!cookie.empty()) headers["Cookie"] = cookie;
    if (with_csrf && !csrf.empty()) headers["X-CSRF-Token"] = csrf;
    return httpRequestWithHeaders(port, method, target, headers, body);
  }
};

testing::HttpResult signIn(int port, const std::string& user, const std::string& password,
                           Browser* browser = nullptr) {
  auto result = httpRequest(port, "POST", "/api/v1/session",
                            json{{"user", user}, {"password", password}}.dump());
  if (browser != nullptr && result.status == 201) {
    const std::string set_cookie = result.headers["Set-Cookie"];
    browser->port = port;
    browser->cookie = set_cookie.substr(0, set_cookie.find(';'));
    browser->csrf = result.json()["csrf_token"];
  }
  return result;
}

void addAccount(testing::ServedCivhost& served, const std::string& admin, const std::string& name,
                const std::string& role, const json& extra = json::object()) {
  json body = {{"name", name},
               {"full_name", "张三"},
               {"role", role},
               {"counties", {"610902"}},
               {"initial_password", kInitial}};
  body.update(extra);
  auto added = httpRequest(served.port(), "POST", "/api/v1/admin/users", body.dump(), admin);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json()["account"]["role"], role);
  EXPECT_EQ(added.json()["account"]["must_change_password"], true);
}

/// The actions of the audit rows about user `name` in 610902, oldest first.
std::vector<std::string> auditActions(testing::ServedCivhost& served, const std::string& auditor,
                                      const std::string& name) {
  auto trail =
      httpRequest(served.port(), "GET",
                  "/api/v1/counties/610902/audit?entity_type=user&entity_id=" + name, "", auditor);
  std::vector<std::string> actions;
  const json rows = trail.json()["items"];  // kept: a temporary's element would dangle
  for (const auto& row : rows) actions.push_back(row["action"]);
  return actions;
}

TEST_P(ConsoleSignIn, InitialPasswordChangeCsrfAndSignOutAllAudited) {
  testing::ServedCivhost served(GetParam());
  const auto admin = served.token("root", "admin");
  const auto auditor = served.token("zhao", "auditor");
  addAccount(served, admin, "clerk1", "clerk");

  Browser browser;
  auto signed_in = signIn(served.port(), "CLERK1", kInitial, &browser);  // names ignore case
  ASSERT_EQ(signed_in.status, 201) << signed_in.body;
  const std::string set_cookie = signed_in.headers["Set-Cookie"];
  EXPECT_NE(set_cookie.find("civ_session="), std::string::npos);
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP on loopback
  const json session = signed_in.json();
  EXPECT_EQ(session["user"], "clerk1");
  EXPECT_EQ(session["role"], "clerk");
  EXPECT_EQ(session["must_change_password"], true);
  ASSERT_EQ(session["counties"].size(), 1u);
  EXPECT_EQ(session["counties"][0]["name"]["zh"], "汉滨区");

  // The initial password opens nothing but its own change.
  auto before_change = browser.call("GET", kHouseholds);
  EXPECT_EQ(before_change.status, 403);
  EXPECT_EQ(before_change.json()["type"], "urn:civ:problem:password-change-required");
  const std::string change = "/api/v1/session/password";
  auto no_csrf = browser.call(
      "PUT", change,
      json{{"current_password", kInitial}, {"new_password", "Newer-Pass-2026"}}.dump(), false);
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(no_csrf.json()["type"], "urn:civ:problem:csrf-refused");
  auto weak =
      browser.call("PUT", change,
                   json{{"current_password", kInitial}, {"new_password", "onlylowercase"}}.dump());
  ASSERT_EQ(weak.status, 400);
  EXPECT_EQ(weak.json()["errors"][0]["field"], "new_password");
  EXPECT_EQ(weak.json()["errors"][0]["rule"], "character-classes");
  auto same = browser.call("PUT", change,
                           json{{"current_password", kInitial}, {"new_password", kInitial}}.dump());
  ASSERT_EQ(same.status, 400);
  EXPECT_EQ(same.json()["errors"][0]["rule"], "reused");
  auto named =
      browser.call("PUT", change,
                   json{{"current_password", kInitial}, {"new_password", "Clerk1-is-me!"}}.dump());
  ASSERT_EQ(named.status, 400);
  EXPECT_EQ(named.json()["errors"][0]["rule"], "contains-user-name");
  ASSERT_EQ(
      browser
          .call("PUT", change,
                json{{"current_password", kInitial}, {"new_password", "Newer-Pass-2026"}}.dump())
          .status,
      204);

  // Reads go with the cookie; a write without the CSRF token changes nothing.
  auto list = browser.call("GET", kHouseholds);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json()["total"], 0);
  const std::string household =
      R"({"category":"rural","township":"关庙镇","village":"张岭村","hukou_address":"关庙镇张岭村",
          "residence_address":"关庙镇张岭村","members":[{"citizen_id":"11010519491231002X",
          "name":"张三","relationship":"applicant","lives_together":true,
          "inclusion_reason":"申请人","work_capacity":"none"}]})";
  auto forged = browser.call("POST", kHouseholds, household, false);
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(forged.json()["type"], "urn:civ:problem:csrf-refused");
  auto wrong_token = browser;
  wrong_token.csrf = std::string(48, 'a');
  EXPECT_EQ(wrong_token.call("POST", kHouseholds, household).status, 403);
  EXPECT_EQ(browser.call("GET", kHouseholds).json()["total"], 0);
  auto created = browser.call("POST", kHouseholds, household);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(browser.call("GET", kHouseholds).json()["total"], 1);

  // Signing out ends the session for good.
  EXPECT_EQ(browser.call("DELETE", "/api/v1/session", "", false).status, 403);  // CSRF too
  auto signed_out = browser.call("DELETE", "/api/v1/session");
  EXPECT_EQ(signed_out.status, 204);
  EXPECT_NE(signed_out.headers["Set-Cookie"].find("Max-Age=0"), std::string::npos);
  auto after = browser.call("GET", kHouseholds);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.json()["type"], "urn:civ:problem:session-ended");
  EXPECT_EQ(signIn(served.port(), "clerk1", kInitial).status, 401);  // the old password is gone
  EXPECT_EQ(signIn(served.port(), "clerk1", "Newer-Pass-2026").status, 201);

  const auto actions = auditActions(served, auditor, "clerk1");
  const std::vector<std::string> expected = {
      "user.add",         "session.sign_in",        "account.password_change",
      "session.sign_out", "session.sign_in_failed", "session.sign_in"};
  EXPECT_EQ(actions, expected);
}

TEST_P(ConsoleSignIn, LockOutAfterFiveFailuresIsAuditedAndAnAdministratorUnlocks) {
  testing::ServedCivhost served(GetParam());
  const auto admin = served.token("root", "admin");
  const auto auditor = served.token("zhao", "auditor");
  addAccount(served, admin, "clerk2", "clerk");

  // An unknown name and a wrong password get the same answer.
  auto unknown = signIn(served.port(), "nobody", kInitial);
  auto wrong = signIn(served.port(), "clerk2", "Wrong-Passw0rd");
  ASSERT_EQ(unknown.status, 401);
  ASSERT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.json()["detail"], wrong.json()["detail"]);
  for (int attempt = 2; attempt <= 4; ++attempt)
    EXPECT_EQ(signIn(served.port(), "clerk2", "Wrong-Passw0rd").status, 401) << attempt;
  auto fifth = signIn(served.port(), "clerk2", "Wrong-Passw0rd");
  ASSERT_EQ(fifth.status, 423) << fifth.body;
  EXPECT_EQ(fifth.json()["type"], "urn:civ:problem:account-locked");
  // Locked: even the right password is refused.
  auto right = signIn(served.port(), "clerk2", kInitial);
  EXPECT_EQ(right.status, 423);

  auto users = httpRequest(served.port(), "GET", "/api/v1/admin/users", "", admin).json();
  json account;
  for (const auto& user : users["items"])
    if (user["name"] == "clerk2") account = user["account"];
  EXPECT_EQ(account["failed_sign_ins"], 5);
  EXPECT_TRUE(account["locked_until"].is_string());

  auto events = httpRequest(served.port(), "GET", "/api/v1/admin/security-events", "", admin);
  ASSERT_EQ(events.status, 200);
  int failures = 0;
  const json items = events.json()["items"];
  for (const auto& event : items)
    if (event["path"] == "/api/v1/session") ++failures;
  EXPECT_EQ(failures, 7);  // the unknown user, five wrong passwords, one while locked

  ASSERT_EQ(
      httpRequest(served.port(), "POST", "/api/v1/admin/users/clerk2/unlock", "", admin).status,
      200);
  EXPECT_EQ(
      httpRequest(served.port(), "POST", "/api/v1/admin/users/clerk2/unlock", "", admin).status,
      409);  // nothing to unlock
  EXPECT_EQ(signIn(served.port(), "clerk2", kInitial).status, 201);

  const auto actions = auditActions(served, auditor, "clerk2");
  const std::vector<std::string> expected = {"user.add",
                                             "session.sign_in_failed",
                                             "session.sign_in_failed",
                                             "session.sign_in_failed",
                                             "session.sign_in_failed",
                                             "session.sign_in_failed",
                                             "account.lock",
                                             "session.sign_in_refused",
                                             "user.unlock",
                                             "session.sign_in"};
  EXPECT_EQ(actions, expected);
}

TEST_P(ConsoleSignIn, AnIdleSessionEndsOnTheHostClockAndGrantChangesEndSessions) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const auto admin = served.token("root", "admin");
  addAccount(served, admin, "clerk3", "clerk");
  Browser browser;
  ASSERT_EQ(signIn(served.port(), "clerk3", kInitial, &browser).status, 201);
  ASSERT_EQ(
      browser
          .call("PUT", "/api/v1/session/password",
                json{{"current_password", kInitial}, {"new_password", "Newer-Pass-2026"}}.dump())
          .status,
      204);
  ASSERT_EQ(browser.call("GET", kHouseholds).status, 200);
  // A day later (more than the 30 minutes of host.yaml) the session has ended.
  ASSERT_TRUE(served.setToday(admin, "2027-06-02"));
  auto idle = browser.call("GET", kHouseholds);
  EXPECT_EQ(idle.status, 401);
  EXPECT_EQ(idle.json()["type"], "urn:civ:problem:session-ended");
  EXPECT_NE(idle.json()["detail"].get<std::string>().find("without use"), std::string::npos);

  // A new role takes effect at once: the sessions opened under the old one end.
  ASSERT_EQ(signIn(served.port(), "clerk3", "Newer-Pass-2026", &browser).status, 201);
  ASSERT_EQ(browser.call("GET", kHouseholds).status, 200);
  auto patched = httpRequest(served.port(), "PATCH", "/api/v1/admin/users/clerk3",
                             R"({"role":"reviewer","townships":["关庙镇"]})", admin);
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["account"]["role"], "reviewer");
  EXPECT_EQ(browser.call("GET", kHouseholds).status, 401);
  auto again = signIn(served.port(), "clerk3", "Newer-Pass-2026");
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.json()["role"], "reviewer");
  EXPECT_EQ(again.json()["townships"], json::array({"关庙镇"}));
}

TEST_P(ConsoleSignIn, AdministratorsActOnlyWithinTheirCountiesAndNeverOnThemselves) {
  testing::ServedCivhost served(GetParam());
  const auto admin = served.token("root", "admin");
  const auto other_admin = served.token("lin", "admin", "350502");
  const auto clerk_token = served.token("wang", "clerk");
  addAccount(served, admin, "clerk4", "clerk");
  const std::string body =
      R"({"name":"clerk5","role":"clerk","counties":["610902"],"initial_password":"Initial-Passw0rd"})";
  EXPECT_EQ(httpRequest(served.port(), "POST", "/api/v1/admin/users", body, other_admin).status,
            403);
  EXPECT_EQ(httpRequest(served.port(), "POST", "/api/v1/admin/users", body, clerk_token).status,
            403);
  auto weak = httpRequest(
      served.port(), "POST", "/api/v1/admin/users",
      R"({"name":"clerk6","role":"clerk","counties":["610902"],"initial_password":"short"})",
      admin);
  ASSERT_EQ(weak.status, 422);
  EXPECT_EQ(weak.json()["errors"][0]["field"], "initial_password");
  auto no_role = httpRequest(served.port(), "POST", "/api/v1/admin/users",
                             R"({"name":"clerk7","initial_password":"Initial-Passw0rd"})", admin);
  ASSERT_EQ(no_role.status, 422);
  EXPECT_EQ(no_role.json()["errors"][0]["field"], "role");
  // Nothing of the refused requests was kept.
  auto users = httpRequest(served.port(), "GET", "/api/v1/admin/users", "", admin).json();
  for (const auto& user : users["items"])
    EXPECT_TRUE(user["name"] != "clerk5" && user["name"] != "clerk6" && user["name"] != "clerk7");

  EXPECT_EQ(httpRequest(served.port(), "POST", "/api/v1/admin/users/clerk4/password-reset",
                        R"({"initial_password":"Another-Passw0rd"})", other_admin)
                .status,
            403);
  EXPECT_EQ(
      httpRequest(served.port(), "PATCH", "/api/v1/admin/users/root", R"({"role":"clerk"})", admin)
          .status,
      409);
  auto reset = httpRequest(served.port(), "POST", "/api/v1/admin/users/clerk4/password-reset",
                           R"({"initial_password":"Another-Passw0rd"})", admin);
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(signIn(served.port(), "clerk4", kInitial).status, 401);
  auto signed_in = signIn(served.port(), "clerk4", "Another-Passw0rd");
  ASSERT_EQ(signed_in.status, 201);
  EXPECT_EQ(signed_in.json()["must_change_password"], true);
}

INSTANTIATE_TEST_SUITE_P(Engines, ConsoleSignIn,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) {
                           return info.param == sdk::Dialect::Sqlite ? "Sqlite" : "Postgresql";
                         });

}  // namespace
}  // namespace civ
