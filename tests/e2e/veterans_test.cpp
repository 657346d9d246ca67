// The veterans module (优抚) through a real civhost with the test clock, on both engines: a
// disabled serviceman's file, his disability pension proposed by a clerk and confirmed by an
// approver, the month's payment run prepared by one approver and confirmed by another (the
// preparer refused), the bank CSV; then his death registered by the funeral module
// (person.deceased) ending the pension and owing 12 months of it as funeral aid (§32), paid as
// its own line by the next run; the national table as of a date and a refused import.
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include <civ/sdk/citizen_id.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kVeterans = "/api/v1/counties/610902/veterans";
const std::string kFuneral = "/api/v1/counties/610902/funeral";

std::string citizenId(const char* birth_yyyymmdd, int sequence) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "610902%s%03d", birth_yyyymmdd, sequence);
  return std::string(first17) + sdk::CitizenId::checkCharacter(first17);
}

class VeteransEndToEnd : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(VeteransEndToEnd, APensionConfirmedPaidByTwoApproversThenFuneralAidAfterTheDeath) {
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
  const auto get = [&](const std::string& path, const std::string& token) {
    return httpRequest(port, "GET", path, "", token);
  };

  today("2026-03-02");
  const auto veteran = citizenId("19580101", 11);
  auto filed = post(
      kVeterans + "/beneficiaries",
      {{"citizen_id", veteran},
       {"name", "张建军"},
       {"category", "disabled_serviceman"},
       {"hukou", "rural"},
       {"township", "关庙镇"},
       {"village", "新庄村"},
       {"address", "新庄村三组"},
       {"enlisted_on", "1976-03-01"},
       {"discharged_on", "1981-01-01"},
       {"rank_type", "conscript"},
       {"awards", {{{"level", "fourth_class_battle_or_third_class_merit"}, {"name", "三等功"}}}},
       {"disability",
        {{"nature", "war"},
         {"grade", 2},
         {"certificate_number", "CJ-610902-0007"},
         {"assessed_on", "1981-06-01"}}},
       {"bank_name", "汉滨农商银行"},
       {"bank_account", "6230100010007"}},
      clerk);
  ASSERT_EQ(filed.status, 201) << filed.body;
  const long long file = filed.json()["id"];
  EXPECT_EQ(filed.json()["highest_honour"], "fourth_class_battle_or_third_class_merit");
  // 因病 grade 7 is no pensionable disability (§27): refused, naming the field and the rule.
  auto illness = post(kVeterans + "/beneficiaries",
                      {{"citizen_id", citizenId("19600101", 13)},
                       {"name", "李"},
                       {"category", "disabled_serviceman"},
                       {"hukou", "urban"},
                       {"township", "江北街道"},
                       {"village", "东坝社区"},
                       {"address", "东坝路1号"},
                       {"enlisted_on", "1978-03-01"},
                       {"discharged_on", "1982-01-01"},
                       {"disability",
                        {{"nature", "illness"},
                         {"grade", 7},
                         {"certificate_number", "CJ-1"},
                         {"assessed_on", "1990-01-01"}}}},
                      clerk);
  EXPECT_EQ(illness.status, 422);
  EXPECT_EQ(illness.json()["errors"][0]["field"], "disability.grade");
  EXPECT_EQ(illness.json()["errors"][0]["rule"], "illness-grades-1-6");

