// Reception and resettlement on the fake Context, through the routes: the 30-day report and the
// waiver of §51 with a reason and its review, every refusal naming its field and rule and
// changing nothing, the type decided against the conditions and exclusions, the lump sums and
// the living allowance to the fen and paid by two approvers, placement within 6 months and the
// post within 30 days, training records, the 公示 list, corrections audited with old and new
// values, township scope, person.deceased, and the indicators on a fixture counted by hand.
//
// The part is started on its own (the plugin's wiring of it is A's and the e2e test's concern):
// a plugin that declares exactly what resettlement.h offers.
#include <functional>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/test_data.h>

#include "../src/resettlement.h"
#include "../src/veterans_plugin.h"

namespace civ::plugins::veterans {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;

class ResettlementOnly : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override {
    declarations.migration({1, "resettlement", resettlementTableStatements(), {}});
    for (const auto& parameter : resettlementParameters()) declarations.parameter(parameter);
    for (const auto& indicator : resettlementIndicators()) declarations.indicator(indicator);
  }
  void start(sdk::Context& context) override { addResettlementRoutes(context); }
};

const std::string kReceptions = "/resettlement/receptions";

class ResettlementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.start(plugin_);
    asClerk();
  }

  void asClerk(const char* user = "clerk1") {
    context_.setCaller({user, "clerk", {"610902", "350502"}, {}});
  }
  void asReviewer(const char* user = "reviewer1") {
    context_.setCaller({user, "reviewer", {"610902", "350502"}, {}});
  }
  void asApprover(const char* user = "approver1") {
    context_.setCaller({user, "approver", {"610902", "350502"}, {}});
  }

  /// A conscript who enlisted on 2024-01-05 and was approved to leave on `approved`.
  static json reception(const std::string& citizen_id, const char* approved = "2026-01-05",
                        const char* township = "江北街道") {
    return {{"citizen_id", citizen_id},
            {"name", "王军"},
            {"township", township},
            {"rank_type", "conscript"},
            {"enlisted_on", "2024-01-05"},
            {"approved_on", approved},
            {"enlistment_hukou_county", "610902"},
            {"placement_basis", "enlistment_hukou"}};
  }

  std::int64_t received(const json& body) {
    return context_.call(Method::Post, kReceptions, body).body["id"];
  }

  static std::string path(std::int64_t id, const std::string& tail = "") {
    return kReceptions + "/" + std::to_string(id) + tail;
  }

  json report(std::int64_t id, const char* on, const char* reason = nullptr) {
    json body = {{"reported_on", on}};
    if (reason != nullptr) body["late_reason"] = reason;
    return context_.call(Method::Post, path(id, "/report"), body).body;
  }

  /// "field:rule" of the refusal (sorted, joined by " "), "<status>" without field errors, or
  /// "accepted".
  std::string refusal(Method method, const std::string& where, const json& body = nullptr) {
    try {
      context_.call(method, where, body);
      return "accepted";
    } catch (const sdk::Error& error) {
      const auto rules = fieldRules(error);
      if (rules.empty()) return std::to_string(error.status());
      std::string joined;
      for (const auto& rule : rules) joined += (joined.empty() ? "" : " ") + rule;
      return joined;
    }
  }

  std::vector<long long> snapshot() {
    std::vector<long long> counts;
    for (const char* table : {"vt_receptions", "vt_placements", "vt_trainings",
                              "vt_resettlement_payments", "civ_audit", "civ_persons"}) {
      long long n = 0;
      context_.db() << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
      counts.push_back(n);
    }
    std::string statuses;
    soci::rowset<std::string> rows =
        (context_.db().prepare << "SELECT status || ':' || COALESCE(type, '') || ':' ||"
                                  " COALESCE(reported_on, '') FROM vt_receptions ORDER BY id");
    for (const auto& row : rows) statuses += row + ";";
    counts.push_back(static_cast<long long>(std::hash<std::string>{}(statuses)));
    return counts;
  }

  json audited(const std::string& action) {
    std::string summary;
    context_.db() << "SELECT summary FROM civ_audit WHERE action = :a ORDER BY id DESC LIMIT 1",
        soci::use(action), soci::into(summary);
    return summary.empty() ? json(nullptr) : json::parse(summary);
  }

  ResettlementOnly plugin_;
  FakeContext context_{"veterans", day("2026-03-02")};
};

// --- Reception and the report (§51)
// ---------------------------------------------------------------

TEST_F(ResettlementTest, AReportOnDayThirtyIsOnTimeAndDayThirtyOneLate) {
  const auto on_time = received(reception(citizenId("20000301", 11)));
  const auto late = received(reception(citizenId("20000302", 13)));
  const json shown = context_.call(Method::Get, path(on_time)).body;
  EXPECT_EQ(shown["status"], "awaiting_report");
  EXPECT_EQ(shown["report_due"], "2026-02-04");  // 2026-01-05 + 30 calendar days
  EXPECT_EQ(shown["waived_after"], "2026-03-06");
  EXPECT_EQ(shown["service_years"], 2);
  EXPECT_EQ(report(on_time, "2026-02-04")["report_timing"], "on_time");
  const json day31 = report(late, "2026-02-05");
  EXPECT_EQ(day31["report_timing"], "late");
  EXPECT_EQ(day31["status"], "reported");  // late within the grace: resettlement goes on
  EXPECT_EQ(audited("reception.report")["report_timing"]["new"], "late");
  // Reported once.
  EXPECT_EQ(refusal(Method::Post, path(late, "/report"), {{"reported_on", "2026-02-06"}}),
            "reported_on:awaiting-report");
}

