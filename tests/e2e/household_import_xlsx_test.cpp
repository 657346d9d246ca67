// The household import from an Excel workbook through a real civhost, on both engines: a
// workbook written by libxlsxwriter as a clerk's would be (text and number cells, dates in a
// date format, a boolean, a blank row, a second sheet) imports the same households a CSV file
// does; a workbook with a bad row answers the row-level report and imports nothing; a file that
// is no workbook is a 400 naming "file", and nothing is imported either.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>
#include <xlsxwriter.h>

#include <Poco/Base64Encoder.h>
#include <gtest/gtest.h>

#include <civ/sdk/citizen_id.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::httpRequest;

const std::string kAssistance = "/api/v1/counties/610902/social_assistance";

std::string citizenId(const char* birth_yyyymmdd, int sequence, bool valid = true) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "610902%s%03d", birth_yyyymmdd, sequence);
  const char check = sdk::CitizenId::checkCharacter(first17);
  return std::string(first17) + (valid ? check : (check == '1' ? '2' : '1'));
}

std::string base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder << bytes;
  encoder.close();
  return out.str();
}

/// A clerk's workbook in the import layout: sheet 家庭 first, a 说明 sheet after it. The
/// citizen ID of the second member is `second_id`.
std::string householdWorkbook(const std::string& second_id) {
  const fs::path path = fs::temp_directory_path() /
                        ("civ-import-" + std::to_string(::getpid()) + "-" + second_id + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "家庭");
  lxw_worksheet* notes = workbook_add_worksheet(workbook, "说明");
  worksheet_write_string(notes, 0, 0, "身份证号、银行账号请设为文本格式", nullptr);
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
  const std::vector<const char*> header = {"household_ref",
                                           "category",
                                           "township",
                                           "village",
                                           "hukou_address",
                                           "residence_address",
                                           "income_stability",
                                           "bank_name",
                                           "bank_account",
                                           "citizen_id",
                                           "name",
                                           "relationship",
                                           "lives_together",
                                           "inclusion_reason",
                                           "work_capacity",
                                           "disability_grade",
                                           "disability_type",
                                           "serious_illness",
                                           "student",
                                           "needs_long_term_care",
                                           "income_category",
                                           "income_amount",
                                           "income_period_from",
                                           "income_period_to"};
  for (std::size_t column = 0; column < header.size(); ++column)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(column), header[column], nullptr);
  const auto text = [&](lxw_row_t row, const std::vector<const char*>& cells) {
    for (std::size_t column = 0; column < cells.size(); ++column)
      if (cells[column] != nullptr && *cells[column] != '\0')
        worksheet_write_string(sheet, row, static_cast<lxw_col_t>(column), cells[column], nullptr);
  };
  // Row 2: H1's applicant, with income: the amount a number, the period in dates.
  const std::string first_id = citizenId("19880808", 91);
  text(1,
       {"H1",     "rural",        "关庙镇",        "清泉村",         "关庙镇清泉村1组", "同上",
        "stable", "汉滨农商银行", "6230100010001", first_id.c_str(), "村民甲",          "applicant",
        "是",     "共同生活",     "full",          nullptr,          nullptr,           "否",
        "否",     "否",           "wages"});
  worksheet_write_number(sheet, 1, 21, 1800, nullptr);
  lxw_datetime from = {2025, 9, 1, 0, 0, 0}, to = {2026, 2, 28, 0, 0, 0};
  worksheet_write_datetime(sheet, 1, 22, &from, date);
  worksheet_write_datetime(sheet, 1, 23, &to, date);
  // Row 3: H1's spouse: a boolean cell, the disability grade a number, no income (no cells).
  text(2, {"H1",
           "rural",
           "关庙镇",
           "清泉村",
           "关庙镇清泉村1组",
           "同上",
           "stable",
           "汉滨农商银行",
           "6230100010001",
           second_id.c_str(),
           "村民乙",
           "spouse",
           nullptr,
           "共同生活",
           "partial",
           nullptr,
           "hearing",
           "否",
           "否",
           "否"});
  worksheet_write_boolean(sheet, 2, 12, 1, nullptr);
  worksheet_write_number(sheet, 2, 15, 3, nullptr);
  // Row 4 left blank. Row 5: H2, a single person without bank or income.
  const std::string third_id = citizenId("19560312", 24);
  text(4, {"H2", "urban", "江北街道", "东坝社区", "东坝路1号", "东坝路1号", nullptr, nullptr,
           nullptr, third_id.c_str(), "陈秀英", "applicant", "是", "单人户", "none"});
  worksheet_write_boolean(sheet, 4, 18, 0, nullptr);
  EXPECT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(path);
  return bytes;
}

