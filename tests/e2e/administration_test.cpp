// Administration the console offers beyond users: API tokens issued (shown once), listed and
// revoked by an administrator of their counties, and the audit chain verified, over real HTTP.
#include <sstream>

#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>
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
  EXPECT_EQ(
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/funeral/deaths", "", token).status,
      403);

  // Listed for its county's administrator, never with its value; not for another county's.
  auto mine = httpRequest(served.port(), "GET", "/api/v1/admin/tokens", "", admin);
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body.find(token), std::string::npos);
  bool listed = false;
  const json items = mine.json()["items"];
  for (const auto& item : items) listed = listed || item["id"] == id;
  EXPECT_TRUE(listed);
  const json theirs =
      httpRequest(served.port(), "GET", "/api/v1/admin/tokens", "", other_admin).json()["items"];
  for (const auto& item : theirs) EXPECT_NE(item["id"], id);

  // A bad grant names its field and leaves nothing behind.
  auto bad =
      httpRequest(served.port(), "POST", "/api/v1/admin/tokens",
                  R"({"user":"x","role":"clerk","counties":["610902"],"modules":["Bad!"]})", admin);
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

  auto verified =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit/verification", "", auditor);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json()["intact"], true);
  EXPECT_GE(verified.json()["rows"].get<int>(), 2);
  EXPECT_EQ(verified.json()["head_hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(httpRequest(served.port(), "GET", "/api/v1/counties/610902/audit/verification", "",
                        served.token("wang", "clerk"))
                .status,
            403);
}

/// The text of one part of an XLSX (a ZIP of XML parts), read back with Poco's unzip.
std::string xlsxPart(const std::string& bytes, const std::string& part) {
  std::istringstream in(bytes);
  Poco::Zip::ZipArchive archive(in);
  const auto header = archive.findHeader(part);
  if (header == archive.headerEnd()) return "";
  std::istringstream again(bytes);
  Poco::Zip::ZipInputStream zipped(again, header->second);
  std::ostringstream text;
  Poco::StreamCopier::copyStream(zipped, text);
  return text.str();
}

TEST_P(Administration, TheDashboardsWorkbookHoldsTheSameFiguresAsTheApi) {
  testing::ServedCivhost served(GetParam());
  const auto auditor = served.token("zhao", "auditor");
  const std::string period = "?from=2026-01-01&to=2026-12-31";
  auto api =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/indicators" + period, "", auditor);
  ASSERT_EQ(api.status, 200) << api.body;
  auto workbook = httpRequest(served.port(), "GET",
                              "/api/v1/counties/610902/indicators.xlsx" + period, "", auditor);
  ASSERT_EQ(workbook.status, 200) << workbook.body;
  EXPECT_EQ(workbook.content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_NE(workbook.headers["Content-Disposition"].find("indicators-610902-2026-01-01"),
            std::string::npos);
  const std::string strings = xlsxPart(workbook.body, "xl/sharedStrings.xml");
  ASSERT_FALSE(strings.empty());
  EXPECT_NE(strings.find("汉滨区（610902）民政业务指标"), std::string::npos);
  EXPECT_NE(strings.find("2026-01-01 至 2026-12-31"), std::string::npos);
  EXPECT_NE(strings.find("zhao"), std::string::npos);  // who produced it
  const json indicators = api.json()["indicators"];
  ASSERT_FALSE(indicators.empty());
  for (const auto& indicator : indicators) {
    EXPECT_NE(strings.find(indicator["name"]["zh"].get<std::string>()), std::string::npos)
        << indicator["id"];
    // Every bundled module names the legal or statistical source of each indicator (依据).
    ASSERT_TRUE(indicator.contains("source")) << indicator["id"];
    EXPECT_NE(strings.find(indicator["source"]["zh"].get<std::string>()), std::string::npos)
        << indicator["id"];
  }
  EXPECT_NE(strings.find("依据"), std::string::npos);
  // One row per indicator under the heading, in the API's order: the values match.
  const std::string sheet = xlsxPart(workbook.body, "xl/worksheets/sheet1.xml");
  const auto& first = indicators[0];
  const std::string cell = "<c r=\"E6\"";
  const auto at = sheet.find(cell);
  ASSERT_NE(at, std::string::npos);
  const auto value_start = sheet.find("<v>", at) + 3;
  const std::string value =
      sheet.substr(value_start, sheet.find("</v>", value_start) - value_start);
  if (first["measure"] == "money")
    EXPECT_DOUBLE_EQ(std::stod(value), first["value"].get<double>() / 100.0);
  else
    EXPECT_EQ(std::stoll(value), first["value"].get<std::int64_t>());
  EXPECT_EQ(httpRequest(served.port(), "GET",
                        "/api/v1/counties/610902/indicators.xlsx?from=2026-12-31&to=2026-01-01", "",
                        auditor)
                .status,
            400);
}

INSTANTIATE_TEST_SUITE_P(Engines, Administration,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
