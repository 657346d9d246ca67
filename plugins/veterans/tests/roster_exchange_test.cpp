// Exchange with the veterans affairs bureau on the fake Context: the roster imported from CSV
// and from a clerk's XLSX workbook creates files; the same file again changes nothing; a file
// with bad rows is refused whole with a row-level report and nothing written; an update is
// audited with old and new values; a township clerk imports only the township's rows; the
// roster exported reads back changing nothing; a confirmed run's payments export to the fen.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <xlsxwriter.h>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/table_file.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/test_data.h>

#include "../src/veterans_plugin.h"

namespace civ::plugins::veterans {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (i < bytes.size()) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

const char* kHeader =
    "档案编号,身份证号码,姓名,优抚对象类别,定期生活补助群体,户籍类别,乡镇（街道）,村（社区）,住址,"
    "联系电话,入伍时间,退役时间,服役身份,残疾性质,残疾等级,残疾军人证号,残疾评定日期,"
    "烈士（牺牲、病故军人）身份证号码,与烈士（牺牲、病故军人）关系,开户银行,银行账号\n";

class RosterExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.mutableCalendar() = publishedCalendar();
    context_.start(plugin_);
    asClerk();
  }

  void asClerk(const char* user = "clerk1") {
    context_.setCaller({user, "clerk", {"610902", "350502"}, {}});
  }
  void asApprover(const char* user = "approver1") {
    context_.setCaller({user, "approver", {"610902", "350502"}, {}});
  }

  std::int64_t count(const std::string& table, const std::string& where = "") {
    long long n = 0;
    context_.db() << "SELECT COUNT(*) FROM " + table + where, soci::into(n);
    return n;
  }
  std::vector<std::int64_t> snapshot() {
    std::vector<std::int64_t> counts;
    for (const char* table : {"vt_beneficiaries", "vt_disability_assessments", "vt_entitlements",
                              "vt_adjustments", "civ_persons", "civ_audit"})
      counts.push_back(count(table));
    std::string villages;
    soci::rowset<std::string> rows = context_.db().prepare
                                     << "SELECT village || address || COALESCE(bank_account, '')"
                                        " FROM vt_beneficiaries ORDER BY id";
    for (const auto& row : rows) villages += row + ";";
    counts.push_back(static_cast<std::int64_t>(std::hash<std::string>{}(villages)));
    return counts;
  }

  sdk::Response importCsv(const std::string& csv) {
    return context_.call(Method::Post, "/imports/roster", {{"format", "csv"}, {"content", csv}});
  }

  /// Every "field:rule" of a refused import, after checking that nothing was written.
  std::vector<std::string> refusedImport(const json& body) {
    const auto before = snapshot();
    std::vector<std::string> found;
    try {
      context_.call(Method::Post, "/imports/roster", body);
      found.push_back("accepted");
    } catch (const sdk::Error& error) {
      EXPECT_EQ(snapshot(), before) << "a refused import changed something";
      EXPECT_GE(error.status(), 400);
      EXPECT_LT(error.status(), 500);
      for (const auto& field : error.fieldErrors()) found.push_back(field.field + ":" + field.rule);
      if (found.empty()) found.push_back(std::to_string(error.status()) + " " + error.detail());
    }
    return found;
  }

  json fileOf(const std::string& citizen) {
    const auto list = context_.call(Method::Get, "/beneficiaries?citizen_id=" + citizen).body;
    EXPECT_EQ(list["total"], 1) << citizen;
    return context_
        .call(Method::Get, "/beneficiaries/" + std::to_string(list["items"][0]["id"].get<long>()))
        .body;
  }

  std::int64_t fallen() {
    return context_
        .call(Method::Post, "/fallen",
              {{"citizen_id", martyr_},
               {"name", "烈士"},
               {"death_kind", "martyr"},
               {"died_on", "2025-03-10"},
               {"rank_type", "officer"},
               {"unit_name", "某部"},
               {"certificate_number", "LS-2025-001"},
               {"township", "江北街道"}})
        .body["id"];
  }

  /// Three rows: a rural veteran aged over 60, a disabled serviceman, a martyr's widow.
  std::string roster() {
    return std::string(kHeader) + ",\"" + veteran_ +
           "\",王建国,退役军人,年满60周岁农村籍退役士兵,农村,江北街道,东坝村,东坝村一组,"
           "13800000001,1978-12-01,1983-01-01,义务兵,,,,,,,汉滨农商银行,6230100010001\n" +
           "," + disabled_ +
           ",李卫东,残疾军人,,城镇,江北街道,新城社区,新城路1号,,1979-02-01,1984-10-01,军士,"
           "因战,6,CJ-1984-0107,1985-03-01,,,建设银行,6217000010002\n" +
           "," + widow_ + ",张秀英,烈士遗属,,农村,关庙镇,关庙村,关庙村三组,,,,,,,,," + martyr_ +
           ",配偶,汉滨农商银行,6230100010003\n";
  }

  VeteransPlugin plugin_;
  FakeContext context_{"veterans", day("2026-03-02")};
  const std::string veteran_ = citizenId("19580101", 11);
  const std::string disabled_ = citizenId("19600202", 13);
  const std::string widow_ = citizenId("19700303", 22);
  const std::string martyr_ = citizenId("19900101", 31);
};