TEST_F(ResettlementTest, MoreThanThirtyDaysPastTheTimeWithoutReasonIsAWaiver) {
  context_.setToday(day("2026-04-01"));
  const auto last_day = received(reception(citizenId("20000301", 11)));
  const auto waived = received(reception(citizenId("20000302", 13)));
  EXPECT_EQ(report(last_day, "2026-03-06")["status"], "reported");  // 30 days past the due day
  const json shown = report(waived, "2026-03-07");
  EXPECT_EQ(shown["report_timing"], "past_waiver");
  EXPECT_EQ(shown["status"], "waived");
  EXPECT_EQ(shown["waived_on"], "2026-03-07");
  // Waived: no type can be decided.
  EXPECT_EQ(refusal(Method::Post, path(waived, "/type"), {{"type", "self_employment"}}),
            "type:reported");
}

TEST_F(ResettlementTest, AStrictProvinceWaivesFromTheThirtyFirstDay) {
  context_.setPolicyValue("resettlement.report.waiver_grace_days", "0", day("2020-01-01"), "61");
  const auto id = received(reception(citizenId("20000301", 11)));
  EXPECT_EQ(context_.call(Method::Get, path(id)).body["waived_after"], "2026-02-04");
  EXPECT_EQ(report(id, "2026-02-05")["status"], "waived");
}

TEST_F(ResettlementTest, AReasonForALateReportIsAcceptedOrNotByAnotherPerson) {
  context_.setToday(day("2026-04-01"));
  const auto accepted = received(reception(citizenId("20000301", 11)));
  const auto rejected = received(reception(citizenId("20000302", 13)));
  EXPECT_EQ(report(accepted, "2026-03-20", "住院治疗，有医院证明")["status"], "reason_pending");
  EXPECT_EQ(report(rejected, "2026-03-20", "忘记了")["reason_status"], "pending");
  const json accept = {{"accepted", true}, {"note", "住院证明属实"}};
  // A clerk cannot review; the reviewer who recorded the reason cannot either (four-eyes).
  EXPECT_EQ(refusal(Method::Post, path(accepted, "/late-reason-review"), accept), "403");
  asReviewer("clerk1");
  EXPECT_EQ(refusal(Method::Post, path(accepted, "/late-reason-review"), accept), "403");
  asReviewer();
  const json ok = context_.call(Method::Post, path(accepted, "/late-reason-review"), accept).body;
  EXPECT_EQ(ok["status"], "reported");
  EXPECT_EQ(ok["reason_status"], "accepted");
  EXPECT_EQ(audited("reception.late_reason_review")["status"]["new"], "reported");
  const json no = context_
                      .call(Method::Post, path(rejected, "/late-reason-review"),
                            {{"accepted", false}, {"note", "理由不属正当"}})
                      .body;
  EXPECT_EQ(no["status"], "waived");
  EXPECT_EQ(no["waived_on"], "2026-04-01");
  EXPECT_EQ(refusal(Method::Post, path(rejected, "/late-reason-review"), accept),
            "accepted:reason-pending");
}

TEST_F(ResettlementTest, OverdueReportsAreListedAndANoShowIsClosedAfterTheGrace) {
  const auto a = received(reception(citizenId("20000301", 11)));
  received(reception(citizenId("20000302", 13), "2026-02-20"));  // due 03-22
  context_.setToday(day("2026-02-04"));
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "/overdue").body["total"], 0);
  context_.setToday(day("2026-02-05"));
  json overdue = context_.call(Method::Get, kReceptions + "/overdue").body;
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["id"], a);
  EXPECT_EQ(overdue["items"][0]["days_overdue"], 1);
  EXPECT_FALSE(overdue["items"][0]["past_waiver"]);
  EXPECT_EQ(refusal(Method::Post, path(a, "/waiver")), "(body):past-waiver");
  context_.setToday(day("2026-03-07"));
  overdue = context_.call(Method::Get, kReceptions + "/overdue").body;
  EXPECT_TRUE(overdue["items"][0]["past_waiver"]);
  EXPECT_EQ(context_.call(Method::Post, path(a, "/waiver")).body["status"], "waived");
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "/overdue").body["total"], 0);
  EXPECT_EQ(
      context_.indicator("resettlement_waived", "610902", day("2026-03-01"), day("2026-03-31")), 1);
}

