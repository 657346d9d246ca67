// Social assistance and funeral through a real civhost with the test clock: a 低保 case driven
// through the whole workflow (an overdue step, an objection during the notice, a four-eyes
// refusal, a repeated payment run), then the recipient's death registered by the funeral module
// ends the case from the next month, and the fee exemption is granted because the person was
// covered on the date of death. And the same death with the host killed between the commit and
// the delivery: the case ends after the restart, once.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>

#include "host/storage/database.h"
#include "host/storage/database_url.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::httpRequest;

const std::string kAssistance = "/api/v1/counties/610902/social_assistance";
const std::string kFuneral = "/api/v1/counties/610902/funeral";

std::string citizenId(const char* birth_yyyymmdd, int sequence) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "610902%s%03d", birth_yyyymmdd, sequence);
  return std::string(first17) + sdk::CitizenId::checkCharacter(first17);
}

/// The people and tokens of one county office.
struct Office {
  int port = 0;
  std::string admin, clerk, investigator, township, county, second_approver, clerk_as_approver;
  std::function<void(const char*)> today;

  testing::HttpResult post(const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.dump(), token);
  }
  testing::HttpResult get(const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  }
};

Office office(int port, const std::string& url,
              std::function<bool(const std::string&, const std::string&)> set_today) {
  Office o;
  o.port = port;
  o.admin = testing::issueToken(url, "root", "admin", "610902");
  o.clerk = testing::issueToken(url, "wang", "clerk", "610902");
  o.investigator = testing::issueToken(url, "chen", "clerk", "610902");
  o.township = testing::issueToken(url, "li", "reviewer", "610902");
  o.county = testing::issueToken(url, "zhao", "approver", "610902");
  o.second_approver = testing::issueToken(url, "qian", "approver", "610902");
  o.clerk_as_approver = testing::issueToken(url, "wang", "approver", "610902");
  o.today = [admin = o.admin, set_today](const char* date) {
    ASSERT_TRUE(set_today(admin, date)) << date;
  };
  return o;
}

/// A single-person household (income 1200 over six months: 200 a month) on 2026-03-02.
std::int64_t singlePersonHousehold(Office& o, const std::string& citizen_id) {
  auto household = o.post(kAssistance + "/households",
                          {{"category", "urban"},
                           {"township", "江北街道"},
                           {"village", "东坝社区"},
                           {"hukou_address", "汉滨区东坝路3号"},
                           {"residence_address", "汉滨区东坝路3号"},
                           {"bank_name", "汉滨农商银行"},
                           {"bank_account", "6230999988887777"},
                           {"members",
                            {{{"citizen_id", citizen_id},
                              {"name", "陈秀英"},
                              {"relationship", "applicant"},
                              {"lives_together", true},
                              {"inclusion_reason", "单人户"},
                              {"work_capacity", "none"}}}}},
                          o.clerk);
  EXPECT_EQ(household.status, 201) << household.body;
  const std::int64_t id = household.json()["id"];
  EXPECT_EQ(o.post(kAssistance + "/households/" + std::to_string(id) + "/income-items",
                   {{"category", "transfer"},
                    {"treatment", "counted"},
                    {"amount", "1200.00"},
                    {"period_from", "2025-09-01"},
                    {"period_to", "2026-02-28"},
                    {"description", "子女赡养费"}},
                   o.clerk)
                .status,
            201);
  return id;
}