TEST_F(RosterExchangeTest, ACsvRosterCreatesFilesAndTheSameFileAgainChangesNothing) {
  const auto fallen_id = fallen();
  const auto answer = importCsv(roster());
  ASSERT_EQ(answer.status, 201);
  EXPECT_EQ(answer.body, (json{{"rows", 3}, {"created", 3}, {"updated", 0}, {"unchanged", 0}}));
  const auto veteran = fileOf(veteran_);
  EXPECT_EQ(veteran["name"], "王建国");
  EXPECT_EQ(veteran["category"], "veteran");
  EXPECT_EQ(veteran["subsidy_group"], "rural_veteran_60");
  EXPECT_EQ(veteran["discharged_on"], "1983-01-01");
  EXPECT_EQ(veteran["rank_type"], "conscript");
  EXPECT_EQ(veteran["bank_account"], "6230100010001");
  EXPECT_EQ(veteran["registered_on"], "2026-03-02");
  const auto disabled = fileOf(disabled_);
  EXPECT_EQ(disabled["category"], "disabled_serviceman");
  EXPECT_EQ(disabled["disability"]["nature"], "war");
  EXPECT_EQ(disabled["disability"]["grade"], 6);
  EXPECT_EQ(disabled["disability"]["certificate_number"], "CJ-1984-0107");
  EXPECT_EQ(disabled["disability"]["effective_month"], "1985-03");
  const auto widow = fileOf(widow_);
  EXPECT_EQ(widow["fallen_id"], fallen_id);
  EXPECT_EQ(widow["relationship"], "spouse");
  EXPECT_EQ(widow["township"], "关庙镇");
  // Each file one audit row with the row it came from.
  EXPECT_EQ(count("civ_audit", " WHERE action = 'beneficiary.import'"), 3);

  // The same file again: nothing created, nothing changed; one audit row records the import.
  auto before = snapshot();
  const auto again = importCsv(roster());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, (json{{"rows", 3}, {"created", 0}, {"updated", 0}, {"unchanged", 3}}));
  before[5] += 1;
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(count("civ_audit", " WHERE action = 'beneficiary.import_unchanged'"), 1);
  EXPECT_EQ(count("civ_audit", " WHERE action = 'beneficiary.import'"), 3);
}

