// County reports over HTTP (issue 23): the year's assessment plan scored at mid-year and
// year-end on a known fixture (notes written on known days, counted by the example module's
// indicator), checked by hand; four eyes and the freeze; the prefecture view summing two
// counties; the indicators as CSV; the small-count parameter.
#include <set>

#include <gtest/gtest.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

class Reports : public ::testing::TestWithParam<sdk::Dialect> {};

const std::string kPlans = "/api/v1/counties/610902/assessment-plans";

void writeNotes(testing::ServedCivhost& served, const std::string& admin, const std::string& clerk,
                const std::string& county, const std::string& day, int count) {
  ASSERT_TRUE(served.setToday(admin, day));
  for (int i = 0; i < count; ++i) {
    auto note = httpRequest(served.port(), "POST", "/api/v1/counties/" + county + "/example/notes",
                            json{{"citizen_id", "610902197001010014"},
                                 {"name", "张三"},
                                 {"text", "来电询问 " + std::to_string(i)}}
                                .dump(),
                            clerk);
    ASSERT_EQ(note.status, 201) << note.body;
  }
}

json planBody() {
  return {{"year", 2026},
          {"title", "2026年度民政工作目标责任考核"},
          {"bonus_cap", "2"},
          {"deduction_cap", "5"},
          {"items",
           {{{"kind", "work"},
             {"title", "政策咨询登记"},
             {"responsible_unit", "办公室"},
             {"points", "20"},
             {"method", "indicator"},
             {"indicator", "example.notes_written"},
             {"formula", "proportional"},
             {"target", 10},
             {"mid_year_percent", 60}},
            {{"kind", "work"},
             {"title", "咨询登记达标"},
             {"responsible_unit", "办公室"},
             {"points", "10"},
             {"method", "indicator"},
             {"indicator", "example.notes_written"},
             {"formula", "threshold"},
             {"target", 4},
             {"mid_year_percent", 60}},
            {{"kind", "work"},
             {"title", "殡葬改革宣传"},
             {"responsible_unit", "社会事务股"},
             {"points", "15"},
             {"method", "manual"}},
            {{"kind", "bonus"},
             {"title", "亮点工作"},
             {"responsible_unit", "办公室"},
             {"points", "3"},
             {"method", "manual"}},
            {{"kind", "deduction"},
             {"title", "超时办理"},
             {"responsible_unit", "办公室"},
             {"points", "2"},
             {"method", "indicator"},
             {"indicator", "example.notes_written"},
             {"per_unit", "0.5"}}}}};
}