/// Investigation (two investigators signing with their own accounts), township review and the
/// notice; returns the notice's last day.
std::string investigateAndPublish(Office& o, const std::string& application) {
  EXPECT_EQ(o.post(application + "/investigation/signatures", json::object(), o.clerk).status, 200);
  auto alone = o.post(application + "/investigation/complete", json::object(), o.clerk);
  EXPECT_EQ(alone.status, 422) << alone.body;  // one signature is not two investigators
  EXPECT_EQ(
      o.post(application + "/investigation/signatures", json::object(), o.investigator).status,
      200);
  auto investigated =
      o.post(application + "/investigation/complete",
             {{"data_checks", {{{"item", "deposits"}, {"result", "match"}}}}}, o.clerk);
  EXPECT_EQ(investigated.status, 200) << investigated.body;
  EXPECT_EQ(o.post(application + "/township-review", {{"opinion", "recommend"}}, o.township).status,
            200);
  auto notice = o.post(application + "/notice", {{"location", "东坝社区公示栏"}}, o.clerk);
  EXPECT_EQ(notice.status, 200) << notice.body;
  return notice.status == 200 ? notice.json()["notice_until"].get<std::string>() : "";
}

std::int64_t approvedCaseTheShortWay(Office& o, const std::string& citizen_id) {
  o.today("2026-03-02");
  const auto household = singlePersonHousehold(o, citizen_id);
  auto submitted = o.post(
      kAssistance + "/applications",
      {{"household_id", household}, {"program", "dibao"}, {"applicant_citizen_id", citizen_id}},
      o.clerk);
  const std::string application =
      kAssistance + "/applications/" + std::to_string(submitted.json()["id"].get<int>());
  o.post(application + "/investigation/start", json::object(), o.clerk);
  investigateAndPublish(o, application);
  o.today("2026-03-10");
  auto decided = o.post(application + "/decision", {{"result", "approve"}}, o.county);
  EXPECT_EQ(decided.status, 200) << decided.body;
  return decided.json()["case"]["id"];
}

void addFuneralHome(Office& o) {
  ASSERT_EQ(o.post(kFuneral + "/facilities",
                   {{"code", "FH01"},
                    {"kind", "funeral_home"},
                    {"name", "汉滨区殡仪馆"},
                    {"township", "江北街道"},
                    {"furnaces", 2}},
                   o.admin)
                .status,
            201);
  ASSERT_EQ(o.post(kFuneral + "/facilities/FH01/approvals",
                   {{"authority", "county_government"},
                    {"document_number", "汉政函〔2019〕12号"},
                    {"approved_on", "2019-06-01"}},
                   o.admin)
                .status,
            200);
}

json death(const std::string& citizen_id, const char* date) {
  return {{"citizen_id", citizen_id},
          {"name", "陈秀英"},
          {"death_date", date},
          {"place", "汉滨区人民医院"},
          {"township", "江北街道"},
          {"manner", "normal"},
          {"certificate_number", "YX-2026-0410"},
          {"certificate_issuer", "medical"}};
}