TEST_F(RosterExchangeTest, AFileWithBadRowsIsRefusedWholeWithEveryBadRow) {
  fallen();
  std::string bad_id = veteran_;
  bad_id.back() = bad_id.back() == '1' ? '2' : '1';
  const std::string csv =
      roster() +
      // row 5: a bad check character; row 6: a veteran without his discharge; row 7: a category
      // not in the vocabulary and a grade out of range; row 8: the widow again.
      "," + bad_id +
      ",赵六,退役军人,,农村,江北街道,东坝村,东坝村二组,,1978-12-01,1983-01-01,,,,,,,,,\n" + "," +
      citizenId("19590505", 15) + ",钱七,退役军人,,农村,江北街道,东坝村,东坝村二组,,,,,,,,,,,,\n" +
      "," + citizenId("19590606", 17) +
      ",孙八,复员军人,,农村,江北街道,东坝村,东坝村二组,,,,,因战,11,CJ-1,2020-01-01,,,,\n" + "," +
      widow_ + ",张秀英,烈士遗属,,农村,关庙镇,关庙村,关庙村三组,,,,,,,,," + martyr_ + ",配偶,,\n";
  const auto found = refusedImport({{"format", "csv"}, {"content", csv}});
  const std::vector<std::string> expected = {
      "rows[5].citizen_id:checksum", "rows[6].discharged_on:required", "rows[7].category:enum",
      "rows[7].disability_grade:grade", "rows[8].citizen_id:one-row-per-person"};
  EXPECT_EQ(found, expected);
  EXPECT_EQ(count("vt_beneficiaries"), 0);  // the three good rows were not written either

  // The header: a column not of the layout, a required one missing.
  EXPECT_EQ(refusedImport({{"format", "csv"}, {"content", "身份证号码,姓名,籍贯\n1,2,3\n"}}),
            (std::vector<std::string>{
                "rows[1].籍贯:unknown-column", "rows[1].category:missing-column",
                "rows[1].hukou:missing-column", "rows[1].township:missing-column",
                "rows[1].village:missing-column", "rows[1].address:missing-column"}));
  // Not a workbook; a survivor of no recorded fallen serviceman; a file number of no file.
  EXPECT_EQ(refusedImport({{"format", "xlsx"}, {"content", base64("not a workbook")}}),
            std::vector<std::string>{"file:xlsx-not-zip"});
  EXPECT_EQ(refusedImport({{"format", "csv"},
                           {"content", std::string(kHeader) + "," + widow_ +
                                           ",张秀英,烈士遗属,,农村,关庙镇,关庙村,关庙村三组,,,,,,,"
                                           ",," +
                                           citizenId("19900101", 55) + ",配偶,,\n"}}),
            std::vector<std::string>{"rows[2].fallen_citizen_id:known-fallen"});
  EXPECT_EQ(refusedImport({{"format", "csv"},
                           {"content", std::string(kHeader) + "YF610902-2026-000009," + veteran_ +
                                           ",王建国,退役军人,,农村,江北街道,东坝村,东坝村一组,,"
                                           "1978-12-01,1983-01-01,,,,,,,,,\n"}}),
            std::vector<std::string>{"rows[2].number:file-number"});
}

TEST_F(RosterExchangeTest, AnUpdateIsAuditedWithOldAndNewValuesAndAnExportReadsBackUnchanged) {
  fallen();
  importCsv(roster());
  const auto veteran = fileOf(veteran_);
  // The bureau moved him to another village and his account changed.
  std::string csv = roster();
  csv.replace(csv.find("东坝村,东坝村一组"), std::string("东坝村,东坝村一组").size(),
              "西坝村,西坝村五组");
  csv.replace(csv.find("6230100010001"), 13, "6230100019999");
  const auto answer = importCsv(csv);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, (json{{"rows", 3}, {"created", 0}, {"updated", 1}, {"unchanged", 2}}));
  // The last audit row of an import: the update.
  std::string summary;
  soci::rowset<std::string> rows =
      context_.db().prepare << "SELECT summary FROM civ_audit WHERE action = 'beneficiary.import'"
                               " ORDER BY id";
  for (const auto& row : rows) summary = row;
  const json changes = json::parse(summary);
  EXPECT_EQ(changes["village"]["old"], "东坝村");
  EXPECT_EQ(changes["village"]["new"], "西坝村");
  EXPECT_EQ(changes["bank_account"]["old"], "6230100010001");
  EXPECT_EQ(changes["bank_account"]["new"], "6230100019999");
  EXPECT_EQ(changes.size(), 3u);  // village, address, bank_account
  EXPECT_EQ(fileOf(veteran_)["address"], "西坝村五组");

  // A file made by hand with more than the roster holds (documents, an agent) exports in the
  // import layout and reads back changing nothing.
  json extra = {{"citizen_id", citizenId("19300101", 13)},
                {"name", "老复员"},
                {"category", "veteran"},
                {"subsidy_group", "enlisted_before_1954"},
                {"hukou", "rural"},
                {"township", "江北街道"},
                {"village", "东坝村"},
                {"address", "东坝村, \"老屋\""},
                {"enlisted_on", "1950-03-01"},
                {"discharged_on", "1955-06-01"},
                {"documents", {"id_card", "discharge_certificate"}},
                {"agent",
                 {{"citizen_id", citizenId("19650101", 17)},
                  {"name", "老复员之子"},
                  {"relationship", "子"}}}};
  ASSERT_EQ(context_.call(Method::Post, "/beneficiaries", extra).status, 201);
  const auto exported = context_.call(Method::Get, "/exports/roster");
  EXPECT_EQ(exported.content_type, "text/csv; charset=utf-8");
  const auto table = sdk::readCsv(exported.document);
  ASSERT_EQ(table.size(), 5u);
  EXPECT_EQ(table[0][1], "身份证号码");
  EXPECT_EQ(table[1][0], veteran["number"].get<std::string>());
  EXPECT_EQ(table[1][3], "退役军人");
  EXPECT_EQ(table[4][8], "东坝村, \"老屋\"");
  auto before = snapshot();
  const auto back = context_.call(
      Method::Post, "/imports/roster",
      {{"format", "csv"}, {"encoding", "base64"}, {"content", base64(exported.document)}});
  EXPECT_EQ(back.status, 200);
  EXPECT_EQ(back.body, (json{{"rows", 4}, {"created", 0}, {"updated", 0}, {"unchanged", 4}}));
  before[5] += 1;  // the import's own audit row, nothing else
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(fileOf(citizenId("19300101", 13))["documents"].size(), 2u);  // kept
  // Filtered as the list is.
  EXPECT_EQ(
      sdk::readCsv(context_.call(Method::Get, "/exports/roster?township=关庙镇").document).size(),
      2u);
}