class HouseholdImportXlsx : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(HouseholdImportXlsx, AClerksWorkbookImportsItsHouseholdsAndABadOneImportsNothing) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const std::string admin = served.token("root", "admin");
  const std::string clerk = served.token("wang", "clerk");
  ASSERT_TRUE(served.setToday(admin, "2026-03-02"));
  const auto post = [&](const json& body) {
    return httpRequest(port, "POST", kAssistance + "/imports/households", body.dump(), clerk);
  };
  const auto households = [&] {
    auto list = httpRequest(port, "GET", kAssistance + "/households", "", clerk);
    EXPECT_EQ(list.status, 200) << list.body;
    return list.json();
  };

  // A file that is no workbook: 400 on "file", whatever its rows would have been.
  const std::string good = householdWorkbook(citizenId("19890909", 102));
  auto cut = post({{"format", "xlsx"}, {"content", base64(good.substr(0, good.size() / 2))}});
  EXPECT_EQ(cut.status, 400) << cut.body;
  EXPECT_EQ(cut.content_type, "application/problem+json");
  EXPECT_EQ(cut.json()["errors"][0]["field"], "file");
  EXPECT_EQ(cut.json()["errors"][0]["rule"], "xlsx-not-zip");
  auto csv_as_xlsx =
      post({{"format", "xlsx"}, {"content", base64("household_ref,category\nH1,urban\n")}});
  EXPECT_EQ(csv_as_xlsx.status, 400) << csv_as_xlsx.body;
  EXPECT_EQ(csv_as_xlsx.json()["errors"][0]["field"], "file");
  auto not_base64 = post({{"format", "xlsx"}, {"content", "household_ref,category"}});
  EXPECT_EQ(not_base64.status, 400) << not_base64.body;
  EXPECT_EQ(not_base64.json()["errors"][0]["field"], "content");
  auto xlsx_as_csv = post({{"format", "csv"}, {"content", base64(good)}});
  EXPECT_EQ(xlsx_as_csv.status, 400) << xlsx_as_csv.body;
  EXPECT_EQ(xlsx_as_csv.json()["errors"][0]["field"], "format");
  EXPECT_EQ(households()["total"], 0);

  // A workbook with one bad row: the row-level report, by the spreadsheet's row numbers, and
  // nothing imported (not even the good household H2).
  const std::string bad = householdWorkbook(citizenId("19890909", 102, /*valid=*/false));
  auto refused = post({{"format", "xlsx"}, {"content", base64(bad)}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  ASSERT_EQ(refused.json()["errors"].size(), 1u) << refused.body;
  EXPECT_EQ(refused.json()["errors"][0]["field"], "rows[3].citizen_id");
  EXPECT_EQ(refused.json()["errors"][0]["rule"], "checksum");
  EXPECT_EQ(households()["total"], 0);

  // The good workbook, as a browser's FileReader.readAsDataURL sends it.
  auto imported =
      post({{"format", "xlsx"},
            {"content",
             "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," +
                 base64(good)}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.json(), (json{{"households", 2}, {"members", 3}, {"income_items", 1}}));
  const json list = households();
  ASSERT_EQ(list["total"], 2);
  std::set<std::string> villages;
  for (const auto& item : list["items"]) {
    villages.insert(item["village"].get<std::string>());
    if (item["village"] != "清泉村") continue;
    auto record =
        httpRequest(port, "GET", kAssistance + "/households/" + item["id"].dump(), "", clerk);
    ASSERT_EQ(record.status, 200) << record.body;
    const json household = record.json();
    EXPECT_EQ(household["category"], "rural");
    EXPECT_EQ(household["bank_account"], "6230100010001");
    ASSERT_EQ(household["members"].size(), 2u);
    for (const auto& member : household["members"]) {
      EXPECT_TRUE(member["lives_together"].get<bool>());
      if (member["name"] == "村民乙") {
        EXPECT_EQ(member["relationship"], "spouse");
        EXPECT_EQ(member["disability_grade"], 3);
        EXPECT_EQ(member["disability_type"], "hearing");
      } else {
        EXPECT_EQ(member["name"], "村民甲");
      }
    }
    // The income came through as a number and two dates.
    auto income = httpRequest(
        port, "GET", kAssistance + "/households/" + item["id"].dump() + "/income-items", "", clerk);
    ASSERT_EQ(income.status, 200) << income.body;
    ASSERT_EQ(income.json()["items"].size(), 1u) << income.body;
    const json item_of_income = income.json()["items"][0];
    EXPECT_EQ(item_of_income["amount"], "1800.00");
    EXPECT_EQ(item_of_income["period_from"], "2025-09-01");
    EXPECT_EQ(item_of_income["period_to"], "2026-02-28");
  }
  EXPECT_EQ(villages, (std::set<std::string>{"清泉村", "东坝社区"}));
}

TEST_P(HouseholdImportXlsx, TheWorkbookOrCsvFileItselfIsTheBody) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const std::string admin = served.token("root", "admin");
  const std::string clerk = served.token("wang", "clerk");
  ASSERT_TRUE(served.setToday(admin, "2026-03-02"));
  const std::string xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  const auto post = [&](const std::string& path, const std::string& bytes,
                        const std::string& type) {
    return httpRequest(port, "POST", kAssistance + path, bytes, clerk, type);
  };
  const auto total = [&] {
    return httpRequest(port, "GET", kAssistance + "/households", "", clerk).json()["total"];
  };

  // The API document says so: the import takes JSON, CSV or the workbook.
  const json api = httpRequest(port, "GET", "/api/openapi.json").json();
  const json& content =
      api["paths"]["/api/v1/counties/{county}/social_assistance/imports/households"]["post"]
         ["requestBody"]["content"];
  EXPECT_TRUE(content.contains("application/json"));
  EXPECT_TRUE(content.contains("text/csv"));
  EXPECT_TRUE(content.contains(xlsx_type));

  // A workbook with a bad row, as curl --data-binary sends the file: the row report, nothing
  // imported; a CSV file with a wrong header: the header named.
  auto refused = post("/imports/households",
                      householdWorkbook(citizenId("19890909", 102, /*valid=*/false)), xlsx_type);
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.content_type, "application/problem+json");
  EXPECT_EQ(refused.json()["errors"][0]["field"], "rows[3].citizen_id");
  auto header =
      post("/imports/households", "household_ref,colour\r\nH1,red\r\n", "text/csv; charset=utf-8");
  ASSERT_EQ(header.status, 422) << header.body;
  EXPECT_EQ(header.json()["errors"][0]["field"], "rows[1].colour");
  // A file where a route takes JSON only: 415, nothing written.
  auto not_here = post("/applications", "household_id,program\n1,dibao\n", "text/csv");
  EXPECT_EQ(not_here.status, 415) << not_here.body;
  EXPECT_EQ(not_here.content_type, "application/problem+json");
  // An empty body is no body whatever its Content-Type (the route needs JSON: 400, not 415); a
  // workbook sent as CSV is named as one; media types are compared without case.
  auto empty = post("/applications", "", "text/csv");
  EXPECT_EQ(empty.status, 400) << empty.body;
  EXPECT_EQ(empty.json()["errors"][0]["rule"], "required");
  auto workbook_as_csv =
      post("/imports/households", householdWorkbook(citizenId("19890909", 102)), "text/csv");
  EXPECT_EQ(workbook_as_csv.status, 400) << workbook_as_csv.body;
  EXPECT_EQ(workbook_as_csv.json()["errors"][0]["field"], "file");
  EXPECT_EQ(workbook_as_csv.json()["errors"][0]["rule"], "matches-content");
  auto upper_case = post("/applications", "{}", "Application/JSON; charset=UTF-8");
  EXPECT_EQ(upper_case.status, 400) << upper_case.body;  // read as JSON: fields missing
  EXPECT_NE(upper_case.json()["errors"][0]["field"], "(body)");
  EXPECT_EQ(total(), 0);

  // The good workbook, its bytes as the body.
  auto imported =
      post("/imports/households", householdWorkbook(citizenId("19890909", 102)), xlsx_type);
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.json(), (json{{"households", 2}, {"members", 3}, {"income_items", 1}}));
  EXPECT_EQ(total(), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, HouseholdImportXlsx,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