TEST_F(ResettlementTest, EveryRefusalOfAReceptionNamesTheFieldAndTheRuleAndChangesNothing) {
  const auto id = received(reception(citizenId("20000301", 11)));
  const auto before = snapshot();
  const auto with = [](json body, const json& changes) {
    for (const auto& item : changes.items()) body[item.key()] = item.value();
    return body;
  };
  const json base = reception(citizenId("20010101", 15));
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"enlistment_hukou_county", "350502"}})),
            "enlistment_hukou_county:placement-hukou");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"placement_basis", "parents_hukou"}})),
            "basis_document:basis-document");
  EXPECT_EQ(
      refusal(Method::Post, kReceptions,
              with(base, {{"placement_basis", "spouse_hukou"}, {"basis_document", "结婚证"}})),
      "placement_basis:basis-rank");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"approved_on", "2023-01-01"}})),
            "approved_on:after-enlistment");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"approved_on", "2026-03-03"}})),
            "approved_on:not-in-future");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"file_received_on", "2026-01-04"}})),
            "file_received_on:after-approval");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"report_by", "2026-01-04"}})),
            "report_by:after-approval");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"disability_grade", 6}})),
            "disability_nature:nature-with-grade");
  EXPECT_EQ(refusal(Method::Post, kReceptions,
                    with(base, {{"disability_nature", "illness"}, {"disability_grade", 8}})),
            "disability_grade:illness-grade");
  EXPECT_EQ(refusal(Method::Post, kReceptions, reception(citizenId("20000301", 11))),
            "citizen_id:one-reception");
  EXPECT_EQ(refusal(Method::Post, kReceptions, with(base, {{"rank_type", "officer"}})),
            "rank_type:enum");
  EXPECT_EQ(refusal(Method::Post, path(id, "/report"), {{"reported_on", "2026-01-04"}}),
            "reported_on:after-approval");
  EXPECT_EQ(refusal(Method::Post, path(id, "/report"), {{"reported_on", "2026-03-03"}}),
            "reported_on:not-in-future");
  EXPECT_EQ(refusal(Method::Get, path(id + 1)), "404");
  EXPECT_EQ(refusal(Method::Get, path(id), nullptr), "accepted");
  EXPECT_EQ(snapshot(), before);
  // Another county's clerk: 404 (the reception is not in 350502).
  EXPECT_EQ(refusal(Method::Get, path(id)), "accepted");
  try {
    context_.call(Method::Get, path(id), nullptr, "350502");
    FAIL();
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 404);
  }
}

TEST_F(ResettlementTest, ReceptionsAreListedAndFoundByNameOrCitizenId) {
  std::vector<std::int64_t> made;
  for (int i = 0; i < 5; ++i)
    made.push_back(received(reception(citizenId("20000301", 11 + 2 * i))));
  EXPECT_EQ(sorted(everyItem(context_, kReceptions + "?limit=2", 5)), sorted(made));
  EXPECT_EQ(sorted(everyItem(context_, kReceptions + "?limit=2&sort=approved_on", 5)),
            sorted(made));
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "?name=王").body["total"], 5);
  const auto one =
      context_.call(Method::Get, kReceptions + "?citizen_id=" + citizenId("20000301", 13));
  ASSERT_EQ(one.body["total"], 1);
  EXPECT_EQ(one.body["items"][0]["id"], made[1]);
  report(made[0], "2026-02-01");
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "?reported=true").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "?status=awaiting_report").body["total"], 4);
  EXPECT_EQ(refusedParameter(context_, kReceptions + "?sort=township"), "sort");
  EXPECT_EQ(
      refusedParameter(context_, kReceptions + "?approved_from=2026-02-01&approved_to=2026-01-01"),
      "approved_to");
}

// --- Type, eligibility and the lump sums
// ----------------------------------------------------------

TEST_F(ResettlementTest, TheTypeIsDecidedAgainstTheConditionsAndRefusedNamingTheRule) {
  json body = reception(citizenId("20000301", 11));
  const auto plain = received(body);
  EXPECT_EQ(refusal(Method::Post, path(plain, "/type"), {{"type", "self_employment"}}),
            "type:reported");
  report(plain, "2026-01-20");
  const json checks = context_.call(Method::Get, path(plain, "/eligibility")).body["checks"];
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_TRUE(checks[0]["eligible"]);  // self_employment
  EXPECT_FALSE(checks[1]["eligible"]);
  EXPECT_EQ(checks[1]["rule"], "job-placement-conditions");
  EXPECT_EQ(checks[2]["rule"], "retirement-rank");
  EXPECT_EQ(checks[3]["rule"], "state-care-conditions");
  const auto before = snapshot();
  EXPECT_EQ(refusal(Method::Post, path(plain, "/type"), {{"type", "job_placement"}}),
            "type:job-placement-conditions");
  EXPECT_EQ(refusal(Method::Post, path(plain, "/type"), {{"type", "retirement"}}),
            "type:retirement-rank");
  EXPECT_EQ(refusal(Method::Post, path(plain, "/type"), {{"type", "state_care"}}),
            "type:state-care-conditions");
  EXPECT_EQ(refusal(Method::Post, path(plain, "/type"),
                    {{"type", "self_employment"}, {"decided_on", "2026-01-19"}}),
            "decided_on:after-report");
  EXPECT_EQ(snapshot(), before);

  body = reception(citizenId("20000302", 13));
  body["martyr_child"] = true;
  body["criminal_record"] = true;
  const auto excluded = received(body);
  report(excluded, "2026-01-20");
  const json excluded_checks =
      context_.call(Method::Get, path(excluded, "/eligibility")).body["checks"];
  EXPECT_EQ(excluded_checks[1]["conditions"][0], "§25(6) 烈士子女");
  EXPECT_EQ(excluded_checks[1]["exclusions"][0], "§35(2) 受过刑事处罚");
  EXPECT_EQ(refusal(Method::Post, path(excluded, "/type"), {{"type", "job_placement"}}),
            "type:job-placement-excluded");

  body = reception(citizenId("20000303", 15));
  body["awards"] = {"second_class_merit"};
  const auto merit = received(body);
  report(merit, "2026-01-20");
  const json placed =
      context_.call(Method::Post, path(merit, "/type"), {{"type", "job_placement"}}).body;
  EXPECT_EQ(placed["status"], "awaiting_placement");
  EXPECT_EQ(placed["placement_due"], "2026-07-20");
  EXPECT_EQ(placed["type_conditions"][0], "§25(3) 服现役期间个人荣获三等战功、二等功以上奖励");
  EXPECT_EQ(refusal(Method::Post, path(merit, "/type"), {{"type", "self_employment"}}),
            "type:type-decided");
}

