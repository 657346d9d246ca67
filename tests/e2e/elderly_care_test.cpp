// The elderly_care module through a real civhost with the test clock, on both engines: the
// filing deadline across the National Day holiday, the notice and the receipt, a hazard past its
// deadline, a death registered by the funeral module discharging the resident, and a month's
// subsidy through the SDK's payment runs: prepared by one approver, cancelled and confirmed by
// another, rolled for the bank to the fen. A 特困 person granted by social_assistance, admitted
// and discharged: support switches to 集中 and back from the next month, in both modules'
// answers and the county's audit trail. And the runs made before the SDK's payment runs,
// carried over by the upgrade.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>

#include "host/storage/database.h"
#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kCare = "/api/v1/counties/610902/elderly_care";
const std::string kFuneral = "/api/v1/counties/610902/funeral";
const std::string kAssistance = "/api/v1/counties/610902/social_assistance";

std::string citizenId(const char* birth_yyyymmdd, int sequence) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "610902%s%03d", birth_yyyymmdd, sequence);
  return std::string(first17) + sdk::CitizenId::checkCharacter(first17);
}

json admission(long long institution, const std::string& citizen_id, const char* bed,
               const char* care, const char* funding) {
  return {{"institution_id", institution},
          {"citizen_id", citizen_id},
          {"name", "入住老人"},
          {"admitted_on", "2026-09-28"},
          {"bed_number", bed},
          {"dimensions",
           {{"daily_living", "moderate"},
            {"mental_state", "mild"},
            {"perception_communication", "intact"},
            {"social_participation", "mild"}}},
          {"care_level", care},
          {"agreement_number", std::string("HT-") + bed},
          {"agreement_signed_on", "2026-09-27"},
          {"emergency_contact", {{"name", "儿子"}, {"phone", "13900000000"}}},
          {"funding", funding}};
}

/// The rows of a bank CSV (after the byte-order mark), each split at commas (the test's values
/// hold none).
std::vector<std::vector<std::string>> csvRows(std::string document) {
  if (document.rfind("\xEF\xBB\xBF", 0) == 0) document.erase(0, 3);
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < document.size()) {
    auto end = document.find("\r\n", start);
    if (end == std::string::npos) end = document.size();
    const std::string line = document.substr(start, end - start);
    std::vector<std::string> cells;
    std::size_t from = 0;
    for (auto comma = line.find(','); comma != std::string::npos; comma = line.find(',', from)) {
      cells.push_back(line.substr(from, comma - from));
      from = comma + 1;
    }
    cells.push_back(line.substr(from));
    rows.push_back(cells);
    start = end + 2;
  }
  return rows;
}

/// "1234.56" in fen.
long long fen(const std::string& yuan) {
  const auto point = yuan.find('.');
  return std::stoll(yuan.substr(0, point)) * 100 + std::stoll(yuan.substr(point + 1));
}

