// The social organisations module through a real civhost with the test clock, on both engines:
// registration conditions refused with field and rule, the 60-day decision and its overdue
// listing, the credit code with real and corrupted codes, the inspection deadline and the
// two-year rule for a 民非 driven by the clock, a correction audited, liquidation and
// deregistration, the indicators; a penalty case with its hearing notice, overdue and then
// revoking the registration, and a ban of an illegal organisation.
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kOrgs = "/api/v1/counties/610902/social_orgs";

json groupBody(const char* name, int members) {
  return {{"type", "group"},
          {"name", name},
          {"sponsor_unit", "汉滨区农业农村局"},
          {"legal_representative", {{"citizen_id", "610902197001010014"}, {"name", "张三"}}},
          {"address", "汉滨区江北街道1号"},
          {"township", "江北街道"},
          {"individual_members", members},
          {"funds", "30000.00"},
          {"rural_association", true}};
}

json pneBody() {
  return {{"type", "pne"},
          {"name", "汉滨区启明学校"},
          {"sector", "education"},
          {"sponsor_unit", "汉滨区教育体育局"},
          {"legal_representative", {{"citizen_id", "610902198002020024"}, {"name", "李四"}}},
          {"address", "汉滨区老城街道2号"},
          {"township", "老城街道"},
          {"funds", "30000.00"},
          {"non_state_assets", "20000.00"}};
}

std::set<std::string> overdueKinds(const testing::HttpResult& answer) {
  std::set<std::string> kinds;
  EXPECT_EQ(answer.status, 200) << answer.body;
  const json items = answer.json()["items"];
  for (const auto& item : items) kinds.insert(item["kind"].get<std::string>());
  return kinds;
}