TEST_F(ResettlementTest, SelfEmploymentComputesTheLumpSumsToTheFenWithTheHighestHonourOnly) {
  // The standards in force on the approval date (2026-01-05), set by the province.
  context_.setPolicyValue("resettlement.lump_sum.per_year", "6789.01", day("2025-01-01"), "61");
  context_.setPolicyValue("resettlement.lump_sum.per_year", "9000.00", day("2026-02-01"), "61");
  context_.setPolicyValue("resettlement.local_grant.base", "3000.00", day("2025-01-01"), "61");
  context_.setPolicyValue("resettlement.local_grant.per_year", "1000.01", day("2025-01-01"), "61");
  json body = reception(citizenId("20000301", 11));
  body["enlisted_on"] = "2023-07-05";  // 2.5 years to 2026-01-05 (2 years and 6 months)
  body["awards"] = {"third_class_merit", "second_class_merit", "third_class_merit"};
  const auto id = received(body);
  report(id, "2026-01-20");
  const json decided =
      context_.call(Method::Post, path(id, "/type"), {{"type", "self_employment"}}).body;
  EXPECT_EQ(decided["status"], "resettled");
  const json amounts = decided["self_employment"];
  EXPECT_EQ(amounts["service_years"], "2.5");
  EXPECT_EQ(amounts["per_year"], "6789.01");
  EXPECT_EQ(amounts["base"], "16972.53");     // 16,972.525 half up
  EXPECT_EQ(amounts["honours_percent"], 10);  // 二等功 only
  EXPECT_EQ(amounts["honours_award"], "second_class_merit");
  EXPECT_EQ(amounts["supplement"], "1697.25");
  EXPECT_EQ(amounts["lump_sum"], "18669.78");
  EXPECT_EQ(amounts["local_grant"], "5500.03");
  EXPECT_EQ(audited("reception.type")["lump_sum"]["new"], "18669.78");

  // A correction of the awards recomputes them, audited with old and new values ...
  const json corrected =
      context_.call(Method::Patch, path(id), {{"awards", {"first_class_merit"}}}).body;
  EXPECT_EQ(corrected["self_employment"]["honours_percent"], 15);
  EXPECT_EQ(corrected["self_employment"]["lump_sum"], "19518.41");  // + 2,545.88
  const json trail = audited("reception.correct");
  EXPECT_EQ(trail["awards"]["new"], json::array({"first_class_merit"}));
  EXPECT_EQ(trail["lump_sum"]["old"], "18669.78");
  EXPECT_EQ(trail["lump_sum"]["new"], "19518.41");

  // ... until a payment is prepared on them.
  asApprover();
  const json paid = context_
                        .call(Method::Post, "/resettlement/payments",
                              {{"reception_id", id}, {"kind", "lump_sum"}})
                        .body;
  EXPECT_EQ(paid["amount"], "19518.41");
  EXPECT_EQ(paid["status"], "prepared");
  asClerk();
  EXPECT_EQ(refusal(Method::Patch, path(id), {{"awards", json::array()}}),
            "awards:payment-prepared");
  EXPECT_EQ(refusal(Method::Patch, path(id), {{"awards", {"first_class_merit"}}}),
            "awards:unchanged");
  EXPECT_EQ(refusal(Method::Patch, path(id), json::object()), "(body):at-least-one");
  EXPECT_EQ(refusal(Method::Patch, path(id), {{"approved_on", "2026-01-06"}}),
            "approved_on:report-recorded");
  // A fact that takes the type away is refused naming the type's rule.
  EXPECT_EQ(
      refusal(Method::Patch, path(id), {{"serious_illness", true}, {"rank_type", "senior_nco"}}),
      "type:retirement-applies");
}