TEST_P(Reports, AnAssessmentPlanIsScoredAtMidYearAndYearEndAndFrozenOnceConfirmed) {
  testing::ServedCivhost served(GetParam(), true);
  const auto admin = served.token("root", "admin");
  const auto clerk = served.token("wang", "clerk");
  const auto approver = served.token("zhao", "approver");
  const auto other_approver = served.token("qian", "approver");
  const auto auditor = served.token("sun", "auditor");
  const int port = served.port();
  // The fixture: 3 notes in March, 2 in September (and 1 in 2025, outside the year).
  writeNotes(served, admin, clerk, "610902", "2025-12-30", 1);
  writeNotes(served, admin, clerk, "610902", "2026-03-10", 3);

  // A plan naming an indicator no enabled module has is refused whole, naming the item.
  json bad = planBody();
  bad["items"][1]["indicator"] = "example.no_such_indicator";
  bad["items"][0].erase("target");
  auto refused = httpRequest(port, "POST", kPlans, bad.dump(), clerk);
  ASSERT_EQ(refused.status, 422) << refused.body;
  std::set<std::string> fields;
  const json problem = refused.json();
  for (const auto& error : problem["errors"])
    fields.insert(error["field"].get<std::string>() + " " + error["rule"].get<std::string>());
  EXPECT_TRUE(fields.count("items[1].indicator known-indicator")) << refused.body;
  EXPECT_TRUE(fields.count("items[0].target required")) << refused.body;
  EXPECT_EQ(httpRequest(port, "GET", kPlans, "", clerk).json()["total"], 0);
  EXPECT_EQ(httpRequest(port, "POST", kPlans, planBody().dump(), auditor).status, 403);

  auto created = httpRequest(port, "POST", kPlans, planBody().dump(), clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  const json plan = created.json();
  const std::string path = kPlans + "/" + std::to_string(plan["id"].get<std::int64_t>());
  ASSERT_EQ(plan["items"].size(), 5u);
  EXPECT_EQ(plan["items"][4]["formula"], "per_unit");
  EXPECT_EQ(httpRequest(port, "POST", kPlans, planBody().dump(), clerk).status, 409);
  const std::string manual = std::to_string(plan["items"][2]["id"].get<std::int64_t>());
  const std::string bonus = std::to_string(plan["items"][3]["id"].get<std::int64_t>());
  const std::string computed = std::to_string(plan["items"][0]["id"].get<std::int64_t>());

  // Points are entered for manual items only, up to the item's weight, with evidence.
  EXPECT_EQ(httpRequest(port, "PUT", path + "/items/" + computed + "/points/mid_year",
                        R"({"points":"5","evidence":"x"})", clerk)
                .status,
            422);
  auto too_many = httpRequest(port, "PUT", path + "/items/" + manual + "/points/mid_year",
                              R"({"points":"15.01","evidence":"宣传活动"})", clerk);
  EXPECT_EQ(too_many.status, 422);
  EXPECT_EQ(too_many.json()["errors"][0]["rule"], "maximum");
  ASSERT_EQ(httpRequest(port, "PUT", path + "/items/" + manual + "/points/mid_year",
                        R"({"points":"12.5","evidence":"宣传活动6场，见附件"})", clerk)
                .status,
            200);

  // Mid-year (2026-01-01 to 06-30): 3 notes.
  //   政策咨询登记: due 10 × 60 % = 6; 20 × 3 / 6 = 10.00
  //   咨询登记达标: due 4 × 60 % = 2.4; 3 ≥ 2.4 → 10.00
  //   殡葬改革宣传: entered 12.50
  //   超时办理: 3 × 0.5 = 1.50 deducted
  //   total 10 + 10 + 12.5 - 1.5 = 31.00
  ASSERT_TRUE(served.setToday(admin, "2026-07-03"));
  auto mid = httpRequest(port, "POST", path + "/scorings/mid_year", "", clerk);
  ASSERT_EQ(mid.status, 200) << mid.body;
  EXPECT_EQ(mid.json()["from"], "2026-01-01");
  EXPECT_EQ(mid.json()["to"], "2026-06-30");
  EXPECT_EQ(mid.json()["lines"][0]["actual"], 3);
  EXPECT_EQ(mid.json()["lines"][0]["due"], "6.00");
  EXPECT_EQ(mid.json()["lines"][0]["points"], "10.00");
  EXPECT_EQ(mid.json()["lines"][1]["due"], "2.40");
  EXPECT_EQ(mid.json()["lines"][1]["points"], "10.00");
  EXPECT_EQ(mid.json()["lines"][2]["points"], "12.50");
  EXPECT_NE(mid.json()["lines"][2]["explanation"].get<std::string>().find("宣传活动6场"),
            std::string::npos);
  EXPECT_EQ(mid.json()["lines"][3]["points"], "0.00");
  EXPECT_EQ(mid.json()["lines"][4]["points"], "1.50");
  EXPECT_EQ(mid.json()["deduction"], "1.50");
  EXPECT_EQ(mid.json()["total"], "31.00");
  EXPECT_EQ(mid.json()["status"], "prepared");

  // A point changed after scoring makes the prepared result stale: it is scored again.
  ASSERT_EQ(httpRequest(port, "PUT", path + "/items/" + manual + "/points/mid_year",
                        R"({"points":"12","evidence":"宣传活动6场，见附件"})", clerk)
                .status,
            200);
  auto stale = httpRequest(port, "POST", path + "/scorings/mid_year/confirmation", "", approver);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json()["type"], "urn:civ:problem:scoring-stale") << stale.body;
  ASSERT_EQ(httpRequest(port, "PUT", path + "/items/" + manual + "/points/mid_year",
                        R"({"points":"12.5","evidence":"宣传活动6场，见附件"})", clerk)
                .status,
            200);
  EXPECT_EQ(httpRequest(port, "PUT", path + "/items/" + manual + "/points/mid_year",
                        R"({"points":"12.5","evidence":"   "})", clerk)
                .json()["errors"][0]["rule"],
            "not-blank");
  ASSERT_EQ(httpRequest(port, "POST", path + "/scorings/mid_year", "", clerk).status, 200);
  // Whoever prepared it may not confirm it; a clerk may not confirm at all.
  auto own = httpRequest(port, "POST", path + "/scorings/mid_year/confirmation", "", clerk);
  EXPECT_EQ(own.status, 403);
  auto prepared_by_approver = httpRequest(port, "POST", path + "/scorings/mid_year", "", approver);
  ASSERT_EQ(prepared_by_approver.status, 403);  // preparing is a clerk's (Edit) work
  auto confirmed =
      httpRequest(port, "POST", path + "/scorings/mid_year/confirmation", "", approver);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["status"], "confirmed");
  EXPECT_EQ(confirmed.json()["confirmed_by"], "zhao");
  EXPECT_EQ(confirmed.json()["total"], "31.00");
  EXPECT_EQ(httpRequest(port, "POST", path + "/scorings/mid_year/confirmation", "", other_approver)
                .status,
            409);

  // Frozen: the plan, its items and the stage's points no longer change.
  EXPECT_EQ(httpRequest(port, "PATCH", path, R"({"title":"改"})", clerk).status, 409);
  EXPECT_EQ(
      httpRequest(port, "PATCH", path + "/items/" + computed, R"({"target":5})", clerk).status,
      409);
  EXPECT_EQ(httpRequest(port, "PUT", path + "/items/" + manual + "/points/mid_year",
                        R"({"points":"15","evidence":"补充"})", clerk)
                .status,
            409);
  EXPECT_EQ(httpRequest(port, "POST", path + "/scorings/mid_year", "", clerk).status, 409);

  // Year-end: 2 more notes in September, 5 in the year.
  //   政策咨询登记: due 10; 20 × 5 / 10 = 10.00
  //   咨询登记达标: due 4; 5 ≥ 4 → 10.00
  //   殡葬改革宣传: no year-end entry → 0.00
  //   亮点工作: 3 entered, plan bonus cap 2 → 2.00
  //   超时办理: 5 × 0.5 = 2.5, item cap 2 → 2.00
  //   total 10 + 10 + 0 + 2 - 2 = 20.00
  writeNotes(served, admin, clerk, "610902", "2026-09-15", 2);
  ASSERT_EQ(httpRequest(port, "PUT", path + "/items/" + bonus + "/points/year_end",
                        R"({"points":"3","evidence":"省厅通报表扬"})", clerk)
                .status,
            200);
  ASSERT_TRUE(served.setToday(admin, "2026-12-28"));
  auto year_end = httpRequest(port, "POST", path + "/scorings/year_end", "", clerk);
  ASSERT_EQ(year_end.status, 200) << year_end.body;
  // Scored in late December, but confirmed only once the year has ended.
  auto early = httpRequest(port, "POST", path + "/scorings/year_end/confirmation", "", approver);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(early.json()["type"], "urn:civ:problem:stage-not-ended");
  ASSERT_TRUE(served.setToday(admin, "2027-01-06"));
  const json end = year_end.json();
  EXPECT_EQ(end["lines"][0]["actual"], 5);
  EXPECT_EQ(end["lines"][0]["points"], "10.00");
  EXPECT_EQ(end["lines"][1]["points"], "10.00");
  EXPECT_EQ(end["lines"][2]["points"], "0.00");
  EXPECT_EQ(end["lines"][3]["points"], "3.00");
  EXPECT_EQ(end["bonus"], "2.00");
  EXPECT_EQ(end["lines"][4]["points"], "2.00");
  EXPECT_EQ(end["total"], "20.00");
  EXPECT_NE(end["explanation"].get<std::string>().find("加分项合计 3.00 分，超过方案上限 2.00 分"),
            std::string::npos)
      << end["explanation"];
  ASSERT_EQ(httpRequest(port, "POST", path + "/scorings/year_end/confirmation", "", other_approver)
                .status,
            200);
  // The mid-year result stays as confirmed, though more notes were written since.
  auto kept = httpRequest(port, "GET", path + "/scorings/mid_year", "", auditor);
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(kept.json()["total"], "31.00");
  EXPECT_EQ(kept.json()["lines"][0]["actual"], 3);
  const json read = httpRequest(port, "GET", path, "", auditor).json();
  EXPECT_EQ(read["frozen"], true);
  EXPECT_EQ(read["scorings"].size(), 2u);

  // Every step is in the county's audit trail.
  auto trail = httpRequest(port, "GET",
                           "/api/v1/counties/610902/audit?entity_type=assessment_plan&entity_id=" +
                               std::to_string(plan["id"].get<std::int64_t>()),
                           "", auditor);
  ASSERT_EQ(trail.status, 200);
  std::vector<std::string> actions;
  const json rows = trail.json()["items"];
  for (const auto& row : rows) actions.push_back(row["action"]);
  const std::vector<std::string> expected = {
      "assessment_plan.create",     "assessment_points.enter", "assessment_scoring.prepare",
      "assessment_points.enter",    "assessment_points.enter", "assessment_scoring.prepare",
      "assessment_scoring.confirm", "assessment_points.enter", "assessment_scoring.prepare",
      "assessment_scoring.confirm"};
  EXPECT_EQ(actions, expected) << trail.body.substr(0, 600);
  // Another county's plan is not this county's.
  const auto licheng = served.token("lin", "clerk", "350502");
  EXPECT_EQ(httpRequest(port, "GET",
                        "/api/v1/counties/350502/assessment-plans/" +
                            std::to_string(plan["id"].get<std::int64_t>()),
                        "", licheng)
                .status,
            404);
}