  // Proposed by the clerk, confirmed by an approver: paid from March.
  auto proposed = post(kVeterans + "/entitlements",
                       {{"beneficiary_id", file}, {"type", "disability_pension"}}, clerk);
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  const std::string pension =
      kVeterans + "/entitlements/" + std::to_string(proposed.json()["id"].get<long long>());
  auto confirmed = post(pension + "/confirmation", json::object(), approver);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["start_month"], "2026-03");
  // 因战 grade 2 in the bundled 2025-08-01 table: 69,890.00 a year, 5,824.17 a month.
  EXPECT_EQ(confirmed.json()["monthly_amount"], "5824.17");

  // March's run: prepared by li, refused to li's confirmation, confirmed by zhao.
  auto run = post(kVeterans + "/payment-runs", {{"month", "2026-03"}}, approver);
  ASSERT_EQ(run.status, 201) << run.body;
  EXPECT_EQ(run.json()["total"], "5824.17");
  EXPECT_EQ(post(kVeterans + "/payment-runs", {{"month", "2026-03"}}, approver).status, 200);
  EXPECT_EQ(get(kVeterans + "/payment-runs/2026-03/roll.csv", approver).status, 409);
  EXPECT_EQ(post(kVeterans + "/payment-runs/2026-03/confirmation", nullptr, approver).status, 403);
  auto done = post(kVeterans + "/payment-runs/2026-03/confirmation", nullptr, second);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json()["status"], "confirmed");
  auto csv = get(kVeterans + "/payment-runs/2026-03/roll.csv", approver);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("张建军"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("6230100010007"), std::string::npos);
  EXPECT_NE(csv.body.find("残疾抚恤金,2026-03,正常发放,5824.17"), std::string::npos) << csv.body;

  // He dies on 20 March; the funeral module registers the death on the 25th.
  today("2026-03-25");
  auto death = post(kFuneral + "/deaths",
                    {{"citizen_id", veteran},
                     {"name", "张建军"},
                     {"death_date", "2026-03-20"},
                     {"place", "家中"},
                     {"township", "关庙镇"},
                     {"manner", "normal"},
                     {"certificate_number", "YX-2026-0320"},
                     {"certificate_issuer", "medical"}},
                    clerk);
  ASSERT_EQ(death.status, 201) << death.body;
  json shown;
  for (int i = 0; i < 200; ++i) {
    shown = get(pension, clerk).json();
    if (shown["status"] == "ended") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(shown["status"], "ended");
  EXPECT_EQ(shown["end_month"], "2026-03");
  ASSERT_EQ(shown["adjustments"].size(), 1u);
  EXPECT_EQ(shown["adjustments"][0]["kind"], "funeral_aid");

  // April's run pays the funeral aid once: 12 months of the pension (§32), no regular line.
  today("2026-04-01");
  auto april = post(kVeterans + "/payment-runs", {{"month", "2026-04"}}, approver);
  ASSERT_EQ(april.status, 201) << april.body;
  EXPECT_EQ(april.json()["total"], "69890.00");
  ASSERT_EQ(post(kVeterans + "/payment-runs/2026-04/confirmation", nullptr, second).status, 200);
  auto roll = get(kVeterans + "/payment-runs/2026-04", approver).json()["roll"];
  ASSERT_EQ(roll.size(), 1u);
  EXPECT_EQ(roll[0]["kind"], "funeral_aid");
  EXPECT_EQ(roll[0]["month"], "2026-03");
  EXPECT_EQ(roll[0]["amount"], "69890.00");
  // The payee is dead and no agent is on file: the run says so.
  EXPECT_EQ(get(kVeterans + "/payment-runs/2026-04", approver).json()["warnings"][0]["rule"],
            "payee-deceased");

  auto indicators = get("/api/v1/counties/610902/indicators?from=2026-03-01&to=2026-04-30", clerk);
  ASSERT_EQ(indicators.status, 200) << indicators.body;
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    if (indicator["module"] == "veterans")
      values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["paid_regular"], 582417);
  EXPECT_EQ(values["paid_funeral_aid"], 6989000);
  EXPECT_EQ(values["paid_total"], 7571417);

  // The national table as of a date; an import with a bad row imports nothing.
  auto table = get(kVeterans + "/national-standards?as_of=2025-07-31&item=urban_income", clerk);
  ASSERT_EQ(table.status, 200) << table.body;
  EXPECT_EQ(table.json()["total"], 4);
  auto refused = post(kVeterans + "/national-standards/imports",
                      {{"format", "csv"},
                       {"source", "2026年通知"},
                       {"content",
                        "item,key,amount,effective_from\n"
                        "survivor_pension,martyr,25530.00,2026-08-01\n"
                        "disability_pension,illness_8,9000.00,2026-08-01\n"}},
                      approver);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["errors"][0]["field"], "rows[3].key");
  EXPECT_EQ(get(kVeterans + "/national-standards/imports", clerk).json()["total"], 1);
  // The other demo county has the module too.
  EXPECT_EQ(get("/api/v1/counties/350502/veterans/beneficiaries", clerk).status, 200);
}