/// Polls the case until its status is `status` (events are delivered asynchronously).
json waitForCase(Office& o, std::int64_t case_id, const std::string& status) {
  json shown;
  for (int i = 0; i < 200; ++i) {
    shown = o.get(kAssistance + "/cases/" + std::to_string(case_id)).json();
    if (shown["status"] == status) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return shown;
}

class AssistanceAndFuneral : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(AssistanceAndFuneral, WorkflowPaymentsDeathAndExemptionAcrossModules) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  Office o =
      office(served.port(), served.url(), [&](const std::string& token, const std::string& date) {
        return served.setToday(token, date);
      });
  const auto person = citizenId("19480315", 21);
  o.today("2026-03-02");
  const auto household = singlePersonHousehold(o, person);
  auto submitted =
      o.post(kAssistance + "/applications",
             {{"household_id", household}, {"program", "dibao"}, {"applicant_citizen_id", person}},
             o.clerk);
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  const std::string application =
      kAssistance + "/applications/" + std::to_string(submitted.json()["id"].get<int>());

  // Nobody started the investigation: on Monday 03-09 it is 2 working days late.
  o.today("2026-03-09");
  auto overdue = o.get(kAssistance + "/overdue").json()["overdue"];
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0]["step"], "investigation_start");
  EXPECT_EQ(overdue[0]["working_days_late"], 2);
  ASSERT_EQ(o.post(application + "/investigation/start", json::object(), o.clerk).status, 200);
  investigateAndPublish(o, application);

  // An objection during the notice sends it back to investigation.
  o.today("2026-03-10");
  auto objection =
      o.post(application + "/objections",
             {{"content", "邻居反映有出租房屋收入"}, {"resolution", "reinvestigate"}}, o.clerk);
  ASSERT_EQ(objection.status, 200) << objection.body;
  EXPECT_EQ(objection.json()["status"], "investigating");
  const std::string notice_until = investigateAndPublish(o, application);
  EXPECT_EQ(notice_until, "2026-03-16");  // 7 calendar days from the 10th

  // Still in notice: refused; after it, the submitter may not decide (four eyes).
  auto early = o.post(application + "/decision", {{"result", "approve"}}, o.county);
  EXPECT_EQ(early.status, 409);
  o.today("2026-03-17");
  auto own = o.post(application + "/decision", {{"result", "approve"}}, o.clerk_as_approver);
  EXPECT_EQ(own.status, 403) << own.body;
  EXPECT_EQ(own.content_type, "application/problem+json");
  auto decided = o.post(application + "/decision", {{"result", "approve"}}, o.county);
  ASSERT_EQ(decided.status, 200) << decided.body;
  const std::int64_t case_id = decided.json()["case"]["id"];
  EXPECT_EQ(decided.json()["case"]["start_month"], "2026-04");

  // The April roll, run twice: the second run changes nothing and says so.
  auto run = o.post(kAssistance + "/payment-runs", {{"month", "2026-04"}}, o.county);
  ASSERT_EQ(run.status, 201) << run.body;
  EXPECT_EQ(run.json()["total"], "300.00");  // 500 − 1200 / 6
  auto again = o.post(kAssistance + "/payment-runs", {{"month", "2026-04"}}, o.county);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["created"], false);
  EXPECT_EQ(again.json()["lines"], 1);
  // The bank's roll comes only from a run a second approver confirmed.
  EXPECT_EQ(httpRequest(o.port, "GET", kAssistance + "/payment-runs/2026-04/roll.csv", "", o.clerk)
                .status,
            409);
  const std::string confirmation = kAssistance + "/payment-runs/2026-04/confirmation";
  EXPECT_EQ(httpRequest(o.port, "POST", confirmation, "", o.county).status, 403);
  auto confirmed = httpRequest(o.port, "POST", confirmation, "", o.second_approver);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  auto csv =
      httpRequest(o.port, "GET", kAssistance + "/payment-runs/2026-04/roll.csv", "", o.clerk);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("6230999988887777"), std::string::npos);

  // The recipient dies on 04-10; the funeral module registers it two days later.
  addFuneralHome(o);
  o.today("2026-04-12");
  auto registered = o.post(kFuneral + "/deaths", death(person, "2026-04-10"), o.clerk);
  ASSERT_EQ(registered.status, 201) << registered.body;
  const auto ended = waitForCase(o, case_id, "terminated");
  EXPECT_EQ(ended["status"], "terminated");
  EXPECT_EQ(ended["end_month"], "2026-04");  // paid for April, nothing from May
  // What the death changed in assistance is audited in the case's county, naming the event,
  // the clerk whose registration caused it and that request.
  {
    auto trail =
        httpRequest(o.port, "GET",
                    "/api/v1/counties/610902/audit?module=social_assistance&sort=-id", "", o.admin);
    ASSERT_EQ(trail.status, 200) << trail.body;
    const json rows = trail.json()["items"];
    std::set<std::string> actions;
    for (const auto& row : rows) {
      if (row["cause"].get<std::string>().find("event person.deceased") != 0) continue;
      actions.insert(row["action"].get<std::string>());
      EXPECT_EQ(row["user"], "wang");
      EXPECT_EQ(row["role"], "event");
      EXPECT_EQ(row["request_id"], registered.headers["X-Request-Id"]);
    }
    EXPECT_TRUE(actions.count("case.terminate")) << trail.body;
    EXPECT_TRUE(actions.count("member.leave")) << trail.body;
    EXPECT_TRUE(actions.count("household.flag")) << trail.body;
  }
  // Covered on the date of death: exempt, on the register's evidence.
  auto exemption = o.post(
      kFuneral + "/deaths/" + std::to_string(registered.json()["id"].get<int>()) + "/exemption",
      {{"facility_code", "FH01"},
       {"items",
        {{{"item", "collection"}, {"charged", "260.00"}},
         {{"item", "cremation"}, {"charged", "600.00"}}}}},
      o.clerk);
  ASSERT_EQ(exemption.status, 201) << exemption.body;
  EXPECT_EQ(exemption.json()["category"], "dibao");
  EXPECT_EQ(exemption.json()["basis"], "coverage");
  EXPECT_EQ(exemption.json()["exempt"], "760.00");  // 260 + cremation capped at 500
  auto may = o.post(kAssistance + "/payment-runs", {{"month", "2026-05"}}, o.county);
  ASSERT_EQ(may.status, 201);
  EXPECT_EQ(may.json()["lines"], 0);
}