TEST_P(Reports, APrefectureTokenSeesTheSumWithEachCountysFigureBeside) {
  testing::ServedCivhost served(GetParam(), true);
  const auto admin = served.token("root", "admin", "610902,350502");
  writeNotes(served, admin, served.token("wang", "clerk"), "610902", "2026-04-01", 2);
  writeNotes(served, admin, served.token("lin", "clerk", "350502"), "350502", "2026-04-02", 3);
  const auto region = served.token("tongji", "auditor", "610902,350502");
  auto view = httpRequest(served.port(), "GET",
                          "/api/v1/admin/indicators?from=2026-01-01&to=2026-12-31", "", region);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(view.json()["counties"].size(), 2u);
  bool found = false;
  const json summed = view.json()["indicators"];
  for (const auto& indicator : summed) {
    if (indicator["module"] != "example" || indicator["id"] != "notes_written") continue;
    found = true;
    EXPECT_EQ(indicator["value"], 5);
    ASSERT_EQ(indicator["by_county"].size(), 2u);
    for (const auto& county : indicator["by_county"])
      EXPECT_EQ(county["value"], county["county"] == "610902" ? 2 : 3);
  }
  EXPECT_TRUE(found) << view.body.substr(0, 3000);
  // A ratio is not summed.
  for (const auto& indicator : summed)
    if (indicator["measure"] == "ratio")
      EXPECT_TRUE(indicator["value"].is_null()) << indicator["id"];
  // One county's token asking for the province is refused, not given half of it.
  const auto hanbin = served.token("zhou", "auditor", "610902");
  EXPECT_EQ(
      httpRequest(served.port(), "GET",
                  "/api/v1/admin/indicators?from=2026-01-01&to=2026-12-31&level=35", "", hanbin)
          .status,
      403);
  auto only_mine = httpRequest(
      served.port(), "GET", "/api/v1/admin/indicators?from=2026-01-01&to=2026-12-31", "", hanbin);
  ASSERT_EQ(only_mine.status, 200);
  EXPECT_EQ(only_mine.json()["counties"].size(), 1u);
  auto backwards = httpRequest(
      served.port(), "GET", "/api/v1/admin/indicators?from=2026-12-31&to=2026-01-01", "", region);
  EXPECT_EQ(backwards.status, 400);
}