TEST_F(ResettlementTest, LumpSumsArePaidOnceByTwoApprovers) {
  context_.setPolicyValue("resettlement.lump_sum.per_year", "5000.00", day("2025-01-01"), "61");
  const auto id = received(reception(citizenId("20000301", 11)));
  report(id, "2026-01-20");
  context_.call(Method::Post, path(id, "/type"), {{"type", "self_employment"}});
  // A clerk may not prepare money; the grant is 0.00 (not loaded): refused.
  EXPECT_EQ(
      refusal(Method::Post, "/resettlement/payments", {{"reception_id", id}, {"kind", "lump_sum"}}),
      "403");
  asApprover();
  EXPECT_EQ(refusal(Method::Post, "/resettlement/payments",
                    {{"reception_id", id}, {"kind", "local_grant"}}),
            "kind:amount-positive");
  EXPECT_EQ(
      refusal(Method::Post, "/resettlement/payments",
              {{"reception_id", id}, {"kind", "living_allowance"}, {"through", "2026-02-01"}}),
      "kind:job-placement");
  EXPECT_EQ(refusal(Method::Post, "/resettlement/payments",
                    {{"reception_id", id + 7}, {"kind", "lump_sum"}}),
            "reception_id:known-reception");
  const json prepared = context_
                            .call(Method::Post, "/resettlement/payments",
                                  {{"reception_id", id}, {"kind", "lump_sum"}})
                            .body;
  EXPECT_EQ(prepared["amount"], "10000.00");  // 2 years × 5,000
  const std::string payment = "/resettlement/payments/" + std::to_string(prepared["id"].get<int>());
  EXPECT_EQ(
      refusal(Method::Post, "/resettlement/payments", {{"reception_id", id}, {"kind", "lump_sum"}}),
      "kind:paid-once");
  EXPECT_EQ(refusal(Method::Post, payment + "/confirmation"), "403");  // the preparer
  asApprover("approver2");
  const json confirmed = context_.call(Method::Post, payment + "/confirmation").body;
  EXPECT_EQ(confirmed["status"], "confirmed");
  EXPECT_EQ(confirmed["confirmed_by"], "approver2");
  EXPECT_EQ(refusal(Method::Post, payment + "/cancellation", {{"reason", "错"}}),
            "id:payment-prepared");
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/payments?status=confirmed").body["total"], 1);
  // A township-scoped approver does not pay money: county-wide work.
  context_.setCaller({"approver3", "approver", {"610902"}, {}, {"江北街道"}});
  EXPECT_EQ(refusal(Method::Post, "/resettlement/payments",
                    {{"reception_id", id}, {"kind", "local_grant"}}),
            "403");
}

// --- Job placement and the living allowance
// ---------------------------------------------------------

class ResettlementPlacementTest : public ResettlementTest {
 protected:
  /// A 二等功 conscript reported on 2026-03-10, resettled by job placement.
  std::int64_t waiting(const std::string& citizen_id, const char* township = "江北街道") {
    json body = reception(citizen_id, "2026-03-01", township);
    body["awards"] = {"second_class_merit"};
    const auto id = received(body);
    report(id, "2026-03-10");
    context_.call(Method::Post, path(id, "/type"),
                  {{"type", "job_placement"}, {"decided_on", "2026-03-10"}});
    return id;
  }
  std::int64_t letter(std::int64_t id, const char* on, const char* number = "JS-2026-001") {
    return context_
        .call(Method::Post, path(id, "/placements"),
              {{"letter_number", number},
               {"letter_on", on},
               {"employer", "汉滨区城市管理局下属事业单位"},
               {"employer_kind", "public_institution"},
               {"score", "87.5"}})
        .body["id"];
  }
  static std::string placement(std::int64_t id, const std::string& tail = "") {
    return "/resettlement/placements/" + std::to_string(id) + tail;
  }
};

TEST_F(ResettlementPlacementTest, PlacementIsOverdueSixMonthsAfterTheReportWithoutALetter) {
  context_.setToday(day("2026-03-10"));
  const auto late = waiting(citizenId("20000301", 11));
  const auto timely = waiting(citizenId("20000302", 13));
  context_.setToday(day("2026-09-10"));
  letter(timely, "2026-09-10");  // on the last day
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/placements/overdue").body["total"], 0);
  context_.setToday(day("2026-09-11"));
  const json overdue = context_.call(Method::Get, "/resettlement/placements/overdue").body;
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["id"], late);
  EXPECT_EQ(overdue["items"][0]["placement_due"], "2026-09-10");
  EXPECT_EQ(overdue["items"][0]["days_overdue"], 1);
  letter(late, "2026-09-11", "JS-2026-002");
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/placements/overdue").body["total"], 0);
  // Within 6 months: 1 of the 2 whose 6 months ended in September.
  EXPECT_EQ(context_.indicator("resettlement_placed_within_6_months_permille", "610902",
                               day("2026-09-01"), day("2026-09-30")),
            500);
}

TEST_F(ResettlementPlacementTest, ThePostIsDueThirtyDaysAfterTheLetterAndTheEmployerOwesMeanwhile) {
  context_.setToday(day("2026-04-01"));
  const auto a = waiting(citizenId("20000301", 11));
  const auto b = waiting(citizenId("20000302", 13));
  const auto first = letter(a, "2026-04-01");
  const auto second = letter(b, "2026-04-01", "JS-2026-002");
  EXPECT_EQ(refusal(Method::Post, path(a, "/placements"),
                    {{"letter_number", "X"},
                     {"letter_on", "2026-04-01"},
                     {"employer", "某单位"},
                     {"employer_kind", "state_enterprise"}}),
            "id:one-active-letter");
  EXPECT_EQ(context_.call(Method::Get, placement(first)).body["post_due"], "2026-05-01");
  context_.setToday(day("2026-05-01"));
  context_.call(Method::Post, placement(first, "/post"), {{"posted_on", "2026-05-01"}});
  EXPECT_EQ(context_.call(Method::Get, path(a)).body["status"], "placed");
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/placements/late-posts").body["total"], 0);
  context_.setToday(day("2026-06-15"));
  const json late = context_.call(Method::Get, "/resettlement/placements/late-posts").body;
  ASSERT_EQ(late["total"], 1);
  EXPECT_EQ(late["items"][0]["id"], second);
  EXPECT_EQ(late["items"][0]["days_late"], 45);
  EXPECT_EQ(late["items"][0]["employer_owed_months"], 3);  // April, May, June
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/placements?late=true").body["total"], 1);
  EXPECT_EQ(
      context_.indicator("resettlement_posts_late", "610902", day("2026-06-01"), day("2026-06-30")),
      1);
  EXPECT_EQ(refusal(Method::Post, placement(second, "/post"), {{"posted_on", "2026-03-31"}}),
            "posted_on:after-letter");
  EXPECT_EQ(refusal(Method::Post, placement(first, "/post"), {{"posted_on", "2026-05-02"}}),
            "id:letter-issued");
}