TEST_P(AssistanceAndFuneral, ADeathCommittedBeforeAKillEndsTheCaseAfterTheRestartOnce) {
  testing::TestDatabase database(GetParam());
  const std::string url = database.url().connection;
  const fs::path work = testing::makeTempDirectory("civ-death-crash");
  const fs::path hold = work / "hold-events";
  const std::vector<std::string> serve = {
      "serve",        "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database",   url,        "--plugin-dir",
      CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"};
  setenv("CIV_TEST_CLOCK", "1", 1);
  setenv("CIV_TEST_HOLD_EVENTS", hold.c_str(), 1);
  const fs::path held = hold.string() + ".held";  // the delivery thread's answer to the hold
  host::Database db(database.url(), 1);
  const auto count = [&](const std::string& sql) {
    long long n = 0;
    db.pool().at(0) << sql, soci::into(n);
    return n;
  };
  const auto person = citizenId("19450708", 33);
  std::int64_t case_id = 0;
  {
    testing::CivhostProcess civhost(serve);
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    Office o = office(civhost.port(), url, [&](const std::string& token, const std::string& date) {
      return httpRequest(civhost.port(), "POST", "/api/v1/admin/clock",
                         json{{"today", date}}.dump(), token)
                 .status == 200;
    });
    case_id = approvedCaseTheShortWay(o, person);
    o.today("2026-04-12");
    std::ofstream(hold) << "hold";  // from here no event is delivered...
    // ...once the delivery thread has seen it: a pass under way may still deliver.
    for (int i = 0; i < 100 && !fs::exists(held); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_TRUE(fs::exists(held)) << "the delivery thread never saw the hold file";
    auto registered = o.post(kFuneral + "/deaths", death(person, "2026-04-10"), o.clerk);
    ASSERT_EQ(registered.status, 201) << registered.body;
    civhost.killHard();  // committed, not delivered
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'person.deceased'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_deliveries WHERE subscriber = "
                  "'social_assistance.end_coverage'"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE status = 'terminated'"), 0);
  fs::remove(hold);
  {
    testing::CivhostProcess restarted(serve);
    ASSERT_TRUE(restarted.waitUntilListening()) << restarted.stderrText();
    for (int i = 0; i < 200 && count("SELECT COUNT(*) FROM sa_cases WHERE status = "
                                     "'terminated'") == 0;
         ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // more delivery passes run
    restarted.stop();
  }
  EXPECT_FALSE(fs::exists(held)) << "the answer to a hold outlived it";
  unsetenv("CIV_TEST_HOLD_EVENTS");
  unsetenv("CIV_TEST_CLOCK");
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE status = 'terminated' AND end_month = "
                  "'2026-04' AND id = " +
                  std::to_string(case_id)),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_deliveries WHERE subscriber = "
                  "'social_assistance.end_coverage'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.terminated'"), 1);
  fs::remove_all(work);
}

TEST_P(AssistanceAndFuneral, ImportsMoreRowsThanOneBulkChunkAndPaysThem) {
  // 3,000 member rows are more than one 256 KiB COPY chunk: the import must not run a statement
  // while its bulk writer holds the session (PostgreSQL refuses; SQLite would not notice).
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  Office o =
      office(served.port(), served.url(), [&](const std::string& token, const std::string& date) {
        return served.setToday(token, date);
      });
  o.today("2026-03-02");
  std::string csv =
      "household_ref,category,township,village,hukou_address,residence_address,income_stability,"
      "bank_name,bank_account,citizen_id,name,relationship,lives_together,inclusion_reason,"
      "work_capacity,disability_grade,disability_type,serious_illness,student,"
      "needs_long_term_care,income_category,income_amount,income_period_from,income_period_to\n";
  int sequence = 0;
  for (int h = 1; h <= 1000; ++h) {
    for (int m = 0; m < 3; ++m) {
      const int day = 1 + sequence % 28, month = 1 + (sequence / 28) % 12;
      char birth[9];
      std::snprintf(birth, sizeof birth, "19%02d%02d%02d", 50 + (sequence / 336) % 40, month, day);
      csv += "H" + std::to_string(h) + ",rural,关庙镇,清泉村,关庙镇清泉村" + std::to_string(h) +
             "号,同上,stable,汉滨农商银行,62301000" + std::to_string(10000 + h) + "," +
             citizenId(birth, 100 + sequence % 800) + ",村民" + std::to_string(sequence) +
             (m == 0 ? ",applicant" : ",child") + ",是,共同生活,full,,,否,否,否," +
             (m == 0 ? "wages,1800.00,2025-09-01,2026-02-28" : ",,,") + "\n";
      ++sequence;
    }
  }
  auto imported =
      o.post(kAssistance + "/imports/households", {{"format", "csv"}, {"content", csv}}, o.clerk);
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.json()["members"], 3000);
  EXPECT_EQ(imported.json()["income_items"], 1000);
  // Every household an active case from April (set up directly), then the April roll.
  host::Database db(host::DatabaseUrl::parse(served.url()), 1);
  soci::session& session = db.pool().at(0);
  session << "INSERT INTO sa_cases (county_code, number, household_id, payee_person_id, program,"
             " status, start_month, decided_on) SELECT county_code, 'DB-' || id, id, (SELECT"
             " MIN(person_id) FROM sa_members m WHERE m.household_id = h.id), 'dibao', 'active',"
             " '2026-04', '2026-03-02' FROM sa_households h";
  session << "INSERT INTO sa_case_incomes (case_id, from_month, household_income_fen) SELECT id,"
             " '2026-04', 30000 FROM sa_cases";
  // Three households the bank cannot pay (no account, or an empty one) and a fourth whose case
  // ended in March: the run warns of the three, by case number, and not of the fourth.
  auto caseNumberOf = [&](const std::string& hukou_address) {
    std::string number;
    session << "SELECT c.number FROM sa_cases c JOIN sa_households h ON h.id = c.household_id"
               " WHERE h.hukou_address = :a",
        soci::into(number), soci::use(hukou_address);
    return number;
  };
  std::vector<std::string> unpayable;
  for (const std::string address : {"关庙镇清泉村7号", "关庙镇清泉村42号", "关庙镇清泉村500号"})
    unpayable.push_back(caseNumberOf(address));
  std::sort(unpayable.begin(), unpayable.end());
  session << "UPDATE sa_households SET bank_account = NULL WHERE hukou_address IN"
             " ('关庙镇清泉村7号', '关庙镇清泉村500号', '关庙镇清泉村9号')";
  session << "UPDATE sa_households SET bank_account = '' WHERE hukou_address = '关庙镇清泉村42号'";
  const std::string ended = caseNumberOf("关庙镇清泉村9号");
  session << "UPDATE sa_cases SET status = 'terminated', end_month = '2026-03' WHERE number = :n",
      soci::use(ended);
  auto run = o.post(kAssistance + "/payment-runs", {{"month", "2026-04"}}, o.county);
  ASSERT_EQ(run.status, 201) << run.body;
  EXPECT_EQ(run.json()["lines"], 999);
  EXPECT_EQ(run.json()["total"], "524475.00");  // (3 × 275 − 300) × 999
  std::vector<std::string> warned;
  const json answer = run.json();
  for (const auto& warning : answer["warnings"]) {
    EXPECT_EQ(warning["rule"], "bank-account");
    warned.push_back(warning["case_number"].get<std::string>());
  }
  EXPECT_EQ(warned, unpayable);
}

