// Reception and resettlement of retired soldiers (veterans, 退役军人安置条例 2024) through a real
// civhost with the test clock, on both engines: the report on day 30 is on time and day 31 late;
// more than 30 days past the time without reason is treated as waived (§51), a reason recorded
// by the clerk and accepted by a reviewer keeps the resettlement; a province that reads §51 as
// "waived from day 31" sets the grace to 0 and day 31 is a waiver; the overdue lists; job
// placement overdue 6 months after the report (§31); the indicators.
#include <cstdio>
#include <map>

#include <gtest/gtest.h>

#include <civ/sdk/citizen_id.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kBase = "/api/v1/counties/610902/veterans/resettlement";

std::string citizenId(const char* birth_yyyymmdd, int sequence) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "610902%s%03d", birth_yyyymmdd, sequence);
  return std::string(first17) + sdk::CitizenId::checkCharacter(first17);
}

json reception(const std::string& citizen_id, const char* name, const char* approved,
               const char* township = "江北街道") {
  return {{"citizen_id", citizen_id},
          {"name", name},
          {"township", township},
          {"rank_type", "conscript"},
          {"enlisted_on", "2024-01-05"},
          {"approved_on", approved},
          {"enlistment_hukou_county", "610902"},
          {"placement_basis", "enlistment_hukou"},
          {"file_received_on", approved}};
}