TEST_F(ResettlementPlacementTest,
       RefusingWithoutGoodReasonWaivesThePlacementWithOneALetterIsWithdrawn) {
  context_.setToday(day("2026-04-01"));
  const auto a = waiting(citizenId("20000301", 11));
  const auto first = letter(a, "2026-04-01");
  context_.setToday(day("2026-04-15"));
  const json refuse = {{"refused_on", "2026-04-05"},
                       {"reason", "家中老人重病需照料，有医院证明"},
                       {"good_reason", true}};
  EXPECT_EQ(refusal(Method::Post, placement(first, "/refusal"), refuse), "403");  // Approve
  asApprover();
  EXPECT_EQ(context_.call(Method::Post, placement(first, "/refusal"), refuse).body["status"],
            "withdrawn");
  EXPECT_EQ(context_.call(Method::Get, path(a)).body["status"], "awaiting_placement");
  asClerk();
  const auto second = letter(a, "2026-04-10", "JS-2026-003");
  asApprover();
  context_.call(Method::Post, placement(second, "/refusal"),
                {{"refused_on", "2026-04-12"}, {"reason", "嫌岗位不好"}, {"good_reason", false}});
  const json waived = context_.call(Method::Get, path(a)).body;
  EXPECT_EQ(waived["status"], "placement_waived");
  EXPECT_EQ(waived["placement_ended_on"], "2026-04-12");
  EXPECT_EQ(audited("reception.placement_waived")["status"]["new"], "placement_waived");
  // The waiting ended with the first letter not withdrawn: 03-10 .. 04-09.
  const json allowance =
      context_.call(Method::Get, path(a, "/living-allowance?through=2026-05-31")).body;
  EXPECT_EQ(allowance["waiting_ended_on"], "2026-04-10");
  EXPECT_EQ(allowance["months"].size(), 2u);
}

TEST_F(ResettlementPlacementTest, TheLivingAllowanceIsTheMinimumWageToTheFenPaidByTwoApprovers) {
  context_.setPolicyValue("resettlement.minimum_wage.monthly", "2160.00", day("2023-05-01"),
                          "6109");
  context_.setPolicyValue("resettlement.minimum_wage.monthly", "2310.00", day("2026-05-01"),
                          "6109");
  context_.setToday(day("2026-03-10"));
  const auto id = waiting(citizenId("20000301", 11));
  context_.setToday(day("2026-06-25"));
  const json through_may =
      context_.call(Method::Get, path(id, "/living-allowance?through=2026-05-31")).body;
  // March 22/31 × 2,160 = 1,532.90; April 2,160.00; May 2,310.00.
  EXPECT_EQ(through_may["total"], "6002.90");
  EXPECT_EQ(through_may["months"][0]["amount"], "1532.90");
  asApprover();
  const json first =
      context_
          .call(Method::Post, "/resettlement/payments",
                {{"reception_id", id}, {"kind", "living_allowance"}, {"through", "2026-05-31"}})
          .body;
  EXPECT_EQ(first["amount"], "6002.90");
  EXPECT_EQ(first["period_from"], "2026-03-10");
  EXPECT_EQ(first["period_to"], "2026-05-31");
  EXPECT_EQ(first["months"].size(), 3u);
  EXPECT_EQ(
      refusal(Method::Post, "/resettlement/payments",
              {{"reception_id", id}, {"kind", "living_allowance"}, {"through", "2026-05-31"}}),
      "through:nothing-owed");
  EXPECT_EQ(refusal(Method::Post, "/resettlement/payments",
                    {{"reception_id", id}, {"kind", "living_allowance"}}),
            "through:required");
  // The letter on 06-20 ends the waiting: June 1..19 = 19/30 × 2,310 = 1,463.00.
  asClerk();
  letter(id, "2026-06-20");
  asApprover();
  const json june =
      context_
          .call(Method::Post, "/resettlement/payments",
                {{"reception_id", id}, {"kind", "living_allowance"}, {"through", "2026-06-25"}})
          .body;
  EXPECT_EQ(june["amount"], "1463.00");
  EXPECT_EQ(june["period_from"], "2026-06-01");
  EXPECT_EQ(june["period_to"], "2026-06-19");
  asApprover("approver2");
  context_.call(Method::Post, "/resettlement/payments/" + std::to_string(first["id"].get<int>()) +
                                  "/confirmation");
  const json cancelled =
      context_
          .call(Method::Post,
                "/resettlement/payments/" + std::to_string(june["id"].get<int>()) + "/cancellation",
                {{"reason", "期间有误"}})
          .body;
  EXPECT_EQ(cancelled["status"], "cancelled");
  const json now = context_.call(Method::Get, path(id, "/living-allowance")).body;
  EXPECT_EQ(now["total"], "7465.90");
  EXPECT_EQ(now["prepared_or_paid"], "6002.90");
  EXPECT_EQ(now["outstanding"], "1463.00");
}

