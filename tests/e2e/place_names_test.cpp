// The place_names module through a real civhost with the test clock, on both engines: the demo
// townships, a merge queried before and after its date with the old code never reused, pinyin
// of real names with a polyphonic correction, a homophone refused in scope and allowed outside
// it, the 15-day announcement limit with its overdue list and indicator; a gazetteer imported
// from an XLSX workbook all or nothing, a boundary line with a marker and a joint inspection
// whose rectification goes overdue.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <unistd.h>
#include <xlsxwriter.h>

#include <Poco/Base64Encoder.h>
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

/// A county's gazetteer as a clerk keeps it in Excel: Chinese headers, a date cell for the
/// approval, coordinates as numbers. `rows` are text cells, except that an approval date
/// "YYYY-MM-DD" is written as a date and longitude/latitude as numbers.
std::string gazetteerWorkbook(const std::vector<std::vector<std::string>>& rows,
                              const std::string& tag) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("civ-gazetteer-" + std::to_string(::getpid()) + "-" + tag + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "地名录");
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
  const std::vector<std::string> header = {"专名",   "通名", "类别", "政区代码", "状态",
                                           "建成区", "经度", "纬度", "批准日期"};
  for (std::size_t c = 0; c < header.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), nullptr);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto row = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& cell = rows[r][c];
      const auto column = static_cast<lxw_col_t>(c);
      if (cell.empty()) continue;
      if (c == 6 || c == 7) {
        worksheet_write_number(sheet, row, column, std::stod(cell), nullptr);
      } else if (c == 8) {
        lxw_datetime day = {std::stoi(cell.substr(0, 4)),
                            std::stoi(cell.substr(5, 2)),
                            std::stoi(cell.substr(8, 2)),
                            0,
                            0,
                            0};
        worksheet_write_datetime(sheet, row, column, &day, date);
      } else {
        worksheet_write_string(sheet, row, column, cell.c_str(), nullptr);
      }
    }
  }
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::filesystem::remove(path);
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

TEST_P(PlaceNames, GazetteerImportBoundariesAndJointInspections) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  const auto send = [&](const char* method, const std::string& path, const json& body) {
    return httpRequest(port, method, path, body.dump(), clerk);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };
  today("2026-03-10");

  // An XLSX gazetteer with one bad row (a homophone of row 2 in the same built-up area)
  // imports nothing and names the row, the column and the rule.
  const std::vector<std::string> jianshe = {"建设",     "路",     "street", "610902003", "standard",
                                            "汉滨城区", "109.03", "32.69",  "2005-06-01"};
  const std::vector<std::string> xinhua = {"新华", "村", "settlement", "610902101", "standard",
                                           "",     "",   "",           ""};
  const std::vector<std::string> homophone = {"健设",     "路", "street", "610902001", "standard",
                                              "汉滨城区", "",   "",       ""};
  auto refused = send(
      "POST", kHanbin + "/imports/names",
      {{"format", "xlsx"}, {"content", gazetteerWorkbook({jianshe, xinhua, homophone}, "bad")}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["errors"].size(), 1u);
  EXPECT_EQ(refused.json()["errors"][0]["field"], "rows[4].specific");
  EXPECT_EQ(refused.json()["errors"][0]["rule"], "homophone");
  EXPECT_EQ(get(kHanbin + "/names").json()["total"], 0);
  auto imported =
      send("POST", kHanbin + "/imports/names",
           {{"format", "xlsx"}, {"content", gazetteerWorkbook({jianshe, xinhua}, "good")}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.json()["names"], 2);
  auto found = get(kHanbin + "/names?q=jianshe");
  ASSERT_EQ(found.json()["total"], 1);
  EXPECT_EQ(found.json()["items"][0]["approved_on"], "2005-06-01") << "a date cell";
  EXPECT_EQ(found.json()["items"][0]["location"]["coordinates"][1], 32.69);
  EXPECT_EQ(found.json()["items"][0]["township"], "江北街道");

  // The boundary with 紫阳县, a marker, a joint inspection that finds it damaged.
  auto line = send("POST", kHanbin + "/boundary-lines",
                   {{"neighbour_code", "610924"},
                    {"neighbour_name", "紫阳县"},
                    {"length_m", 86500},
                    {"description", "汉滨区—紫阳县线"}});
  ASSERT_EQ(line.status, 201) << line.body;
  const int line_id = line.json()["id"];
  auto marker = send("POST", kHanbin + "/boundary-markers",
                     {{"line_id", line_id},
                      {"number", "汉紫01"},
                      {"kind", "triple"},
                      {"location", {{"type", "Point"}, {"coordinates", {108.85, 32.47}}}}});
  ASSERT_EQ(marker.status, 201) << marker.body;
  const int marker_id = marker.json()["id"];
  const json sides = {{{"county_code", "610902"}, {"name", "汉滨区"}},
                      {{"county_code", "610924"}, {"name", "紫阳县"}}};
  json inspection = {{"line_id", line_id},
                     {"inspected_on", "2026-03-10"},
                     {"sides", sides},
                     {"markers", {{{"marker_id", marker_id}, {"condition", "missing"}}}}};
  auto no_deadline = send("POST", kHanbin + "/boundary-inspections", inspection);
  EXPECT_EQ(no_deadline.status, 422);
  EXPECT_EQ(no_deadline.json()["errors"][0]["rule"], "deadline-for-problems");
  inspection["problems"] = "汉紫01号界桩缺失";
  inspection["rectification_due"] = "2026-04-10";
  auto inspected = send("POST", kHanbin + "/boundary-inspections", inspection);
  ASSERT_EQ(inspected.status, 201) << inspected.body;
  const int inspection_id = inspected.json()["id"];
  EXPECT_EQ(get(kHanbin + "/boundary-markers?condition=missing").json()["total"], 1);

  // Past the deadline: listed and counted until rectified.
  today("2026-04-11");
  auto overdue = get(kHanbin + "/boundary-inspections/overdue");
  ASSERT_EQ(overdue.status, 200) << overdue.body;
  ASSERT_EQ(overdue.json()["total"], 1);
  EXPECT_EQ(overdue.json()["items"][0]["markers"][0]["number"], "汉紫01");
  auto indicators = get("/api/v1/counties/610902/indicators?from=2026-03-01&to=2026-04-11");
  ASSERT_EQ(indicators.status, 200);
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["boundary_rectification_overdue"], 1);
  EXPECT_EQ(values["boundary_inspections"], 1);
  EXPECT_EQ(values["boundary_markers_missing"], 1);
  auto rectified = send(
      "POST", kHanbin + "/boundary-inspections/" + std::to_string(inspection_id) + "/rectification",
      {{"rectified_on", "2026-04-11"}, {"note", "已补设界桩"}});
  ASSERT_EQ(rectified.status, 200) << rectified.body;
  EXPECT_EQ(get(kHanbin + "/boundary-inspections/overdue").json()["total"], 0);
  // A correction of the line answers the corrected record.
  auto corrected =
      send("PATCH", kHanbin + "/boundary-lines/" + std::to_string(line_id), {{"length_m", 86720}});
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(corrected.json()["length_m"], 86720);
  EXPECT_EQ(corrected.json()["markers"], 1);
}