class ElderlyCareEndToEnd : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(ElderlyCareEndToEnd, FilingAcrossTheHolidayHazardDeathAndAMonthsSubsidyRoll) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto approver = served.token("li", "approver", "610902");
  const auto second = served.token("zhao", "approver", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.is_null() ? "" : body.dump(), token);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };

  today("2026-09-28");
  auto created = post(kCare + "/institutions",
                      {{"name", "汉滨区社会福利中心"},
                       {"uscc", "52610902MJ0000018R"},
                       {"profit", "non_profit"},
                       {"ownership", "public"},
                       {"registration_authority", "civil_affairs"},
                       {"address", "汉滨区江北大道1号"},
                       {"township", "江北街道"},
                       {"legal_representative", "李主任"},
                       {"beds", 120},
                       {"nursing_beds", 66},
                       {"floor_area_m2", 8600},
                       {"grade", 3},
                       {"registered_on", "2026-09-01"}},
                      clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  const long long institution = created.json()["id"];
  const std::string path = kCare + "/institutions/" + std::to_string(institution);
  auto few = post(kCare + "/institutions",
                  {{"name", "小院"},
                   {"uscc", "52610902MJ0000026L"},
                   {"profit", "non_profit"},
                   {"ownership", "private"},
                   {"registration_authority", "civil_affairs"},
                   {"address", "某村"},
                   {"township", "关庙镇"},
                   {"legal_representative", "张"},
                   {"beds", 9},
                   {"nursing_beds", 0},
                   {"floor_area_m2", 300}},
                  clerk);
  EXPECT_EQ(few.status, 422);
  EXPECT_EQ(few.json()["errors"][0]["field"], "beds");
  EXPECT_EQ(few.json()["errors"][0]["rule"], "min-beds");

  // Not a 特困 person: social_assistance answers for 特困 here, so 特困 funding would be refused.
  const auto elder = citizenId("19400312", 11);
  auto not_tekun =
      post(kCare + "/residents", admission(institution, elder, "A101", "nursing", "tekun"), clerk);
  EXPECT_EQ(not_tekun.status, 422);
  EXPECT_EQ(not_tekun.json()["errors"][0]["rule"], "tekun-covered");
  auto first = post(kCare + "/residents",
                    admission(institution, elder, "A101", "nursing", "self_paid"), clerk);
  ASSERT_EQ(first.status, 201) << first.body;
  const long long resident = first.json()["id"];
  auto second_resident = post(
      kCare + "/residents",
      admission(institution, citizenId("19380805", 22), "A102", "self_care", "self_paid"), clerk);
  ASSERT_EQ(second_resident.status, 201) << second_resident.body;
  auto same_bed = post(
      kCare + "/residents",
      admission(institution, citizenId("19420101", 33), "A101", "nursing", "self_paid"), clerk);
  EXPECT_EQ(same_bed.status, 409);
  EXPECT_NE(same_bed.body.find("one-resident-per-bed"), std::string::npos);

  // First admission Monday 09-28: 09-29, 09-30, 国庆 10-01..07 off, 10-08, 10-09, 10-10 (make-up
  // Saturday), 10-12..16 → due Friday 10-16 (without the holiday: 10-12).
  EXPECT_EQ(get(path).json()["filing_due"], "2026-10-16");
  today("2026-10-16");
  EXPECT_EQ(get(kCare + "/filings/overdue").json()["total"], 0);
  today("2026-10-17");
  auto overdue = get(kCare + "/filings/overdue").json();
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["filing_due"], "2026-10-16");
  auto notice =
      post(path + "/filings", {{"materials", {"application_form", "fire_safety"}}}, clerk);
  ASSERT_EQ(notice.status, 201) << notice.body;
  EXPECT_FALSE(notice.json()["complete"]);
  EXPECT_EQ(notice.json()["missing"].size(), 4u);
  auto receipt = post(path + "/filings",
                      {{"materials",
                        {"application_form", "registration_certificate", "premises_proof",
                         "fire_safety", "legal_representative", "compliance_pledge"}}},
                      clerk);
  ASSERT_EQ(receipt.status, 201) << receipt.body;
  EXPECT_EQ(receipt.json()["receipt_number"], "BA610902-2026-000001");
  EXPECT_EQ(get(kCare + "/filings/overdue").json()["total"], 0);

  // An inspection finds a hazard with a deadline; a week later it is past it.
  today("2026-10-19");
  auto inspection = post(path + "/inspections",
                         {{"inspected_on", "2026-10-19"},
                          {"inspectors", "王某、张某"},
                          {"findings", "浴室无防滑设施"}},
                         clerk);
  ASSERT_EQ(inspection.status, 201) << inspection.body;
  auto hazard = post(
      kCare + "/inspections/" + std::to_string(inspection.json()["id"].get<long long>()) +
          "/hazards",
      {{"category", "fall"}, {"description", "浴室无防滑垫"}, {"deadline", "2026-10-23"}}, clerk);
  ASSERT_EQ(hazard.status, 201) << hazard.body;
  today("2026-10-26");
  auto hazards = get(kCare + "/hazards?overdue=true").json();
  ASSERT_EQ(hazards["total"], 1);
  EXPECT_EQ(hazards["items"][0]["deadline"], "2026-10-23");

  // The funeral module registers the resident's death: the resident is discharged that day.
  auto death = post(kFuneral + "/deaths",
                    {{"citizen_id", elder},
                     {"name", "入住老人"},
                     {"death_date", "2026-10-25"},
                     {"place", "汉滨区社会福利中心"},
                     {"township", "江北街道"},
                     {"manner", "normal"},
                     {"certificate_number", "YX-2026-1025"},
                     {"certificate_issuer", "medical"}},
                    clerk);
  ASSERT_EQ(death.status, 201) << death.body;
  json shown;
  for (int i = 0; i < 200; ++i) {
    shown = get(kCare + "/residents/" + std::to_string(resident)).json();
    if (shown["status"] == "deceased") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(shown["status"], "deceased");
  EXPECT_EQ(shown["discharged_on"], "2026-10-25");

  // A construction subsidy for 10 new beds (config/policy/6109.yaml: 8387.62 a bed), payable
  // once a second approver confirms it, then paid by the next monthly run.
  auto construction =
      post(kCare + "/construction-subsidies",
           {{"institution_id", institution}, {"new_beds", 10}, {"completed_on", "2026-10-20"}},
           approver);
  ASSERT_EQ(construction.status, 201) << construction.body;
  EXPECT_EQ(construction.json()["amount"], "83876.20");
  const std::string confirm_construction =
      kCare + "/construction-subsidies/" +
      std::to_string(construction.json()["id"].get<long long>()) + "/confirmation";
  EXPECT_EQ(post(confirm_construction, nullptr, approver).status, 403);
  ASSERT_EQ(post(confirm_construction, nullptr, second).status, 200);
  // October has not ended: its subsidy is computed after it.
  auto early = post(kCare + "/subsidy-runs", {{"month", "2026-10"}}, approver);
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(early.json()["errors"][0]["rule"], "month-ended");

  // October's operating subsidy (6109.yaml: nursing 200, self-care 100 per resident-month):
  // both residents were in residence in October → 300.00, one line for the institution, and
  // the construction subsidy as a one-off line: 84176.20.
  today("2026-11-02");
  auto run = post(kCare + "/subsidy-runs", {{"month", "2026-10"}}, approver);
  ASSERT_EQ(run.status, 201) << run.body;
  EXPECT_EQ(run.json()["total"], "84176.20");
  EXPECT_EQ(run.json()["lines"], 2);
  EXPECT_EQ(run.json()["by_program"]["operating"]["regular"]["total"], "300.00");
  EXPECT_EQ(run.json()["by_program"]["construction"]["construction"]["total"], "83876.20");
  ASSERT_EQ(run.json()["warnings"].size(), 1u) << run.body;
  EXPECT_EQ(run.json()["warnings"][0]["rule"], "bank-account");
  auto again = post(kCare + "/subsidy-runs", {{"month", "2026-10"}}, approver);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json()["created"], false);
  EXPECT_EQ(again.json()["total"], "84176.20");
  EXPECT_EQ(httpRequest(port, "GET", kCare + "/subsidy-runs/2026-10/roll.csv", "", approver).status,
            409);
  EXPECT_EQ(post(kCare + "/subsidy-runs/2026-10/confirmation", nullptr, approver).status, 403);
  // No account on file: a second approver cancels the run; the subsidy waits for the next one.
  EXPECT_EQ(post(kCare + "/subsidy-runs/2026-10/cancellation", {{"reason", "缺银行账号"}}, approver)
                .status,
            403);
  auto cancelled =
      post(kCare + "/subsidy-runs/2026-10/cancellation", {{"reason", "缺银行账号"}}, second);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.json()["cancelled"], true);
  EXPECT_EQ(get(kCare + "/subsidy-runs/2026-10").status, 404);
  EXPECT_EQ(get(kCare + "/construction-subsidies?paid=false").json()["total"], 1);
  auto account = httpRequest(
      port, "PATCH", path,
      json{{"bank_name", "汉滨农商银行"}, {"bank_account", "6230777766665555"}}.dump(), clerk);
  ASSERT_EQ(account.status, 200) << account.body;
  auto rerun = post(kCare + "/subsidy-runs", {{"month", "2026-10"}}, approver);
  ASSERT_EQ(rerun.status, 201) << rerun.body;
  EXPECT_EQ(rerun.json()["total"], "84176.20");
  EXPECT_EQ(rerun.json()["warnings"], json::array());
  // The care levels behind the operating line, where the clerk sees them.
  auto lines = get(kCare + "/subsidy-runs/2026-10/lines?program=operating");
  ASSERT_EQ(lines.status, 200) << lines.body;
  ASSERT_EQ(lines.json()["total"], 1);
  EXPECT_EQ(lines.json()["items"][0]["levels"], json::parse(R"([
      {"care_level": "self_care", "resident_months": 1, "rate": "100.00", "amount": "100.00"},
      {"care_level": "nursing", "resident_months": 1, "rate": "200.00", "amount": "200.00"}])"));
  auto confirmed = post(kCare + "/subsidy-runs/2026-10/confirmation", nullptr, second);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["status"], "confirmed");
  EXPECT_EQ(confirmed.json()["confirmed_by"], "zhao");
  // The bank's CSV: one line per payment, the payee's credit code and account, to the fen.
  auto roll = httpRequest(port, "GET", kCare + "/subsidy-runs/2026-10/roll.csv", "", approver);
  ASSERT_EQ(roll.status, 200);
  EXPECT_EQ(roll.content_type, "text/csv; charset=utf-8");
  const auto rows = csvRows(roll.body);
  ASSERT_EQ(rows.size(), 3u) << roll.body;  // the heading and two lines
  EXPECT_EQ(rows[0][2], "统一社会信用代码");
  EXPECT_EQ(rows[1],
            (std::vector<std::string>{"1", "汉滨区社会福利中心", "52610902MJ0000018R",
                                      "6230777766665555", "汉滨农商银行", "运营补贴", "2026-10",
                                      "按月发放", "300.00", "BA610902-2026-000001"}));
  EXPECT_EQ(rows[2][5], "建设补贴");
  EXPECT_EQ(rows[2][8], "83876.20");
  long long total_fen = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) total_fen += fen(rows[i][8]);
  EXPECT_EQ(total_fen, 8417620);
  auto xlsx = httpRequest(port, "GET", kCare + "/subsidy-runs/2026-10/roll.xlsx", "", approver);
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  EXPECT_EQ(get(kCare + "/construction-subsidies?paid=true").json()["items"][0]["paid_in_month"],
            "2026-10");
  EXPECT_EQ(get(kCare + "/subsidy-runs").json()["items"][0]["status"], "confirmed");

  auto indicators = httpRequest(
      port, "GET", "/api/v1/counties/610902/indicators?from=2026-10-01&to=2026-10-31", "", clerk);
  ASSERT_EQ(indicators.status, 200) << indicators.body;
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["beds"], 120);
  EXPECT_EQ(values["nursing_bed_share_permille"], 550);  // 66 / 120
  EXPECT_EQ(values["hazards_overdue"], 1);
  // 09-28..10-31 excluded the death: the survivor 31 days, the deceased 10-01..10-24 = 24.
  EXPECT_EQ(values["resident_days"], 55);
  EXPECT_EQ(values["occupancy_permille"], 8);  // 1 / 120 = 8.3‰
  // The other demo county has the module too.
  EXPECT_EQ(get("/api/v1/counties/350502/elderly_care/institutions").status, 200);
}