// A list filtered by place alone answers its total from the townships' tallies (migration 7,
// kept by triggers): they follow an import, a correction that moves a household, and rows
// written or removed by SQL several at once (PostgreSQL tallies per statement).
TEST_P(AssistanceAndFuneral, AListsTotalByPlaceFollowsImportsMovesAndRemovals) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  Office o =
      office(served.port(), served.url(), [&](const std::string& token, const std::string& date) {
        return served.setToday(token, date);
      });
  o.today("2026-03-02");
  const auto total = [&](const std::string& query) {
    auto list = o.get(kAssistance + "/households" + query);
    EXPECT_EQ(list.status, 200) << list.body;
    return list.json()["total"].get<std::int64_t>();
  };
  std::string csv =
      "household_ref,category,township,village,hukou_address,residence_address,income_stability,"
      "bank_name,bank_account,citizen_id,name,relationship,lives_together,inclusion_reason,"
      "work_capacity,disability_grade,disability_type,serious_illness,student,"
      "needs_long_term_care,income_category,income_amount,income_period_from,income_period_to\n";
  const char* townships[] = {"关庙镇", "关庙镇", "江北街道"};
  for (int h = 0; h < 3; ++h)
    csv += "H" + std::to_string(h) + ",rural," + townships[h] + ",清泉村,地址,同上,stable,,," +
           citizenId("19700101", 300 + h) + ",村民" + std::to_string(h) +
           ",applicant,是,单人户,full,,,否,否,否,,,,\n";
  auto imported =
      httpRequest(o.port, "POST", kAssistance + "/imports/households", csv, o.clerk, "text/csv");
  ASSERT_EQ(imported.status, 201) << imported.body;
  const std::int64_t moved = singlePersonHousehold(o, citizenId("19600101", 310));  // 江北街道
  EXPECT_EQ(total(""), 4);
  EXPECT_EQ(total("?township=关庙镇"), 2);
  EXPECT_EQ(total("?township=江北街道"), 2);
  EXPECT_EQ(total("?township=五里镇"), 0);
  EXPECT_EQ(total("?township=关庙镇&category=urban"), 0);  // counted, not tallied

  // A correction moves the household to 关庙镇; the tallies follow, and an unchanged township
  // (another field corrected) moves nothing.
  const std::string path = kAssistance + "/households/" + std::to_string(moved);
  auto corrected =
      httpRequest(o.port, "PATCH", path, R"({"township":"关庙镇","village":"清泉村"})", o.clerk);
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  corrected = httpRequest(o.port, "PATCH", path, R"({"village":"东坝社区"})", o.clerk);
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(total("?township=关庙镇"), 3);
  EXPECT_EQ(total("?township=江北街道"), 1);

  // Rows written and removed by SQL, two in one statement each.
  host::Database db(host::DatabaseUrl::parse(served.url()), 1);
  soci::session& session = db.pool().at(0);
  session << "INSERT INTO sa_households (county_code, number, category, township, village,"
             " hukou_address, residence_address, income_stability, created_on) VALUES"
             " ('610902', 'HH-X1', 'urban', '五里镇', '村', '址', '址', 'stable', '2026-03-02'),"
             " ('610902', 'HH-X2', 'urban', '五里镇', '村', '址', '址', 'stable', '2026-03-02')";
  EXPECT_EQ(total("?township=五里镇"), 2);
  EXPECT_EQ(total(""), 6);
  session << "DELETE FROM sa_households WHERE number IN ('HH-X1', 'HH-X2')";
  EXPECT_EQ(total("?township=五里镇"), 0);
  EXPECT_EQ(total(""), 4);
}