class SocialOrgsEndToEnd : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(SocialOrgsEndToEnd, RegistrationCreditCodeInspectionsTwoYearRuleAndDeregistration) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto approver = served.token("li", "approver", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };

  // A 民非 registered 2023-03-01 that never files its inspection.
  today("2023-03-01");
  auto pne = httpRequest(port, "POST", kOrgs + "/organisations", pneBody().dump(), clerk);
  ASSERT_EQ(pne.status, 201) << pne.body;
  const std::string pne_path =
      kOrgs + "/organisations/" + std::to_string(pne.json()["id"].get<int>());
  auto registered =
      httpRequest(port, "POST", pne_path + "/decision", R"({"decision":"register"})", approver);
  ASSERT_EQ(registered.status, 200) << registered.body;
  const std::string assigned = registered.json()["uscc"];
  EXPECT_EQ(assigned.substr(0, 8), "52610902");

  today("2024-05-31");  // the 2023 papers are due at the registry today
  EXPECT_TRUE(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)).empty());
  today("2024-06-01");
  EXPECT_EQ(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)),
            std::set<std::string>{"inspection"});
  today("2025-06-01");  // 2023 and 2024 both absent: the two-year rule
  EXPECT_EQ(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)),
            (std::set<std::string>{"inspection", "two_year_rule"}));
  auto detail = httpRequest(port, "GET", pne_path, "", clerk);
  EXPECT_EQ(detail.json()["revocation"]["two_year_rule_year"], 2024);

  // A social group: each condition refused with its field and rule, nothing written.
  today("2026-03-02");
  auto national = httpRequest(port, "POST", kOrgs + "/organisations",
                              groupBody("中华茶叶协会", 50).dump(), clerk);
  EXPECT_EQ(national.status, 422);
  EXPECT_EQ(national.json()["errors"][0]["field"], "name");
  EXPECT_EQ(national.json()["errors"][0]["rule"], "local-name-prefix");
  auto few = httpRequest(port, "POST", kOrgs + "/organisations",
                         groupBody("汉滨区茶叶协会", 49).dump(), clerk);
  EXPECT_EQ(few.status, 422);
  EXPECT_EQ(few.json()["errors"][0]["rule"], "member-count");
  EXPECT_EQ(
      httpRequest(port, "GET", kOrgs + "/organisations?type=group", "", clerk).json()["total"], 0);
  auto group = httpRequest(port, "POST", kOrgs + "/organisations",
                           groupBody("汉滨区茶叶协会", 50).dump(), clerk);
  ASSERT_EQ(group.status, 201) << group.body;
  EXPECT_EQ(group.json()["decision_due"], "2026-05-01");
  const std::string group_path =
      kOrgs + "/organisations/" + std::to_string(group.json()["id"].get<int>());
  today("2026-05-02");
  EXPECT_EQ(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)).count("decision"),
            1u);
  // Corrupted codes are refused naming the rule; the real one is kept.
  auto corrupted = httpRequest(port, "POST", group_path + "/decision",
                               R"({"decision":"register","uscc":"51410105501234568T"})", approver);
  EXPECT_GE(corrupted.status, 400);
  EXPECT_LT(corrupted.status, 500);
  EXPECT_EQ(corrupted.json()["errors"][0]["field"], "uscc");
  auto wrong_registry =
      httpRequest(port, "POST", group_path + "/decision",
                  R"({"decision":"register","uscc":"91350200MA2YJ1XR9G"})", approver);
  EXPECT_EQ(wrong_registry.status, 422);
  EXPECT_EQ(wrong_registry.json()["errors"][0]["rule"], "uscc-registry");
  auto decided = httpRequest(port, "POST", group_path + "/decision",
                             R"({"decision":"register","uscc":"51410105501234569T"})", approver);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["uscc"], "51410105501234569T");

  // A correction, audited with old and new values.
  auto corrected = httpRequest(port, "PATCH", group_path,
                               R"({"funds":"45000.05","first_activity_on":"2026-05-02"})", clerk);
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(corrected.json()["funds"], "45000.05");

  // Liquidation ends; deregistration is due within 15 days and listed when late.
  auto liquidation =
      httpRequest(port, "POST", group_path + "/liquidation", R"({"ended_on":"2026-05-02"})", clerk);
  ASSERT_EQ(liquidation.status, 200) << liquidation.body;
  EXPECT_EQ(liquidation.json()["deregistration_due"], "2026-05-17");
  today("2026-05-18");
  EXPECT_EQ(
      overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)).count("deregistration"),
      1u);
  auto deregistered = httpRequest(port, "POST", group_path + "/deregistration",
                                  R"({"announced_on":"2026-05-20"})", approver);
  ASSERT_EQ(deregistered.status, 200) << deregistered.body;
  EXPECT_EQ(deregistered.json()["status"], "deregistered");

  auto indicators = httpRequest(
      port, "GET", "/api/v1/counties/610902/indicators?from=2026-01-01&to=2026-12-31", "", clerk);
  ASSERT_EQ(indicators.status, 200);
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    if (indicator["module"] == "social_orgs")
      values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["organisations_pne"], 1) << indicators.body;
  EXPECT_EQ(values["organisations_group"], 0);
  EXPECT_EQ(values["registered"], 1);
  EXPECT_EQ(values["deregistered"], 1);
  // The other demo county has the module too.
  EXPECT_EQ(httpRequest(port, "GET", "/api/v1/counties/350502/social_orgs/organisations", "", clerk)
                .status,
            200);
}