TEST_F(ResettlementPlacementTest,
       TheAnnouncementMasksNamesAndLettersAreCorrectedWithTheirDeadline) {
  context_.setToday(day("2026-04-01"));
  const auto a = waiting(citizenId("20000301", 11));
  const auto first = letter(a, "2026-03-28");
  const json announced =
      context_.call(Method::Get, "/resettlement/placements/announcement?from=2026-03-01").body;
  ASSERT_EQ(announced["total"], 1);
  EXPECT_EQ(announced["items"][0]["name"], "王*");
  EXPECT_EQ(announced["items"][0]["score"], "87.5");
  EXPECT_EQ(announced["items"][0].count("citizen_id"), 0u);
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/placements/announcement").body["total"], 0);
  EXPECT_EQ(refusedParameter(context_,
                             "/resettlement/placements/announcement?from=2026-04-01&to=2026-03-01"),
            "to");
  const json corrected =
      context_.call(Method::Patch, placement(first), {{"letter_on", "2026-03-30"}}).body;
  EXPECT_EQ(corrected["post_due"], "2026-04-29");
  EXPECT_EQ(audited("placement.correct")["post_due"]["old"], "2026-04-27");
  EXPECT_EQ(refusal(Method::Patch, placement(first), {{"letter_on", "2026-03-09"}}),
            "letter_on:after-report");
  EXPECT_EQ(refusal(Method::Patch, placement(first), {{"score", "87.5"}}), "score:unchanged");
}

// --- Training ------------------------------------------------------------------------------------

TEST_F(ResettlementTest, TrainingsAreRecordedCorrectedAndCountedInTheTrainingRate) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    ids.push_back(received(reception(citizenId("20000301", 11 + 2 * i))));
    report(ids.back(), "2026-01-20");
    context_.call(Method::Post, path(ids.back(), "/type"),
                  {{"type", "self_employment"}, {"decided_on", "2026-01-20"}});
  }
  const json body = {{"reception_id", ids[0]},   {"kind", "vocational"},     {"course", "汽车驾驶"},
                     {"provider", "县东远驾校"}, {"start_on", "2026-02-01"}, {"completed", false}};
  const json made = context_.call(Method::Post, "/resettlement/trainings", body).body;
  json second = body;
  second["reception_id"] = ids[1];
  second["course"] = "SIYB创业培训";
  second["kind"] = "entrepreneurship";
  context_.call(Method::Post, "/resettlement/trainings", second);
  const auto with = [&](const json& changes) {
    json changed = body;
    for (const auto& item : changes.items()) changed[item.key()] = item.value();
    return changed;
  };
  const auto before = snapshot();
  EXPECT_EQ(refusal(Method::Post, "/resettlement/trainings", with({{"start_on", "2026-01-04"}})),
            "start_on:after-approval");
  EXPECT_EQ(refusal(Method::Post, "/resettlement/trainings",
                    with({{"start_on", "2026-02-10"}, {"end_on", "2026-02-09"}})),
            "end_on:end-after-start");
  EXPECT_EQ(refusal(Method::Post, "/resettlement/trainings", with({{"completed", true}})),
            "end_on:completed-end");
  EXPECT_EQ(refusal(Method::Post, "/resettlement/trainings", with({{"reception_id", 99}})),
            "reception_id:known-reception");
  EXPECT_EQ(snapshot(), before);
  const std::string training = "/resettlement/trainings/" + std::to_string(made["id"].get<int>());
  const json done =
      context_
          .call(Method::Patch, training,
                {{"completed", true}, {"end_on", "2026-03-01"}, {"certificate", "C-1"}})
          .body;
  EXPECT_TRUE(done["completed"]);
  EXPECT_EQ(audited("training.correct")["completed"]["old"], false);
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/trainings?completed=true").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/resettlement/trainings?course=驾驶").body["total"], 1);
  // 2 of the 3 self-employed in January took part: 667‰.
  EXPECT_EQ(context_.indicator("resettlement_training_rate_permille", "610902", day("2026-01-01"),
                               day("2026-03-31")),
            667);
  EXPECT_EQ(context_.indicator("resettlement_training_participants", "610902", day("2026-02-01"),
                               day("2026-02-28")),
            2);
}

// --- Scope, death, indicators
// ----------------------------------------------------------------------

TEST_F(ResettlementTest, ATownshipClerkSeesAndActsOnlyOnItsTownship) {
  const auto mine = received(reception(citizenId("20000301", 11), "2026-01-05", "关庙镇"));
  const auto other = received(reception(citizenId("20000302", 13), "2026-01-05", "江北街道"));
  context_.setCaller({"tc", "clerk", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(context_.call(Method::Get, kReceptions).body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, path(mine)).body["township"], "关庙镇");
  EXPECT_EQ(refusal(Method::Get, path(other)), "403");
  EXPECT_EQ(refusal(Method::Post, path(other, "/report"), {{"reported_on", "2026-01-20"}}), "403");
  EXPECT_EQ(refusal(Method::Post, kReceptions, reception(citizenId("20000303", 15))), "403");
  EXPECT_EQ(refusal(Method::Patch, path(mine), {{"township", "江北街道"}}), "403");
  context_.setToday(day("2026-02-10"));
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "/overdue").body["total"], 1);
  const auto by_township = indicatorByTownship(context_, "resettlement_reports_overdue", "610902",
                                               day("2026-02-01"), day("2026-02-10"));
  EXPECT_EQ(by_township.size(), 1u);
  EXPECT_EQ(by_township.at("关庙镇"), 1);
}