class VeteransResettlementEndToEnd : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(VeteransResettlementEndToEnd,
       TheThirtyDayReportTheWaiverAReasonAcceptedAndPlacementOverdue) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto reviewer = served.token("zhou", "reviewer", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.is_null() ? "" : body.dump(), token);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };
  const auto receive = [&](const json& body) -> long long {
    auto created = post(kBase + "/receptions", body, clerk);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.status == 201 ? created.json()["id"].get<long long>() : 0;
  };
  const auto at = [](long long id, const std::string& tail = "") {
    return kBase + "/receptions/" + std::to_string(id) + tail;
  };

  // Four soldiers approved to leave on 2026-01-05: the report is due on day 30, 2026-02-04.
  today("2026-01-10");
  const auto on_time = receive(reception(citizenId("20000301", 11), "赵一", "2026-01-05"));
  const auto late = receive(reception(citizenId("20000302", 13), "钱二", "2026-01-05"));
  const auto no_reason = receive(reception(citizenId("20000303", 15), "孙三", "2026-01-05"));
  const auto with_reason = receive(reception(citizenId("20000304", 17), "李四", "2026-01-05"));
  ASSERT_TRUE(on_time && late && no_reason && with_reason);
  auto shown = get(at(on_time)).json();
  EXPECT_EQ(shown["report_due"], "2026-02-04");
  EXPECT_EQ(shown["waived_after"], "2026-03-06");

  today("2026-02-04");  // day 30
  auto reported = post(at(on_time, "/report"), {{"reported_on", "2026-02-04"}}, clerk);
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(reported.json()["report_timing"], "on_time");
  EXPECT_EQ(get(kBase + "/receptions/overdue").json()["total"], 0);

  today("2026-02-05");  // day 31: late, listed, still resettled (within the 30 days of §51)
  auto overdue = get(kBase + "/receptions/overdue").json();
  EXPECT_EQ(overdue["total"], 3);
  EXPECT_EQ(overdue["items"][0]["days_overdue"], 1);
  EXPECT_FALSE(overdue["items"][0]["past_waiver"]);
  reported = post(at(late, "/report"), {{"reported_on", "2026-02-05"}}, clerk);
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(reported.json()["report_timing"], "late");
  EXPECT_EQ(reported.json()["status"], "reported");

  // More than 30 days past the time (day 61): without a reason, waived; with one, a reviewer
  // decides, and the clerk who recorded it cannot.
  today("2026-03-07");
  overdue = get(kBase + "/receptions/overdue").json();
  EXPECT_EQ(overdue["total"], 2);
  EXPECT_TRUE(overdue["items"][0]["past_waiver"]);
  reported = post(at(no_reason, "/report"), {{"reported_on", "2026-03-07"}}, clerk);
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(reported.json()["status"], "waived");
  EXPECT_EQ(reported.json()["waived_on"], "2026-03-07");
  auto refused = post(at(no_reason, "/type"), {{"type", "self_employment"}}, clerk);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json()["errors"][0]["field"], "type");
  EXPECT_EQ(refused.json()["errors"][0]["rule"], "reported");
  reported =
      post(at(with_reason, "/report"),
           {{"reported_on", "2026-03-07"}, {"late_reason", "因洪灾交通中断，有乡镇证明"}}, clerk);
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(reported.json()["status"], "reason_pending");
  EXPECT_EQ(
      post(at(with_reason, "/late-reason-review"), {{"accepted", true}, {"note", "属实"}}, clerk)
          .status,
      403);
  auto accepted = post(at(with_reason, "/late-reason-review"),
                       {{"accepted", true}, {"note", "乡镇证明属实"}}, reviewer);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "reported");
  EXPECT_EQ(accepted.json()["reason_status"], "accepted");
  EXPECT_EQ(get(kBase + "/receptions/overdue").json()["total"], 0);
  auto decided = post(at(with_reason, "/type"), {{"type", "self_employment"}}, clerk);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["status"], "resettled");

  // A province that reads §51 as "waived from day 31" sets the grace to 0 (from a future date,
  // as every parameter change): then day 31 without reason is a waiver.
  auto strict = post("/api/v1/admin/parameters",
                     {{"level", "61"},
                      {"key", "veterans.resettlement.report.waiver_grace_days"},
                      {"value", "0"},
                      {"effective_from", "2026-04-01"},
                      {"reason", "省退役军人事务厅通知（演示）"}},
                     admin);
  ASSERT_EQ(strict.status, 201) << strict.body;
  today("2026-04-01");
  const auto strict_case = receive(reception(citizenId("20000305", 19), "周五", "2026-04-01"));
  EXPECT_EQ(get(at(strict_case)).json()["waived_after"], "2026-05-01");
  today("2026-05-02");  // day 31
  reported = post(at(strict_case, "/report"), {{"reported_on", "2026-05-02"}}, clerk);
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(reported.json()["status"], "waived");

  // Job placement: a 二等功 soldier reported on 02-04 is due to be placed by 08-04 (§31).
  today("2026-05-02");
  json merit = reception(citizenId("20000306", 21), "吴六", "2026-01-05", "关庙镇");
  merit["awards"] = {"second_class_merit"};
  const auto placed = receive(merit);
  ASSERT_TRUE(placed);
  ASSERT_EQ(post(at(placed, "/report"), {{"reported_on", "2026-02-04"}}, clerk).status, 200);
  auto job =
      post(at(placed, "/type"), {{"type", "job_placement"}, {"decided_on", "2026-02-10"}}, clerk);
  ASSERT_EQ(job.status, 200) << job.body;
  EXPECT_EQ(job.json()["placement_due"], "2026-08-04");
  today("2026-08-04");
  EXPECT_EQ(get(kBase + "/placements/overdue").json()["total"], 0);
  today("2026-08-05");
  auto late_placements = get(kBase + "/placements/overdue").json();
  ASSERT_EQ(late_placements["total"], 1);
  EXPECT_EQ(late_placements["items"][0]["id"], placed);
  EXPECT_EQ(late_placements["items"][0]["township"], "关庙镇");

  auto indicators = httpRequest(
      port, "GET", "/api/v1/counties/610902/indicators?from=2026-01-01&to=2026-08-05", "", clerk);
  ASSERT_EQ(indicators.status, 200) << indicators.body;
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    if (indicator["module"] == "veterans")
      values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["resettlement_received"], 4);  // the two waived are not received
  EXPECT_EQ(values["resettlement_waived"], 2);
  EXPECT_EQ(values["resettled_self_employment"], 1);
  EXPECT_EQ(values["resettled_job_placement"], 1);
  EXPECT_EQ(values["resettlement_placements_overdue"], 1);
  EXPECT_EQ(values["resettlement_reports_overdue"], 0);
  // The other demo county has the module too.
  EXPECT_EQ(get("/api/v1/counties/350502/veterans/resettlement/receptions").status, 200);
}