// A submission takes its number, writes the application and records its first transition; on
// PostgreSQL in one statement (kept_queries.h), on SQLite in three: both give the same numbers,
// six digits at least and never cut, and the same answer.
TEST_P(AssistanceAndFuneral, ASubmissionNumbersRecordsAndAnswersAlikeOnBothEngines) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  Office o =
      office(served.port(), served.url(), [&](const std::string& token, const std::string& date) {
        return served.setToday(token, date);
      });
  o.today("2026-03-02");
  const auto first_person = citizenId("19500101", 401);
  const auto first = o.post(kAssistance + "/applications",
                            {{"household_id", singlePersonHousehold(o, first_person)},
                             {"program", "dibao"},
                             {"applicant_citizen_id", first_person}},
                            o.clerk);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["number"], "ADB610902-2026-000001");
  EXPECT_EQ(first.json()["status"], "accepted");
  EXPECT_EQ(first.json()["accepted_on"], "2026-03-02");
  EXPECT_EQ(first.json()["submitted_by"], "wang");
  ASSERT_EQ(first.json()["transitions"].size(), 1u) << first.body;
  EXPECT_EQ(first.json()["transitions"][0]["to"], "accepted");
  EXPECT_EQ(first.json()["transitions"][0]["on"], "2026-03-02");
  EXPECT_EQ(first.json()["transitions"][0]["by"], "wang");
  EXPECT_EQ(first.json()["transitions"][0]["note"], "materials complete");

  host::Database db(host::DatabaseUrl::parse(served.url()), 1);
  db.pool().at(0) << "UPDATE sa_counters SET last_value = 999999 WHERE county_code = '610902'"
                     " AND kind = 'ADB' AND year = 2026";
  const auto second_person = citizenId("19500101", 402);
  const auto second = o.post(kAssistance + "/applications",
                             {{"household_id", singlePersonHousehold(o, second_person)},
                              {"program", "dibao"},
                              {"applicant_citizen_id", second_person},
                              {"missing_documents", {"户口簿"}}},
                             o.clerk);
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.json()["number"], "ADB610902-2026-1000000");
  EXPECT_EQ(second.json()["status"], "pending_documents");
  EXPECT_TRUE(second.json()["accepted_on"].is_null()) << second.body;
  ASSERT_EQ(second.json()["transitions"].size(), 1u) << second.body;
  EXPECT_EQ(second.json()["transitions"][0]["to"], "pending_documents");
  EXPECT_EQ(second.json()["transitions"][0]["note"], "一次性告知补正: [\"户口簿\"]");
  // Another kind counts from one on its own; the stored row is what the answer said.
  const auto third_person = citizenId("19500101", 403);
  const auto third = o.post(kAssistance + "/applications",
                            {{"household_id", singlePersonHousehold(o, third_person)},
                             {"program", "temporary"},
                             {"applicant_citizen_id", third_person},
                             {"temporary_kind", "emergency"},
                             {"requested_amount", "800.00"}},
                            o.clerk);
  ASSERT_EQ(third.status, 201) << third.body;
  EXPECT_EQ(third.json()["number"], "ALS610902-2026-000001");
  EXPECT_EQ(third.json()["requested_amount"], "800.00");
  std::string stored;
  db.pool().at(0) << "SELECT number FROM sa_applications WHERE id = :id", soci::into(stored),
      soci::use(third.json()["id"].get<long long>());
  EXPECT_EQ(stored, "ALS610902-2026-000001");
}

INSTANTIATE_TEST_SUITE_P(Engines, AssistanceAndFuneral,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