TEST_F(ResettlementTest, ADeathEndsTheOpenReceptionAuditedInItsCounty) {
  const auto id = received(reception(citizenId("20000301", 11)));
  long long person = 0;
  context_.db() << "SELECT person_id FROM vt_receptions", soci::into(person);
  sdk::EventDeclaration deceased;
  deceased.name = "person.deceased";
  deceased.payload_schema = {{"type", "object"}, {"additionalProperties", true}};
  context_.publishAs("funeral", deceased, "350502",
                     {{"death_id", 1}, {"person_id", person}, {"death_date", "2026-02-01"}});
  EXPECT_GE(context_.deliverEvents(), 1);
  const json shown = context_.call(Method::Get, path(id)).body;
  EXPECT_EQ(shown["status"], "deceased");
  EXPECT_EQ(shown["deceased_on"], "2026-02-01");
  std::string county, summary;
  context_.db() << "SELECT county_code, summary FROM civ_audit WHERE action = 'reception.death'",
      soci::into(county), soci::into(summary);
  EXPECT_EQ(county, "610902");
  EXPECT_EQ(json::parse(summary)["status"]["new"], "deceased");
  context_.setToday(day("2026-03-01"));
  EXPECT_EQ(context_.call(Method::Get, kReceptions + "/overdue").body["total"], 0);
}

TEST_F(ResettlementTest, TheIndicatorsCountAFixtureByHand) {
  context_.setToday(day("2026-04-30"));
  // Received in March: a self-employed, a retired NCO, one kept by the state; one never reports.
  const auto self = received(reception(citizenId("20000301", 11), "2026-03-01"));
  json nco = reception(citizenId("19700101", 13), "2026-03-01", "关庙镇");
  nco["rank_type"] = "senior_nco";
  nco["enlisted_on"] = "1994-03-01";
  const auto retired = received(nco);
  json disabled = reception(citizenId("20000303", 15), "2026-03-01");
  disabled["disability_nature"] = "duty";
  disabled["disability_grade"] = 3;
  const auto cared = received(disabled);
  received(reception(citizenId("20000304", 17), "2026-03-01"));
  for (const auto id : {self, retired, cared}) report(id, "2026-03-15");
  context_.call(Method::Post, path(self, "/type"), {{"type", "self_employment"}});
  context_.call(Method::Post, path(retired, "/type"), {{"type", "retirement"}});
  context_.call(Method::Post, path(cared, "/type"), {{"type", "state_care"}});
  const auto from = day("2026-03-01"), to = day("2026-04-30");
  EXPECT_EQ(context_.indicator("resettlement_received", "610902", from, to), 3);
  EXPECT_EQ(context_.indicator("resettled_self_employment", "610902", from, to), 1);
  EXPECT_EQ(context_.indicator("resettled_retirement", "610902", from, to), 1);
  EXPECT_EQ(context_.indicator("resettled_state_care", "610902", from, to), 1);
  EXPECT_EQ(context_.indicator("resettled_job_placement", "610902", from, to), 0);
  EXPECT_EQ(context_.indicator("resettlement_reports_overdue", "610902", from, to), 1);
  // Due on 03-31 (2026-03-01 + 30): overdue from 04-01.
  EXPECT_EQ(context_.indicator("resettlement_reports_overdue", "610902", from, day("2026-03-31")),
            0);
  EXPECT_EQ(context_.indicator("resettlement_reports_overdue", "610902", from, day("2026-04-01")),
            1);
  const auto retired_by_township =
      indicatorByTownship(context_, "resettled_retirement", "610902", from, to);
  EXPECT_EQ(retired_by_township.at("关庙镇"), 1);
  EXPECT_EQ(retired_by_township.count("江北街道"), 0u);
}

// --- The part inside the veterans plugin -------------------------------------------------------

TEST(ResettlementInThePlugin, TheVeteransPluginDeclaresAndServesThePart) {
  // The plugin outlives the context: the context's destructor stops it (ASan saw the reverse).
  VeteransPlugin plugin;
  FakeContext context("veterans", day("2026-03-02"));
  context.start(plugin);
  context.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  // Its parameters are declared (a value is accepted) and its tables migrated.
  context.setPolicyValue("resettlement.lump_sum.per_year", "5000.00", day("2025-01-01"), "61");
  json body = {{"citizen_id", citizenId("20000301", 11)},
               {"name", "王军"},
               {"township", "江北街道"},
               {"rank_type", "conscript"},
               {"enlisted_on", "2024-01-05"},
               {"approved_on", "2026-01-05"},
               {"enlistment_hukou_county", "610902"},
               {"placement_basis", "enlistment_hukou"}};
  const auto created = context.call(Method::Post, kReceptions, body);
  ASSERT_EQ(created.status, 201);
  const std::string at = kReceptions + "/" + std::to_string(created.body["id"].get<int>());
  context.call(Method::Post, at + "/report", {{"reported_on", "2026-01-20"}});
  const auto decided = context.call(Method::Post, at + "/type", {{"type", "self_employment"}});
  EXPECT_EQ(decided.body["self_employment"]["lump_sum"], "10000.00");
  EXPECT_EQ(context.indicator("resettled_self_employment", "610902", day("2026-03-01"),
                              day("2026-03-31")),
            1);
}

}  // namespace
}  // namespace civ::plugins::veterans