TEST_F(RosterExchangeTest, ATownshipClerkImportsOnlyTheTownshipsRows) {
  fallen();
  context_.setCaller({"clerk9", "clerk", {"610902"}, {}, {"江北街道"}});
  EXPECT_EQ(refusedImport({{"format", "csv"}, {"content", roster()}}),
            std::vector<std::string>{"rows[4].township:in-scope"});
  // A file kept by another township is not moved by a township clerk's row either.
  asClerk();
  importCsv(roster());
  context_.setCaller({"clerk9", "clerk", {"610902"}, {}, {"江北街道"}});
  std::string moved = std::string(kHeader) + "," + widow_ +
                      ",张秀英,烈士遗属,,农村,江北街道,东坝村,东坝村一组,,,,,,,,," + martyr_ +
                      ",配偶,汉滨农商银行,6230100010003\n";
  EXPECT_EQ(refusedImport({{"format", "csv"}, {"content", moved}}),
            std::vector<std::string>{"rows[2].township:in-scope"});
  // With a number that is not the file's, the answer names the keeping township only: the
  // file's number is not told to a clerk outside its scope.
  const std::string guessed = std::string(kHeader) + "VT-0" + moved.substr(std::strlen(kHeader));
  EXPECT_EQ(refusedImport({{"format", "csv"}, {"content", guessed}}),
            std::vector<std::string>{"rows[2].township:in-scope"});
  // Its own township's rows it imports; its export holds only them.
  EXPECT_EQ(importCsv(std::string(kHeader) + "," + citizenId("19590505", 15) +
                      ",钱七,退役军人,,农村,江北街道,东坝村,东坝村二组,,1976-03-01,1980-01-01,"
                      ",,,,,,,,\n")
                .status,
            201);
  EXPECT_EQ(sdk::readCsv(context_.call(Method::Get, "/exports/roster").document).size(), 4u);
}

TEST_F(RosterExchangeTest, AClerksWorkbookImportsAsTheCsvDoes) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("civ-roster-" + std::to_string(::getpid()) + ".xlsx");
  lxw_workbook* workbook = workbook_new(path.c_str());
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, "花名册");
  lxw_format* date = workbook_add_format(workbook);
  format_set_num_format(date, "yyyy-mm-dd");
  const std::vector<std::string> headings = {
      "身份证号码", "姓名",         "优抚对象类别", "户籍类别", "乡镇（街道）",
      "村（社区）", "住址",         "入伍时间",     "退役时间", "残疾性质",
      "残疾等级",   "残疾军人证号", "残疾评定日期", "开户银行", "银行账号"};
  for (std::size_t c = 0; c < headings.size(); ++c)
    worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(c), headings[c].c_str(), nullptr);
  const auto datetime = [](int y, int m, int d) {
    lxw_datetime value = {y, m, d, 0, 0, 0};
    return value;
  };
  worksheet_write_string(sheet, 1, 0, disabled_.c_str(), nullptr);  // text: 18 digits
  worksheet_write_string(sheet, 1, 1, "李卫东", nullptr);
  worksheet_write_string(sheet, 1, 2, "残疾军人", nullptr);
  worksheet_write_string(sheet, 1, 3, "城镇", nullptr);
  worksheet_write_string(sheet, 1, 4, "江北街道", nullptr);
  worksheet_write_string(sheet, 1, 5, "新城社区", nullptr);
  worksheet_write_string(sheet, 1, 6, "新城路1号", nullptr);
  auto enlisted = datetime(1979, 2, 1), discharged = datetime(1984, 10, 1),
       assessed = datetime(1985, 3, 1);
  worksheet_write_datetime(sheet, 1, 7, &enlisted, date);
  worksheet_write_datetime(sheet, 1, 8, &discharged, date);
  worksheet_write_string(sheet, 1, 9, "因公", nullptr);
  worksheet_write_number(sheet, 1, 10, 8, nullptr);  // a number cell
  worksheet_write_string(sheet, 1, 11, "CJ-1984-0107", nullptr);
  worksheet_write_datetime(sheet, 1, 12, &assessed, date);
  worksheet_write_string(sheet, 1, 13, "建设银行", nullptr);
  worksheet_write_string(sheet, 1, 14, "6217000010002", nullptr);
  ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::filesystem::remove(path);

  const auto answer = context_.call(Method::Post, "/imports/roster",
                                    {{"format", "xlsx"}, {"content", base64(bytes.str())}});
  ASSERT_EQ(answer.status, 201);
  EXPECT_EQ(answer.body["created"], 1);
  const auto file = fileOf(disabled_);
  EXPECT_EQ(file["enlisted_on"], "1979-02-01");
  EXPECT_EQ(file["discharged_on"], "1984-10-01");
  EXPECT_EQ(file["disability"]["nature"], "duty");
  EXPECT_EQ(file["disability"]["grade"], 8);
  EXPECT_EQ(file["disability"]["assessed_on"], "1985-03-01");
  EXPECT_EQ(file["bank_account"], "6217000010002");
  EXPECT_EQ(file["phone"], nullptr);
}