TEST_P(SocialOrgsEndToEnd, PenaltyWithHearingNoticeOverdueRevocationAndABan) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto approver = served.token("li", "approver", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };

  today("2026-03-02");
  auto group = httpRequest(port, "POST", kOrgs + "/organisations",
                           groupBody("汉滨区茶叶协会", 60).dump(), clerk);
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string group_path =
      kOrgs + "/organisations/" + std::to_string(group.json()["id"].get<int>());
  ASSERT_EQ(
      httpRequest(port, "POST", group_path + "/decision", R"({"decision":"register"})", approver)
          .status,
      200);

  // A case filed today is due in 90 calendar days; undecided after that it is overdue.
  auto filed = httpRequest(port, "POST", group_path + "/penalties",
                           R"({"ground":"profit_making","facts":"以协会名义经营茶叶销售"})", clerk);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.json()["decision_due"], "2026-05-31");
  const std::string penalty_path =
      kOrgs + "/penalties/" + std::to_string(filed.json()["id"].get<int>());
  today("2026-06-01");
  EXPECT_EQ(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)),
            std::set<std::string>{"penalty_decision"});

  // A revocation needs the hearing notice, then the five days to ask for a hearing.
  auto refused =
      httpRequest(port, "POST", penalty_path + "/decision", R"({"kind":"revocation"})", approver);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.json()["errors"][0]["field"], "kind");
  EXPECT_EQ(refused.json()["errors"][0]["rule"], "hearing-notice");
  auto too_large =
      httpRequest(port, "POST", penalty_path + "/decision",
                  R"({"kind":"fine","fine":"30000.01","illegal_turnover":"10000"})", approver);
  EXPECT_EQ(too_large.status, 422);
  EXPECT_EQ(too_large.json()["errors"][0]["rule"], "fine-range");
  auto notice = httpRequest(port, "POST", penalty_path + "/hearing",
                            R"({"notified_on":"2026-06-01"})", clerk);
  ASSERT_EQ(notice.status, 200) << notice.body;
  // Five working days (行政处罚法 §85): Monday 06-01 to Monday 06-08.
  EXPECT_EQ(notice.json()["hearing_request_deadline"], "2026-06-08");
  auto early =
      httpRequest(port, "POST", penalty_path + "/decision", R"({"kind":"revocation"})", approver);
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(early.json()["errors"][0]["rule"], "hearing-window");
  today("2026-06-09");
  auto decided =
      httpRequest(port, "POST", penalty_path + "/decision", R"({"kind":"revocation"})", approver);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(decided.json()["late"], true);
  EXPECT_EQ(httpRequest(port, "GET", group_path, "", clerk).json()["status"], "revoked");
  EXPECT_TRUE(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk)).empty());
  EXPECT_EQ(
      httpRequest(port, "GET", kOrgs + "/penalties?kind=revocation", "", clerk).json()["total"], 1);

  // A ban of an unregistered body (民政部令第77号), listed and corrected.
  const json ban = {{"name", "汉滨区国学研究会"},
                    {"acted_as", "group"},
                    {"ground", "unregistered"},
                    {"persons_in_charge", "赵六"},
                    {"address", "汉滨区老城街道9号"},
                    {"township", "老城街道"},
                    {"facts", "未经登记以社团名义收取会费"},
                    {"decided_on", "2026-06-10"}};
  auto future = httpRequest(port, "POST", kOrgs + "/bans", ban.dump(), approver);
  EXPECT_EQ(future.status, 422);
  EXPECT_EQ(future.json()["errors"][0]["field"], "decided_on");
  json today_ban = ban;
  today_ban["decided_on"] = "2026-06-09";
  auto banned = httpRequest(port, "POST", kOrgs + "/bans", today_ban.dump(), approver);
  ASSERT_EQ(banned.status, 201) << banned.body;
  auto corrected =
      httpRequest(port, "PATCH", kOrgs + "/bans/" + std::to_string(banned.json()["id"].get<int>()),
                  R"({"persons_in_charge":"赵六、钱七"})", approver);
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(httpRequest(port, "GET", kOrgs + "/bans?township=%E8%80%81%E5%9F%8E%E8%A1%97%E9%81%93",
                        "", clerk)
                .json()["total"],
            1);

  auto indicators = httpRequest(
      port, "GET", "/api/v1/counties/610902/indicators?from=2026-01-01&to=2026-12-31", "", clerk);
  ASSERT_EQ(indicators.status, 200);
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    if (indicator["module"] == "social_orgs")
      values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["penalties"], 1) << indicators.body;
  EXPECT_EQ(values["revoked"], 1);
  EXPECT_EQ(values["bans"], 1);
  EXPECT_EQ(values["deregistered"], 0);
}