/// An institution as the 汉滨区 clerk registers it (120 beds).
json welfareCentre(const char* code, const char* name) {
  return {{"name", name},
          {"uscc", code},
          {"profit", "non_profit"},
          {"ownership", "public"},
          {"registration_authority", "civil_affairs"},
          {"address", "汉滨区江北大道1号"},
          {"township", "江北街道"},
          {"legal_representative", "李主任"},
          {"beds", 120},
          {"nursing_beds", 66},
          {"floor_area_m2", 8600},
          {"grade", 3},
          {"registered_on", "2026-01-05"}};
}

const std::vector<std::string> kAllMaterials = {"application_form",     "registration_certificate",
                                                "premises_proof",       "fire_safety",
                                                "legal_representative", "compliance_pledge"};

TEST_P(ElderlyCareEndToEnd, ATekunPersonsAdmissionAndDischargeSwitchSupportFromTheNextMonth) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin");
  const auto clerk = served.token("wang", "clerk");
  const auto investigator = served.token("chen", "clerk");
  const auto township = served.token("li", "reviewer");
  const auto county = served.token("zhao", "approver");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)) << date; };
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.dump(), token);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };

  // 刘桂兰, 特困 at home (分散供养), four of six self-care items failed, granted through the
  // whole workflow: 3850 / 12 + 300 care = 620.83 a month (6109.yaml and the declared care
  // amounts); in an institution 5600 / 12 + 300 = 766.67.
  today("2026-03-02");
  const auto person = citizenId("19440210", 62);
  auto household = post(kAssistance + "/households",
                        {{"category", "rural"},
                         {"township", "江北街道"},
                         {"village", "东坝社区"},
                         {"hukou_address", "汉滨区东坝路5号"},
                         {"residence_address", "汉滨区东坝路5号"},
                         {"bank_name", "汉滨农商银行"},
                         {"bank_account", "6230111122223333"},
                         {"members",
                          {{{"citizen_id", person},
                            {"name", "刘桂兰"},
                            {"relationship", "applicant"},
                            {"lives_together", true},
                            {"inclusion_reason", "单人户"},
                            {"work_capacity", "none"}}}}},
                        clerk);
  ASSERT_EQ(household.status, 201) << household.body;
  auto submitted = post(kAssistance + "/applications",
                        {{"household_id", household.json()["id"]},
                         {"program", "tekun"},
                         {"applicant_citizen_id", person},
                         {"person_citizen_id", person},
                         {"support_mode", "dispersed"},
                         {"self_care_failed_items", 4}},
                        clerk);
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  const std::string application =
      kAssistance + "/applications/" + std::to_string(submitted.json()["id"].get<long long>());
  ASSERT_EQ(post(application + "/investigation/start", json::object(), clerk).status, 200);
  ASSERT_EQ(post(application + "/investigation/signatures", json::object(), clerk).status, 200);
  ASSERT_EQ(post(application + "/investigation/signatures", json::object(), investigator).status,
            200);
  auto investigated = post(application + "/investigation/complete",
                           {{"data_checks", {{{"item", "deposits"}, {"result", "match"}}}}}, clerk);
  ASSERT_EQ(investigated.status, 200) << investigated.body;
  ASSERT_EQ(post(application + "/township-review", {{"opinion", "recommend"}}, township).status,
            200);
  auto notice = post(application + "/notice", {{"location", "东坝社区公示栏"}}, clerk);
  ASSERT_EQ(notice.status, 200) << notice.body;
  today("2026-03-17");
  auto decided =
      post(application + "/decision", {{"result", "approve"}, {"county_rechecked", true}}, county);
  ASSERT_EQ(decided.status, 200) << decided.body;
  const long long case_id = decided.json()["case"]["id"];
  EXPECT_EQ(decided.json()["case"]["start_month"], "2026-04");
  const std::string case_path = kAssistance + "/cases/" + std::to_string(case_id);
  const auto amount = [&](const char* month) {
    return get(case_path + "/amount?month=" + month).json()["amount"].get<std::string>();
  };
  EXPECT_EQ(get(case_path).json()["support_mode"], "dispersed");
  EXPECT_EQ(amount("2026-05"), "620.83");

  // Admitted on 04-20 to a welfare centre on 特困 support: the coverage directory answers for
  // 特困 here, and she is covered. 集中供养 from May.
  today("2026-04-20");
  auto centre = post(kCare + "/institutions",
                     welfareCentre("52610902MJ0000018R", "汉滨区社会福利中心"), clerk);
  ASSERT_EQ(centre.status, 201) << centre.body;
  const long long institution = centre.json()["id"];
  json body = admission(institution, person, "B201", "nursing", "tekun");
  body["name"] = "刘桂兰";
  body["admitted_on"] = "2026-04-20";
  body["agreement_signed_on"] = "2026-04-20";
  auto admitted = post(kCare + "/residents", body, clerk);
  ASSERT_EQ(admitted.status, 201) << admitted.body;
  const long long resident = admitted.json()["id"];
  EXPECT_EQ(admitted.json()["funding"], "tekun");
  // Events are delivered after the commit by a background thread: wait for the switch.
  const auto waitForModes = [&](std::size_t count) {
    json shown;
    for (int i = 0; i < 200; ++i) {
      shown = get(case_path).json();
      if (shown["support_modes"].size() >= count) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return shown;
  };
  json shown = waitForModes(2);
  ASSERT_EQ(shown["support_modes"].size(), 2u) << shown.dump();
  EXPECT_EQ(shown["support_modes"][1]["from_month"], "2026-05");
  EXPECT_EQ(shown["support_modes"][1]["support_mode"], "concentrated");
  EXPECT_EQ(shown["support_mode"], "dispersed");  // still April
  EXPECT_EQ(amount("2026-04"), "620.83");
  EXPECT_EQ(amount("2026-05"), "766.67");
  EXPECT_EQ(amount("2026-07"), "766.67");
  // The switch is audited in the county, naming the event and the clerk whose admission caused
  // it.
  const auto switches = [&]() {
    auto trail = httpRequest(port, "GET",
                             "/api/v1/counties/610902/audit?module=social_assistance&entity_type="
                             "case&entity_id=" +
                                 std::to_string(case_id),
                             "", admin);
    EXPECT_EQ(trail.status, 200) << trail.body;
    json found = json::array();
    const json rows = trail.json()["items"];
    for (const auto& row : rows)
      if (row["action"] == "case.support_mode") found.push_back(row);
    return found;
  };
  json audited = switches();
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0]["changes"]["support_mode"]["old"], "dispersed");
  EXPECT_EQ(audited[0]["changes"]["support_mode"]["new"], "concentrated");
  EXPECT_EQ(audited[0]["changes"]["from_month"]["new"], "2026-05");
  EXPECT_EQ(audited[0]["cause"].get<std::string>().find("event elderly_care.tekun_admitted"), 0u)
      << audited[0].dump();
  EXPECT_EQ(audited[0]["user"], "wang");
  EXPECT_EQ(audited[0]["request_id"], admitted.headers["X-Request-Id"]);
  // In May both modules answer 集中: the case, and the institution's resident on 特困 support.
  today("2026-05-06");
  EXPECT_EQ(get(case_path).json()["support_mode"], "concentrated");
  const auto indicator = [&](const char* from, const char* to, const std::string& module,
                             const std::string& id) {
    auto report = get(std::string("/api/v1/counties/610902/indicators?from=") + from + "&to=" + to);
    EXPECT_EQ(report.status, 200) << report.body;
    const json items = report.json()["indicators"];
    for (const auto& item : items)
      if (item["module"] == module && item["id"] == id) return item["value"].get<long long>();
    ADD_FAILURE() << module << "." << id << " not reported";
    return -1LL;
  };
  EXPECT_EQ(indicator("2026-05-01", "2026-05-31", "elderly_care", "tekun_residents"), 1);
  EXPECT_EQ(
      indicator("2026-05-01", "2026-05-31", "social_assistance", "tekun_persons_concentrated"), 1);
  EXPECT_EQ(indicator("2026-05-01", "2026-05-31", "social_assistance", "tekun_persons_dispersed"),
            0);
  auto living = get(kCare + "/residents/" + std::to_string(resident)).json();
  EXPECT_EQ(living["status"], "in_residence");
  EXPECT_EQ(living["funding"], "tekun");

  // Discharged home on 07-31: 分散 again from August.
  today("2026-07-31");
  auto discharged = post(kCare + "/residents/" + std::to_string(resident) + "/discharge",
                         {{"on_date", "2026-07-31"}, {"reason", "returned_home"}}, clerk);
  ASSERT_EQ(discharged.status, 200) << discharged.body;
  EXPECT_EQ(discharged.json()["status"], "discharged");
  shown = waitForModes(3);
  ASSERT_EQ(shown["support_modes"].size(), 3u) << shown.dump();
  EXPECT_EQ(shown["support_modes"][2]["from_month"], "2026-08");
  EXPECT_EQ(shown["support_modes"][2]["support_mode"], "dispersed");
  EXPECT_EQ(shown["support_mode"], "concentrated");  // July
  EXPECT_EQ(amount("2026-07"), "766.67");
  EXPECT_EQ(amount("2026-08"), "620.83");
  audited = switches();
  ASSERT_EQ(audited.size(), 2u);
  EXPECT_EQ(audited[1]["changes"]["support_mode"]["old"], "concentrated");
  EXPECT_EQ(audited[1]["changes"]["support_mode"]["new"], "dispersed");
  EXPECT_EQ(audited[1]["changes"]["from_month"]["new"], "2026-08");
  EXPECT_EQ(audited[1]["cause"].get<std::string>().find("event elderly_care.tekun_discharged"), 0u)
      << audited[1].dump();
  today("2026-08-03");
  EXPECT_EQ(get(case_path).json()["support_mode"], "dispersed");
  EXPECT_EQ(get(kCare + "/residents/" + std::to_string(resident)).json()["discharged_on"],
            "2026-07-31");
  EXPECT_EQ(indicator("2026-08-01", "2026-08-31", "elderly_care", "tekun_residents"), 0);
  EXPECT_EQ(indicator("2026-08-01", "2026-08-31", "social_assistance", "tekun_persons_dispersed"),
            1);
  EXPECT_EQ(
      indicator("2026-08-01", "2026-08-31", "social_assistance", "tekun_persons_concentrated"), 0);
}