TEST_P(VeteransResettlementEndToEnd,
       ALetterAPostLateTheAllowancePaidByTwoApproversAndTheAnnouncement) {
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

  // 陕西's monthly minimum wage for the county's class (a demo figure), from 2026-03-01.
  today("2026-02-01");
  auto wage = post("/api/v1/admin/parameters",
                   {{"level", "6109"},
                    {"key", "veterans.resettlement.minimum_wage.monthly"},
                    {"value", "2160.00"},
                    {"effective_from", "2026-03-01"},
                    {"reason", "当地月最低工资标准（演示）"}},
                   admin);
  ASSERT_EQ(wage.status, 201) << wage.body;

  today("2026-03-10");
  json merit = reception(citizenId("20000306", 21), "吴六", "2026-03-01");
  merit["awards"] = {"second_class_merit"};
  auto created = post(kBase + "/receptions", merit, clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string at =
      kBase + "/receptions/" + std::to_string(created.json()["id"].get<long long>());
  ASSERT_EQ(post(at + "/report", {{"reported_on", "2026-03-10"}}, clerk).status, 200);
  ASSERT_EQ(post(at + "/type", {{"type", "job_placement"}}, clerk).status, 200);

  // The letter on 06-20 ends the waiting: 03-10 .. 06-19 at 2,160.00 a month.
  today("2026-06-25");
  auto letter = post(at + "/placements",
                     {{"letter_number", "HB-JS-2026-017"},
                      {"letter_on", "2026-06-20"},
                      {"employer", "汉滨区某国有企业"},
                      {"employer_kind", "state_enterprise"},
                      {"score", "91.5"}},
                     clerk);
  ASSERT_EQ(letter.status, 201) << letter.body;
  EXPECT_EQ(letter.json()["post_due"], "2026-07-20");
  const std::string placement =
      kBase + "/placements/" + std::to_string(letter.json()["id"].get<long long>());
  auto allowance = get(at + "/living-allowance");
  ASSERT_EQ(allowance.status, 200) << allowance.body;
  // March 22/31 × 2,160 = 1,532.90; April and May 2,160.00; June 19/30 × 2,160 = 1,368.00.
  EXPECT_EQ(allowance.json()["total"], "7220.90");
  auto prepared = post(kBase + "/payments",
                       {{"reception_id", created.json()["id"]},
                        {"kind", "living_allowance"},
                        {"through", "2026-06-25"}},
                       approver);
  ASSERT_EQ(prepared.status, 201) << prepared.body;
  EXPECT_EQ(prepared.json()["amount"], "7220.90");
  EXPECT_EQ(prepared.json()["period_to"], "2026-06-19");
  const std::string payment =
      kBase + "/payments/" + std::to_string(prepared.json()["id"].get<long long>());
  EXPECT_EQ(post(payment + "/confirmation", nullptr, approver).status, 403);
  auto confirmed = post(payment + "/confirmation", nullptr, second);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["status"], "confirmed");

  auto announced = get(kBase + "/placements/announcement?from=2026-06-01&to=2026-06-30");
  ASSERT_EQ(announced.status, 200) << announced.body;
  ASSERT_EQ(announced.json()["total"], 1);
  EXPECT_EQ(announced.json()["items"][0]["name"], "吴*");
  EXPECT_EQ(announced.json()["items"][0]["employer"], "汉滨区某国有企业");

  // Day 31 after the letter without the post: the employer is late and owes from June.
  today("2026-07-21");
  auto late = get(kBase + "/placements/late-posts");
  ASSERT_EQ(late.status, 200) << late.body;
  ASSERT_EQ(late.json()["total"], 1);
  EXPECT_EQ(late.json()["items"][0]["days_late"], 1);
  EXPECT_EQ(late.json()["items"][0]["employer_owed_months"], 2);
  auto posted = post(placement + "/post", {{"posted_on", "2026-07-21"}}, clerk);
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_EQ(get(at).json()["status"], "placed");

  auto training = post(kBase + "/trainings",
                       {{"reception_id", created.json()["id"]},
                        {"kind", "adaptive"},
                        {"course", "适应性培训"},
                        {"provider", "汉滨区退役军人服务中心"},
                        {"start_on", "2026-07-01"},
                        {"end_on", "2026-07-05"},
                        {"completed", true}},
                       clerk);
  ASSERT_EQ(training.status, 201) << training.body;
  EXPECT_EQ(get(kBase + "/trainings?name=吴&completed=true").json()["total"], 1);
  EXPECT_EQ(get(kBase + "/receptions?type=job_placement&status=placed").json()["total"], 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, VeteransResettlementEndToEnd,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