TEST_P(SocialOrgsEndToEnd, AChangeRegistrationAppliedWhenApprovedAndASealFiled) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto approver = served.token("li", "approver", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };

  today("2026-03-02");
  auto group = httpRequest(port, "POST", kOrgs + "/organisations",
                           groupBody("汉滨区茶叶协会", 60).dump(), clerk);
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string group_path =
      kOrgs + "/organisations/" + std::to_string(group.json()["id"].get<int>());
  ASSERT_EQ(
      httpRequest(port, "POST", group_path + "/decision", R"({"decision":"register"})", approver)
          .status,
      200);
  today("2026-04-20");
  auto prefix = httpRequest(
      port, "POST", group_path + "/changes",
      R"({"kind":"change","sponsor_approved_on":"2026-04-01","changes":{"name":"全国茶叶协会"}})",
      clerk);
  EXPECT_EQ(prefix.status, 422) << prefix.body;
  EXPECT_EQ(prefix.json()["errors"][0]["rule"], "local-name-prefix");
  auto applied = httpRequest(
      port, "POST", group_path + "/changes",
      R"({"kind":"change","sponsor_approved_on":"2026-04-01","changes":{"address":"汉滨区江北街道5号"}})",
      clerk);
  ASSERT_EQ(applied.status, 201) << applied.body;
  EXPECT_EQ(applied.json()["decision_due"], "2026-05-20");
  EXPECT_EQ(applied.json()["applied_late"], false);
  const std::string change_path =
      kOrgs + "/changes/" + std::to_string(applied.json()["id"].get<int>());
  today("2026-05-21");
  EXPECT_EQ(overdueKinds(httpRequest(port, "GET", kOrgs + "/overdue", "", clerk))
                .count("change_decision"),
            1u);
  auto approved =
      httpRequest(port, "POST", change_path + "/decision", R"({"decision":"approve"})", approver);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(httpRequest(port, "GET", group_path, "", clerk).json()["address"], "汉滨区江北街道5号");

  auto seal =
      httpRequest(port, "POST", group_path + "/filings",
                  R"({"kind":"seal","description":"协会公章","filed_on":"2026-05-21"})", clerk);
  ASSERT_EQ(seal.status, 201) << seal.body;
  EXPECT_EQ(httpRequest(port, "GET", kOrgs + "/filings?kind=seal", "", clerk).json()["total"], 1);

  // On the abnormal-activity list, the entry corrected, then removed (移出).
  auto listed =
      httpRequest(port, "POST", group_path + "/listings",
                  R"({"list":"abnormal","cause":"unreachable","cause_on":"2026-05-20"})", approver);
  ASSERT_EQ(listed.status, 201) << listed.body;
  const std::string listing_path =
      kOrgs + "/listings/" + std::to_string(listed.json()["id"].get<int>());
  auto wrong_cause =
      httpRequest(port, "PATCH", listing_path, R"({"cause":"court_defaulter"})", approver);
  EXPECT_EQ(wrong_cause.status, 422);
  EXPECT_EQ(wrong_cause.json()["errors"][0]["rule"], "abnormal-cause");
  EXPECT_EQ(
      httpRequest(port, "PATCH", listing_path, R"({"cause":"no_annual_report"})", approver).status,
      200);
  auto removed =
      httpRequest(port, "POST", listing_path + "/removal",
                  R"({"removed_on":"2026-05-21","reason":"已补报年度工作报告"})", approver);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json()["removed_on"], "2026-05-21");
  EXPECT_EQ(httpRequest(port, "GET", kOrgs + "/listings?current=true", "", clerk).json()["total"],
            0);
}

INSTANTIATE_TEST_SUITE_P(Engines, SocialOrgsEndToEnd,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
