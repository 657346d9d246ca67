// The place_names module through a real civhost with the test clock, on both engines: the demo
// townships, a merge queried before and after its date with the old code never reused, pinyin
// of real names with a polyphonic correction, a homophone refused in scope and allowed outside
// it, the 15-day announcement limit with its overdue list and indicator.
#include <map>

#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kHanbin = "/api/v1/counties/610902/place_names";
const std::string kLicheng = "/api/v1/counties/350502/place_names";

class PlaceNames : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(PlaceNames, DivisionsOverTimePinyinHomophonesAndTheFifteenDayLimit) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto approver = served.token("zhao", "approver", "610902,350502");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.dump(), token);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };
  today("2026-03-10");

  // The demo townships.
  auto townships = get(kHanbin + "/divisions?level=township");
  ASSERT_EQ(townships.status, 200) << townships.body;
  EXPECT_EQ(townships.json()["total"], 6);
  EXPECT_EQ(get(kLicheng + "/divisions?level=township").json()["total"], 6);

  // 五里镇 merged into 关庙镇 from 2026-04-01.
  const json merge = {{"effective_on", "2026-04-01"},
                      {"document", "陕政函〔2026〕12号"},
                      {"authority", "province_government"},
                      {"description", "撤销五里镇，并入关庙镇"},
                      {"operations",
                       {{{"kind", "merge"},
                         {"codes", {"610902101", "610902103"}},
                         {"into",
                          {{{"code", "610902101"},
                            {"name", "关庙镇"},
                            {"kind", "镇"},
                            {"parent_code", "610902"}}}}}}}};
  auto merged = post(kHanbin + "/adjustments", merge, admin);
  ASSERT_EQ(merged.status, 201) << merged.body;
  EXPECT_EQ(get(kHanbin + "/divisions?level=township&as_of=2026-03-31").json()["total"], 6);
  EXPECT_EQ(get(kHanbin + "/divisions?level=township&as_of=2026-04-01").json()["total"], 5);
  EXPECT_EQ(get(kHanbin + "/divisions/610902103?as_of=2026-04-01").status, 404);
  today("2026-04-01");
  auto wuli = get(kHanbin + "/divisions/610902103?as_of=2026-03-31");
  ASSERT_EQ(wuli.status, 200) << wuli.body;
  EXPECT_EQ(wuli.json()["name"], "五里镇");
  EXPECT_EQ(wuli.json()["today"][0]["code"], "610902101");
  json reuse = merge;
  reuse["effective_on"] = "2026-05-01";
  reuse["operations"] = {
      {{"kind", "create"},
       {"codes", json::array()},
       {"into",
        {{{"code", "610902103"}, {"name", "新镇"}, {"kind", "镇"}, {"parent_code", "610902"}}}}}};
  auto reused = post(kHanbin + "/adjustments", reuse, admin);
  EXPECT_EQ(reused.status, 422);
  EXPECT_EQ(reused.json()["errors"][0]["field"], "operations[0].into[0].code");
  EXPECT_EQ(reused.json()["errors"][0]["rule"], "code-never-reused");

  // Pinyin: 西安 → Xi'an; 长安 corrected from ICU's zhǎng to cháng.
  auto xian = get(kHanbin + "/romanisation?specific=%E8%A5%BF%E5%AE%89");
  ASSERT_EQ(xian.status, 200) << xian.body;
  EXPECT_EQ(xian.json()["pinyin"], "Xi'an");
  const auto street = [](const char* specific, const char* division, const char* area) {
    return json{{"specific", specific},      {"generic", "路"},       {"category", "street"},
                {"division_code", division}, {"built_up_area", area}, {"reason", "新建道路"}};
  };
  json changan = street("长安", "610902003", "汉滨城区");
  changan["specific_pinyin"] = "cháng ān";
  auto applied = post(kHanbin + "/names", changan, clerk);
  ASSERT_EQ(applied.status, 201) << applied.body;
  EXPECT_EQ(applied.json()["pinyin"], "Chang'an Lu");
  EXPECT_EQ(applied.json()["pinyin_sign"], "CHANG'AN LU");
  EXPECT_EQ(applied.json()["township"], "江北街道");
  const int id = applied.json()["id"];

  // 常安路 sounds as 长安路: refused in the same built-up area, allowed in another and in
  // another county.
  auto homophone = post(kHanbin + "/names", street("常安", "610902001", "汉滨城区"), clerk);
  EXPECT_EQ(homophone.status, 422);
  EXPECT_EQ(homophone.json()["errors"][0]["field"], "specific");
  EXPECT_EQ(homophone.json()["errors"][0]["rule"], "homophone");
  EXPECT_EQ(post(kHanbin + "/names", street("常安", "610902101", "关庙集镇"), clerk).status, 201);
  EXPECT_EQ(post(kLicheng + "/names", street("常安", "350502001", "鲤城城区"), clerk).status, 201);

  // Reports, approval on 04-01; filed and announced within 15 calendar days or listed overdue.
  const std::string base = kHanbin + "/names/" + std::to_string(id);
  for (const char* kind : {"assessment", "expert", "consultation"})
    ASSERT_EQ(post(base + "/reports",
                   {{"kind", kind}, {"on_date", "2026-04-01"}, {"summary", "同意"}}, clerk)
                  .status,
              201);
  auto approved = post(base + "/approval",
                       {{"authority", "county_government"},
                        {"document_number", "汉政函〔2026〕7号"},
                        {"approved_on", "2026-04-01"}},
                       approver);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()["announcement_due"], "2026-04-16");
  today("2026-04-10");
  ASSERT_EQ(post(base + "/filing", {{"filed_on", "2026-04-10"}}, clerk).status, 200);
  today("2026-04-16");
  EXPECT_EQ(get(kHanbin + "/names/overdue").json()["total"], 0);
  today("2026-04-17");
  auto overdue = get(kHanbin + "/names/overdue");
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  ASSERT_EQ(overdue.json()["total"], 1);
  EXPECT_EQ(overdue.json()["items"][0]["overdue"], json({"announcement"}));
  auto indicators = get("/api/v1/counties/610902/indicators?from=2026-04-01&to=2026-04-17");
  ASSERT_EQ(indicators.status, 200);
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];  // held: the range must outlive the loop
  for (const auto& indicator : listed)
    values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["announcement_overdue"], 1);
  EXPECT_EQ(values["names_standard"], 1);
  EXPECT_EQ(values["townships_zhen"], 2);
  ASSERT_EQ(post(base + "/announcement", {{"announced_on", "2026-04-17"}}, clerk).status, 200);
  EXPECT_EQ(get(kHanbin + "/names/overdue").json()["total"], 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, PlaceNames,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
