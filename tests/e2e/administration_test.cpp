// Administration the console offers beyond users: API tokens issued (shown once), listed and
// revoked by an administrator of their counties, and the audit chain verified, over real HTTP.
#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

class Administration : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(Administration, TokensIssuedListedAndRevokedWithinTheAdministratorsCounties) {
  testing::ServedCivhost served(GetParam());
  const auto admin = served.token("root", "admin");
  const auto other_admin = served.token("lin", "admin", "350502");
  const auto auditor = served.token("zhao", "auditor");

  auto issued = httpRequest(served.port(), "POST", "/api/v1/admin/tokens",
                            R"({"user":"bank_job","role":"auditor","counties":["610902"],
                                "modules":["social_assistance"],"expires_in_days":30})",
                            admin);
  ASSERT_EQ(issued.status, 201) << issued.body;
  const std::string token = issued.json()["token"];
  const auto id = issued.json()["record"]["id"].get<std::int64_t>();
  EXPECT_EQ(issued.json()["record"]["user"], "bank_job");
  EXPECT_TRUE(issued.json()["record"]["revoked_at"].is_null());
  // The new token works within its scope and only there.
  EXPECT_EQ(httpRequest(served.port(), "GET",
                        "/api/v1/counties/610902/social_assistance/households", "", token)
                .status,
            200);
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/funeral/deaths", "", token)
                .status,
            403);

  // Listed for its county's administrator, never with its value; not for another county's.
  auto mine = httpRequest(served.port(), "GET", "/api/v1/admin/tokens", "", admin);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body.find(token), std::string::npos);
  bool listed = false;
  const json items = mine.json()["items"];
  for (const auto& item : items) listed = listed || item["id"] == id;
  EXPECT_TRUE(listed);
  const json theirs = httpRequest(served.port(), "GET", "/api/v1/admin/tokens", "", other_admin)
                          .json()["items"];
  for (const auto& item : theirs) EXPECT_NE(item["id"], id);

  // A bad grant names its field and leaves nothing behind.
  auto bad = httpRequest(served.port(), "POST", "/api/v1/admin/tokens",
                         R"({"user":"x","role":"clerk","counties":["610902"],"modules":["Bad!"]})",
                         admin);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json()["errors"][0]["field"], "modules");
  EXPECT_EQ(httpRequest(served.port(), "POST", "/api/v1/admin/tokens",
                        R"({"user":"x","role":"clerk","counties":["610902"]})", other_admin)
                .status,
            403);

  const std::string revoke = "/api/v1/admin/tokens/" + std::to_string(id) + "/revoke";
  EXPECT_EQ(httpRequest(served.port(), "POST", revoke, "", other_admin).status, 403);
  auto revoked = httpRequest(served.port(), "POST", revoke, "", admin);
  ASSERT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_TRUE(revoked.json()["revoked_at"].is_string());
  EXPECT_EQ(httpRequest(served.port(), "POST", revoke, "", admin).status, 409);
  EXPECT_EQ(httpRequest(served.port(), "GET",
                        "/api/v1/counties/610902/social_assistance/households", "", token)
                .status,
            401);

  auto trail = httpRequest(served.port(), "GET",
                           "/api/v1/counties/610902/audit?entity_type=token&entity_id=bank_job", "",
                           auditor);
  const json rows = trail.json()["items"];
  ASSERT_EQ(rows.size(), 2u) << trail.body;
  EXPECT_EQ(rows[0]["action"], "token.issue");
  EXPECT_EQ(rows[0]["user"], "root");
  EXPECT_EQ(rows[1]["action"], "token.revoke");

  auto verified = httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit/verification",
                              "", auditor);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json()["intact"], true);
  EXPECT_GE(verified.json()["rows"].get<int>(), 2);
  EXPECT_EQ(verified.json()["head_hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit/verification", "",
                        served.token("wang", "clerk"))
                .status,
            403);
}

INSTANTIATE_TEST_SUITE_P(Engines, Administration,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