TEST_P(VeteransEndToEnd, ASpringFestivalVisitAndAMartyrHonourPaidInOneRun) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902");
  const auto approver = served.token("li", "approver", "610902");
  const auto second = served.token("zhao", "approver", "610902");
  ASSERT_TRUE(served.setToday(admin, "2026-01-20"));
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.is_null() ? "" : body.dump(), token);
  };
  // Two 在乡老复员军人 (enlisted before 1954-10-31) in two townships.
  for (int i = 0; i < 2; ++i) {
    auto filed = post(kVeterans + "/beneficiaries",
                      {{"citizen_id", citizenId("19310101", 31 + 2 * i)},
                       {"name", i == 0 ? "王老兵" : "刘老兵"},
                       {"category", "veteran"},
                       {"subsidy_group", "enlisted_before_1954"},
                       {"hukou", "rural"},
                       {"township", i == 0 ? "关庙镇" : "江北街道"},
                       {"village", "某村"},
                       {"address", "某村一组"},
                       {"enlisted_on", "1950-12-01"},
                       {"discharged_on", "1955-06-01"},
                       {"bank_name", "汉滨农商银行"},
                       {"bank_account", i == 0 ? "6230100020001" : "6230100020002"}},
                      clerk);
    ASSERT_EQ(filed.status, 201) << filed.body;
  }
  auto campaign = post(kVeterans + "/visit-campaigns",
                       {{"name", "2026年春节走访慰问"},
                        {"season", "spring_festival"},
                        {"visit_date", "2026-02-10"},
                        {"groups", {{{"group", "enlisted_before_1954"}, {"amount", "180.00"}}}}},
                       clerk);
  ASSERT_EQ(campaign.status, 201) << campaign.body;
  EXPECT_EQ(campaign.json()["recipients"], 2);
  EXPECT_EQ(campaign.json()["total"], "360.00");
  const std::string path =
      kVeterans + "/visit-campaigns/" + std::to_string(campaign.json()["id"].get<long long>());
  ASSERT_EQ(post(path + "/confirmation", nullptr, approver).status, 200);

  // A martyr's survivor: 烈士褒扬金 = 30 × 54,188 (2024), prepared by the clerk, confirmed by li.
  auto fallen = post(kVeterans + "/fallen",
                     {{"citizen_id", citizenId("19950101", 51)},
                      {"name", "赵烈士"},
                      {"death_kind", "martyr"},
                      {"died_on", "2025-03-10"},
                      {"unit_name", "某部"},
                      {"certificate_number", "LS-2025-0001"},
                      {"township", "关庙镇"}},
                     clerk);
  ASSERT_EQ(fallen.status, 201) << fallen.body;
  const long long fallen_id = fallen.json()["id"];
  auto survivor = post(kVeterans + "/beneficiaries",
                       {{"citizen_id", citizenId("19680101", 52)},
                        {"name", "赵母"},
                        {"category", "martyr_survivor"},
                        {"fallen_id", fallen_id},
                        {"relationship", "parent"},
                        {"hukou", "rural"},
                        {"township", "关庙镇"},
                        {"village", "某村"},
                        {"address", "某村二组"},
                        {"bank_name", "汉滨农商银行"},
                        {"bank_account", "6230100020003"}},
                       clerk);
  ASSERT_EQ(survivor.status, 201) << survivor.body;
  auto honour = post(kVeterans + "/one-time-payments",
                     {{"type", "martyr_honour"},
                      {"fallen_id", fallen_id},
                      {"beneficiary_id", survivor.json()["id"]}},
                     clerk);
  ASSERT_EQ(honour.status, 201) << honour.body;
  EXPECT_EQ(honour.json()["amount"], "1625640.00");
  ASSERT_EQ(post(kVeterans + "/one-time-payments/" +
                     std::to_string(honour.json()["id"].get<long long>()) + "/confirmation",
                 nullptr, approver)
                .status,
            200);

  // February's run carries both, prepared by li and confirmed by zhao.
  ASSERT_TRUE(served.setToday(admin, "2026-02-12"));
  auto run = post(kVeterans + "/payment-runs", {{"month", "2026-02"}}, approver);
  ASSERT_EQ(run.status, 201) << run.body;
  EXPECT_EQ(run.json()["total"], "1626000.00");
  EXPECT_EQ(run.json()["by_program"]["visit"]["visit"]["lines"], 2);
  EXPECT_EQ(run.json()["by_program"]["martyr_honour"]["one_time"]["total"], "1625640.00");
  // A new run's answer tallies the lines it wrote in memory; the stored run's answer counts the
  // table. Both must say the same.
  auto shown = httpRequest(port, "GET", kVeterans + "/payment-runs/2026-02", "", approver);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.json()["by_program"], run.json()["by_program"]);
  EXPECT_EQ(shown.json()["by_program"].size(), 2u);
  ASSERT_EQ(post(kVeterans + "/payment-runs/2026-02/confirmation", nullptr, second).status, 200);
  auto csv = httpRequest(port, "GET", kVeterans + "/payment-runs/2026-02/roll.csv", "", second);
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("慰问金,2026-02,慰问金,180.00"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("烈士褒扬金,2026-01,一次性发放,1625640.00"), std::string::npos)
      << csv.body;
}

INSTANTIATE_TEST_SUITE_P(Engines, VeteransEndToEnd,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
