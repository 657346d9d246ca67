// CSV import: a good file imports every household; a file with bad rows imports nothing and
// names every bad row, column and rule.
#include "../src/household_import.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/test_data.h>

#include "../src/social_assistance_plugin.h"

namespace civ::plugins::social_assistance {
namespace {

using nlohmann::json;
using sdk::Method;

using sdk::testing::citizenId;

std::string header() {
  std::string line;
  for (const auto& column : importColumns()) line += (line.empty() ? "" : ",") + column;
  return line + "\n";
}

std::string row(const std::string& ref, const std::string& id, const std::string& name,
                const std::string& relationship, const std::string& income = "1200.00",
                const std::string& category = "urban") {
  return ref + "," + category +
         ",江北街道,东坝社区,\"汉滨区东坝路1号, 2单元\",同上,stable,汉滨农商银行," +
         "6230123412341234," + id + "," + name + "," + relationship +
         ",是,共同生活,full,,,否,否,否," + (income.empty() ? "," : "wages,") + income + "," +
         (income.empty() ? "," : "2025-09-01,") + (income.empty() ? "" : "2026-02-28") + "\n";
}

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.start(plugin_);
    context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  }
  long long count(const char* table) {
    long long n = 0;
    context_.db() << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
    return n;
  }
  SocialAssistancePlugin plugin_;
  sdk::testing::FakeContext context_{"social_assistance", sdk::testing::day("2026-03-02")};
};

TEST_F(ImportTest, AGoodFileImportsEveryHouseholdMemberAndIncome) {
  const std::string csv = "\xEF\xBB\xBF" + header() +
                          row("H1", citizenId("19800101", 11), "王一", "applicant") +
                          row("H1", citizenId("19820202", 12), "李二", "spouse", "") +
                          row("H2", citizenId("19500303", 13), "张三", "applicant", "600.00");
  auto imported =
      context_.call(Method::Post, "/imports/households", {{"format", "csv"}, {"content", csv}});
  EXPECT_EQ(imported.status, 201);
  EXPECT_EQ(imported.body["households"], 2);
  EXPECT_EQ(imported.body["members"], 3);
  EXPECT_EQ(imported.body["income_items"], 2);
  auto household = context_.call(Method::Get, "/households/1");
  EXPECT_EQ(household.body["hukou_address"], "汉滨区东坝路1号, 2单元");
  EXPECT_EQ(household.body["members"].size(), 2u);
  // 1200 over six months for two: 200 a month; the standard 500 × 2 − 200 = 800.
  auto assessment = context_.call(Method::Get, "/households/1/assessment?month=2026-04");
  EXPECT_EQ(assessment.body["dibao_amount"], "800.00");
}

TEST_F(ImportTest, TheFileItselfIsABodyAsCsvOrXlsxAndOnlyWhereARouteTakesOne) {
  // As a client sends it with Content-Type text/csv (CRLF lines, as a spreadsheet saves them):
  // the same households as the JSON form, audited with the file's format.
  std::string csv = header() + row("H1", citizenId("19800101", 31), "王一", "applicant") +
                    row("H2", citizenId("19500303", 33), "张三", "applicant", "600.00");
  std::string crlf;
  for (char c : csv) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto imported = context_.upload(Method::Post, "/imports/households", "csv", crlf);
  EXPECT_EQ(imported.status, 201);
  EXPECT_EQ(imported.body["households"], 2);
  EXPECT_EQ(imported.body["members"], 2);
  EXPECT_EQ(imported.body["income_items"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/households/1").body["hukou_address"],
            "汉滨区东坝路1号, 2单元");
  std::string audited;
  context_.db() << "SELECT summary FROM civ_audit WHERE action = 'household.import'",
      soci::into(audited);
  EXPECT_NE(audited.find("\"format\":{\"new\":\"csv\""), std::string::npos) << audited;

  // A file with a bad row: the row report, nothing imported.
  const auto households_before = count("sa_households");
  try {
    context_.upload(Method::Post, "/imports/households", "csv",
                    header() + row("H3", citizenId("19600101", 34), "赵四", "boss"));
    FAIL() << "a file with a bad row was imported";
  } catch (const sdk::ValidationError& error) {
    ASSERT_EQ(error.fieldErrors().size(), 1u);
    EXPECT_EQ(error.fieldErrors()[0].field, "rows[2].relationship");
  }
  // Bytes that are no workbook, sent as one: the reader's own error on "file".
  try {
    context_.upload(Method::Post, "/imports/households", "xlsx", csv);
    FAIL() << "CSV text was read as a workbook";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field, "file");
    EXPECT_EQ(error.fieldErrors()[0].rule, "xlsx-not-zip");
  }
  EXPECT_EQ(count("sa_households"), households_before);
  // A route that takes JSON only refuses a file: 415, nothing written.
  try {
    context_.upload(Method::Post, "/applications", "csv", "household_id,program\n1,dibao\n");
    FAIL() << "a file was taken as an application";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 415);
    EXPECT_EQ(error.type(), "unsupported-media-type");
  }
  EXPECT_EQ(count("sa_applications"), 0);
}

TEST_F(ImportTest, AFileWithBadRowsImportsNothingAndNamesEveryOne) {
  std::string bad_id = citizenId("19800101", 21);
  bad_id.back() = bad_id.back() == '1' ? '2' : '1';  // checksum broken
  const std::string csv = header() + row("H1", citizenId("19800101", 22), "王一", "applicant") +
                          row("H1", bad_id, "李二", "spouse") +
                          row("H2", citizenId("19500303", 23), "张三", "boss") +
                          row("H1", citizenId("19600101", 24), "赵四", "child", "12x") +
                          row("H3", citizenId("19800101", 22), "重复", "applicant") +
                          row("H1", citizenId("19700101", 25), "钱五", "child", "", "rural");
  try {
    context_.call(Method::Post, "/imports/households", {{"format", "csv"}, {"content", csv}});
    FAIL() << "a file with bad rows was imported";
  } catch (const sdk::ValidationError& error) {
    std::set<std::string> found;
    for (const auto& e : error.fieldErrors()) found.insert(e.field + ":" + e.rule);
    EXPECT_EQ(found, (std::set<std::string>{
                         "rows[3].citizen_id:checksum", "rows[4].relationship:enum",
                         "rows[5].income_amount:money", "rows[6].citizen_id:duplicate-member",
                         "rows[7].category:household-fields-consistent"}));
  }
  EXPECT_EQ(count("sa_households"), 0);
  EXPECT_EQ(count("sa_members"), 0);
  EXPECT_EQ(count("civ_persons"), 0);
}

TEST_F(ImportTest, HeaderAndSyntaxProblemsAreNamed) {
  try {
    context_.call(Method::Post, "/imports/households",
                  {{"format", "csv"}, {"content", "household_ref,colour\nH1,red\n"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors().front().rule, "unknown-column");
  }
  try {
    context_.call(Method::Post, "/imports/households",
                  {{"format", "csv"}, {"content", header() + "H1,\"unclosed\n"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors().front().rule, "csv-syntax");
  }
  try {
    // "PK\x03" in base64: the start of a ZIP archive and no more.
    context_.call(Method::Post, "/imports/households", {{"format", "xlsx"}, {"content", "UEsD"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors().front().field, "file");
    EXPECT_EQ(error.fieldErrors().front().rule, "xlsx-not-zip");
  }
}

}  // namespace
}  // namespace civ::plugins::social_assistance