TEST_F(RosterExchangeTest, AConfirmedRunsPaymentsExportWithTheRostersIdentityColumns) {
  fallen();
  importCsv(roster());
  const auto disabled = fileOf(disabled_);
  asClerk();
  const auto pension =
      context_
          .call(Method::Post, "/entitlements",
                {{"beneficiary_id", disabled["id"]}, {"type", "disability_pension"}})
          .body["id"]
          .get<long>();
  asApprover();
  context_.call(Method::Post, "/entitlements/" + std::to_string(pension) + "/confirmation",
                {{"approved_on", "2026-02-10"}});
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-02"}});
  // Not before a second person confirmed the run; not for a month without one.
  try {
    context_.call(Method::Get, "/exports/payments?month=2026-02");
    ADD_FAILURE() << "a prepared run's payments were exported";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 409);
  }
  try {
    context_.call(Method::Get, "/exports/payments?month=2025-12");
    ADD_FAILURE() << "a month without a run was exported";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 404);
  }
  asApprover("approver2");
  context_.call(Method::Post, "/payment-runs/2026-02/confirmation");
  asClerk();
  const auto exported = context_.call(Method::Get, "/exports/payments?month=2026-02");
  const auto table = sdk::readCsv(exported.document);
  ASSERT_EQ(table.size(), 2u);
  const std::vector<std::string> heads(table[0].begin(), table[0].begin() + 3);
  EXPECT_EQ(heads, (std::vector<std::string>{"档案编号", "身份证号码", "姓名"}));
  EXPECT_EQ(table[1][0], disabled["number"].get<std::string>());
  EXPECT_EQ(table[1][1], disabled_);
  EXPECT_EQ(table[1][3], "残疾军人");
  EXPECT_EQ(table[1][7], "残疾抚恤金");
  EXPECT_EQ(table[1][8], "2026-02");
  EXPECT_EQ(table[1][9], "正常发放");
  // war_6 of the bundled 2025-08-01 table: 30,680.00 a year, a twelfth half up to the fen.
  EXPECT_EQ(table[1][10], "2556.67");
  const auto run = context_.call(Method::Get, "/payment-runs/2026-02").body;
  EXPECT_EQ(table[1][10], run["roll"][0]["amount"].get<std::string>());
  EXPECT_EQ(table[1][10], run["total"].get<std::string>());
  EXPECT_EQ(table[1][12], "李卫东");
  EXPECT_EQ(table[1][14], "建设银行");
  EXPECT_EQ(table[1][15], "6217000010002");  // the bank needs the account to pay
  // Bank accounts are county-wide work, as the bank roll: a township clerk is refused.
  context_.setCaller({"clerk9", "clerk", {"610902"}, {}, {"关庙镇"}});
  try {
    context_.call(Method::Get, "/exports/payments?month=2026-02");
    ADD_FAILURE() << "a township clerk got the bank accounts";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 403);
  }
}

}  // namespace
}  // namespace civ::plugins::veterans