TEST_P(Reports, TheIndicatorsAsCsvHoldTheApisFiguresAndTheSmallCountRuleIsAParameter) {
  testing::ServedCivhost served(GetParam(), true);
  const auto admin = served.token("root", "admin");
  writeNotes(served, admin, served.token("wang", "clerk"), "610902", "2026-05-06", 4);
  const auto auditor = served.token("sun", "auditor");
  const std::string period = "?from=2026-01-01&to=2026-12-31";
  auto api =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/indicators" + period, "", auditor);
  ASSERT_EQ(api.status, 200);
  auto csv = httpRequest(served.port(), "GET", "/api/v1/counties/610902/indicators.csv" + period,
                         "", auditor);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type.rfind("text/csv", 0), 0u);
  EXPECT_NE(csv.body.find("汉滨区（610902）民政业务指标"), std::string::npos);
  EXPECT_NE(csv.body.find("统计期间：2026-01-01 至 2026-12-31"), std::string::npos);
  EXPECT_NE(csv.body.find("制表：sun"), std::string::npos);
  EXPECT_NE(csv.body.find("example,notes_written,备注条数,条,期间内登记的备注条数,合计,4,"
                          "示例模块，无法律依据\r\n"),
            std::string::npos)
      << csv.body.substr(0, 800);
  const json listed_indicators = api.json()["indicators"];
  for (const auto& indicator : listed_indicators) {
    EXPECT_NE(csv.body.find("," + indicator["id"].get<std::string>() + ","), std::string::npos);
    EXPECT_TRUE(indicator["definition"]["zh"].is_string());
  }

  // The threshold is the host's own parameter, set like any other and listed for the county.
  auto set = httpRequest(served.port(), "POST", "/api/v1/admin/parameters",
                         json{{"level", "61"},
                              {"key", "civ.reports.small_count_threshold"},
                              {"value", "5"},
                              {"effective_from", "2026-05-06"},
                              {"reason", "陕西省统计发布规则"}}
                             .dump(),
                         admin);
  ASSERT_EQ(set.status, 201) << set.body;
  auto listed = httpRequest(served.port(), "GET", "/api/v1/counties/610902/parameters?module=civ",
                            "", auditor);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json()["parameters"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.json()["parameters"][0]["value"], "5");
  auto out_of_bounds = httpRequest(served.port(), "POST", "/api/v1/admin/parameters",
                                   json{{"level", "61"},
                                        {"key", "civ.reports.small_count_threshold"},
                                        {"value", "-1"},
                                        {"effective_from", "2026-06-01"},
                                        {"reason", "x"}}
                                       .dump(),
                                   admin);
  EXPECT_EQ(out_of_bounds.status, 422);
  // The county's figure itself is never suppressed.
  auto again =
      httpRequest(served.port(), "GET", "/api/v1/counties/610902/indicators" + period, "", auditor);
  const json indicators_again = again.json()["indicators"];
  for (const auto& indicator : indicators_again)
    if (indicator["id"] == "notes_written") EXPECT_EQ(indicator["value"], 4);
}

INSTANTIATE_TEST_SUITE_P(Engines, Reports,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