/// The township figures of any module's indicators grouped by today's divisions (issue 23):
/// names applied for in 五里镇 are counted under 关庙镇 once 五里镇 has merged into it, with the
/// township the records hold named beside; before the merge date they stand apart.
TEST_P(PlaceNames, IndicatorsGroupTownshipsByTodaysDivisions) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902");
  const auto clerk = served.token("wang", "clerk", "610902");
  const auto auditor = served.token("sun", "auditor", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  today("2026-03-10");
  const auto apply = [&](const char* specific, const char* division) {
    const json body = {{"specific", specific},        {"generic", "路"},
                       {"category", "street"},        {"division_code", division},
                       {"built_up_area", "关庙集镇"}, {"reason", "新建道路"}};
    auto applied = httpRequest(port, "POST", kHanbin + "/names", body.dump(), clerk);
    ASSERT_EQ(applied.status, 201) << applied.body;
  };
  apply("兴业", "610902103");  // 五里镇
  apply("富民", "610902103");  // 五里镇
  apply("和平", "610902101");  // 关庙镇
  const auto proposedByTownship = [&]() {
    auto answer =
        httpRequest(port, "GET", "/api/v1/counties/610902/indicators?from=2026-03-01&to=2026-03-31",
                    "", auditor);
    EXPECT_EQ(answer.status, 200) << answer.body;
    const json listed = answer.json()["indicators"];
    for (const auto& indicator : listed)
      if (indicator["module"] == "place_names" && indicator["id"] == "names_proposed") {
        EXPECT_EQ(indicator["value"], 3);
        EXPECT_EQ(indicator["source"]["zh"].get<std::string>().find("《地名管理条例》"), 0u);
        return indicator["by_township"];
      }
    ADD_FAILURE() << "names_proposed not listed";
    return json::array();
  };
  const json before = proposedByTownship();
  ASSERT_EQ(before.size(), 2u) << before.dump();
  EXPECT_EQ(before[0]["township"], "五里镇");  // code point order: 五 < 关
  EXPECT_EQ(before[0]["value"], 2);
  EXPECT_EQ(before[0]["code"], "610902103");
  EXPECT_EQ(before[1]["township"], "关庙镇");
  EXPECT_FALSE(before[1].contains("recorded_as"));

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
  auto merged = httpRequest(port, "POST", kHanbin + "/adjustments", merge.dump(), admin);
  ASSERT_EQ(merged.status, 201) << merged.body;
  EXPECT_EQ(proposedByTownship().size(), 2u) << "mapped before the merge takes effect";
  today("2026-04-02");
  const json after = proposedByTownship();
  ASSERT_EQ(after.size(), 1u) << after.dump();
  EXPECT_EQ(after[0]["township"], "关庙镇");
  EXPECT_EQ(after[0]["code"], "610902101");
  EXPECT_EQ(after[0]["value"], 3);
  EXPECT_EQ(after[0]["recorded_as"], json({"关庙镇", "五里镇"}));
}

INSTANTIATE_TEST_SUITE_P(Engines, PlaceNames,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