TEST_P(ElderlyCareEndToEnd, TheRunsMadeBeforeThePaymentRunsSurviveTheUpgrade) {
  // A county that ran subsidies with the module's own runs (migration 1: ec_runs, ec_run_lines)
  // upgrades: migration 2 carries them over. The database is taken back to migration 1 with
  // two runs in the old shape, then civhost starts again and migrates.
  testing::TestDatabase database(GetParam());
  const std::string url = database.url().connection;
  const std::vector<std::string> serve = {
      "serve",        "--config", std::string(CIV_SOURCE_DIR) + "/config",
      "--database",   url,        "--plugin-dir",
      CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"};
  setenv("CIV_TEST_CLOCK", "1", 1);
  std::string admin, clerk, approver, second;
  long long institution = 0;
  {
    testing::CivhostProcess civhost(serve);
    ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
    admin = testing::issueToken(url, "root", "admin", "610902");
    clerk = testing::issueToken(url, "wang", "clerk", "610902");
    approver = testing::issueToken(url, "li", "approver", "610902");
    second = testing::issueToken(url, "zhao", "approver", "610902");
    const int port = civhost.port();
    const auto post = [&](const std::string& path, const json& body, const std::string& token) {
      return httpRequest(port, "POST", path, body.is_null() ? "" : body.dump(), token);
    };
    ASSERT_EQ(post("/api/v1/admin/clock", {{"today", "2026-03-02"}}, admin).status, 200);
    auto centre = post(kCare + "/institutions",
                       welfareCentre("52610902MJ0000018R", "汉滨区社会福利中心"), clerk);
    ASSERT_EQ(centre.status, 201) << centre.body;
    institution = centre.json()["id"];
    json first = admission(institution, citizenId("19400312", 11), "A101", "nursing", "self_paid");
    json other =
        admission(institution, citizenId("19380805", 22), "A102", "self_care", "self_paid");
    for (json* body : {&first, &other}) {
      (*body)["admitted_on"] = "2026-03-02";
      (*body)["agreement_signed_on"] = "2026-03-02";
      ASSERT_EQ(post(kCare + "/residents", *body, clerk).status, 201);
    }
    ASSERT_EQ(post(kCare + "/institutions/" + std::to_string(institution) + "/filings",
                   {{"materials", kAllMaterials}}, clerk)
                  .status,
              201);
    // A construction subsidy confirmed before the upgrade: no run ever paid it.
    auto construction =
        post(kCare + "/construction-subsidies",
             {{"institution_id", institution}, {"new_beds", 10}, {"completed_on", "2026-03-01"}},
             approver);
    ASSERT_EQ(construction.status, 201) << construction.body;
    ASSERT_EQ(post(kCare + "/construction-subsidies/" +
                       std::to_string(construction.json()["id"].get<long long>()) + "/confirmation",
                   nullptr, second)
                  .status,
              200);
    civhost.stop();
  }
  {
    // Back to migration 1, with March confirmed and April prepared as the old module kept them
    // (per institution and care level: nursing 200, self-care 100).
    host::Database db(database.url(), 1);
    soci::session& session = db.pool().at(0);
    const bool postgres = GetParam() == sdk::Dialect::Postgresql;
    const std::string id =
        postgres ? "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" : "INTEGER PRIMARY KEY";
    for (const char* statement :
         {"DROP TABLE ec_subsidy_line_levels", "DROP TABLE ec_payment_lines",
          "DROP TABLE ec_cancelled_runs", "DROP TABLE ec_payment_runs",
          "DROP INDEX ec_construction_paid",
          "ALTER TABLE ec_construction_subsidies DROP COLUMN paid_in_run",
          "ALTER TABLE ec_institutions DROP COLUMN bank_name",
          "ALTER TABLE ec_institutions DROP COLUMN bank_account",
          "DELETE FROM civ_schema_migrations WHERE owner = 'elderly_care' AND number = 2"})
      session << statement;
    session << "CREATE TABLE ec_runs (id " + id +
                   ", county_code TEXT NOT NULL, month TEXT NOT NULL, status TEXT NOT NULL CHECK"
                   " (status IN ('prepared', 'confirmed')), total_fen BIGINT NOT NULL,"
                   " prepared_by TEXT NOT NULL, prepared_on TEXT NOT NULL, confirmed_by TEXT,"
                   " confirmed_on TEXT, UNIQUE (county_code, month))";
    session << "CREATE TABLE ec_run_lines (id " + id +
                   ", run_id BIGINT NOT NULL REFERENCES ec_runs(id), institution_id BIGINT NOT"
                   " NULL REFERENCES ec_institutions(id), care_level TEXT NOT NULL,"
                   " resident_months INTEGER NOT NULL, rate_fen BIGINT NOT NULL, amount_fen"
                   " BIGINT NOT NULL)";
    session << "INSERT INTO ec_runs (county_code, month, status, total_fen, prepared_by,"
               " prepared_on, confirmed_by, confirmed_on) VALUES ('610902', '2026-03',"
               " 'confirmed', 30000, 'li', '2026-04-02', 'zhao', '2026-04-03'), ('610902',"
               " '2026-04', 'prepared', 30000, 'li', '2026-05-04', NULL, NULL)";
    for (const std::string month : {"2026-03", "2026-04"})
      session << "INSERT INTO ec_run_lines (run_id, institution_id, care_level, resident_months,"
                 " rate_fen, amount_fen) SELECT r.id, :i, l.level, 1, l.rate, l.rate FROM ec_runs"
                 " r JOIN (SELECT 'nursing' AS level, 20000 AS rate UNION ALL SELECT"
                 " 'self_care', 10000) l ON 1 = 1 WHERE r.month = :m",
          soci::use(institution), soci::use(month);
  }
  testing::CivhostProcess civhost(serve);
  ASSERT_TRUE(civhost.waitUntilListening()) << civhost.stderrText();
  unsetenv("CIV_TEST_CLOCK");
  const int port = civhost.port();
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.is_null() ? "" : body.dump(), token);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };
  ASSERT_EQ(post("/api/v1/admin/clock", {{"today", "2026-05-06"}}, admin).status, 200);

  // Both runs, as they were: who prepared, who confirmed, the totals; one line per institution.
  auto runs = get(kCare + "/subsidy-runs");
  ASSERT_EQ(runs.status, 200) << runs.body;
  ASSERT_EQ(runs.json()["total"], 2);
  const json april = runs.json()["items"][0], march = runs.json()["items"][1];
  EXPECT_EQ(april["month"], "2026-04");
  EXPECT_EQ(april["status"], "prepared");
  EXPECT_EQ(april["run_by"], "li");
  EXPECT_EQ(april["run_on"], "2026-05-04");
  EXPECT_EQ(april["lines"], 1);
  EXPECT_EQ(april["total"], "300.00");
  EXPECT_EQ(march["status"], "confirmed");
  EXPECT_EQ(march["confirmed_by"], "zhao");
  auto shown = get(kCare + "/subsidy-runs/2026-03");
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json()["confirmed_on"], "2026-04-03");
  EXPECT_EQ(shown.json()["by_program"]["operating"]["regular"]["total"], "300.00");
  EXPECT_EQ(shown.json()["roll"][0]["receipt_number"], "BA610902-2026-000001");
  // The care levels the old answer showed, on the line.
  auto lines = get(kCare + "/subsidy-runs/2026-03/lines");
  ASSERT_EQ(lines.status, 200) << lines.body;
  ASSERT_EQ(lines.json()["total"], 1);
  EXPECT_EQ(lines.json()["items"][0]["amount"], "300.00");
  EXPECT_EQ(lines.json()["items"][0]["levels"], json::parse(R"([
      {"care_level": "self_care", "resident_months": 1, "rate": "100.00", "amount": "100.00"},
      {"care_level": "nursing", "resident_months": 1, "rate": "200.00", "amount": "200.00"}])"));
  // March was confirmed: its bank file exists. April was not: four eyes against the old
  // preparer, and a second approver may cancel it.
  auto march_roll =
      httpRequest(port, "GET", kCare + "/subsidy-runs/2026-03/roll.csv", "", approver);
  ASSERT_EQ(march_roll.status, 200) << march_roll.body;
  EXPECT_EQ(csvRows(march_roll.body).size(), 2u);
  EXPECT_EQ(httpRequest(port, "GET", kCare + "/subsidy-runs/2026-04/roll.csv", "", approver).status,
            409);
  EXPECT_EQ(post(kCare + "/subsidy-runs/2026-04/confirmation", nullptr, approver).status, 403);
  EXPECT_EQ(post(kCare + "/subsidy-runs", {{"month", "2026-04"}}, second).status, 200);
  auto cancelled =
      post(kCare + "/subsidy-runs/2026-04/cancellation", {{"reason", "建设补贴未列入"}}, second);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  // Run again: the construction subsidy confirmed before the upgrade rides on it, once.
  auto rerun = post(kCare + "/subsidy-runs", {{"month", "2026-04"}}, second);
  ASSERT_EQ(rerun.status, 201) << rerun.body;
  EXPECT_EQ(rerun.json()["total"], "84176.20");  // 300.00 + 10 × 8387.62
  EXPECT_EQ(rerun.json()["by_program"]["construction"]["construction"]["lines"], 1);
  ASSERT_EQ(post(kCare + "/subsidy-runs/2026-04/confirmation", nullptr, approver).status, 200);
  auto roll = httpRequest(port, "GET", kCare + "/subsidy-runs/2026-04/roll.csv", "", approver);
  ASSERT_EQ(roll.status, 200);
  const auto rows = csvRows(roll.body);
  ASSERT_EQ(rows.size(), 3u) << roll.body;
  EXPECT_EQ(fen(rows[1][8]) + fen(rows[2][8]), 8417620);
  EXPECT_EQ(get(kCare + "/construction-subsidies").json()["items"][0]["paid_in_month"], "2026-04");
  civhost.stop();
}

INSTANTIATE_TEST_SUITE_P(Engines, ElderlyCareEndToEnd,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
