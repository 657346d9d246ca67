// The social assistance module on the fake Context: the 低保 workflow step by step with its
// refusals, amounts per month after a standard changes and members change, payment runs that
// are idempotent, adjustments, the death event, coverage answers.
#include "../src/social_assistance_plugin.h"

#include <map>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/coverage.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/statement_counter.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::social_assistance {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;  // FakeContext and test_data.h

json member(const std::string& id, const char* name, const char* relationship) {
  return {{"citizen_id", id},
          {"name", name},
          {"relationship", relationship},
          {"lives_together", true},
          {"inclusion_reason", "共同生活"},
          {"work_capacity", "full"}};
}

/// Expects `action` to throw a civ::sdk::Error with `status`.
template <class Action>
void expectStatus(Action action, int status) {
  try {
    action();
    ADD_FAILURE() << "no error; expected " << status;
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), status) << error.what();
  }
}

class SocialAssistanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.mutableCalendar() = sdk::testing::publishedCalendar();
    context_.start(plugin_);
    asClerk();
  }
  void asClerk() { context_.setCaller({"clerk1", "clerk", {"610902"}, {}}); }
  void asReviewer() { context_.setCaller({"township1", "reviewer", {"610902"}, {}}); }
  void asApprover(const char* user = "county1") {
    context_.setCaller({user, "approver", {"610902"}, {}});
  }

  /// A household of `members` adults with `six_month_income` counted for September to February
  /// (the six months before March 2026, when the tests apply); none when it is null.
  std::int64_t household(int members, const char* six_month_income, int first_sequence = 11) {
    json list = json::array();
    for (int i = 0; i < members; ++i)
      list.push_back(member(citizenId("19800101", first_sequence + i), i == 0 ? "王建国" : "家人",
                            i == 0 ? "applicant" : "spouse"));
    auto created = context_.call(Method::Post, "/households",
                                 {{"category", "urban"},
                                  {"township", "江北街道"},
                                  {"village", "东坝社区"},
                                  {"hukou_address", "汉滨区东坝路1号"},
                                  {"residence_address", "汉滨区东坝路1号"},
                                  {"bank_name", "汉滨农商银行"},
                                  {"bank_account", "6230123412341234"},
                                  {"members", list}});
    const std::int64_t id = created.body["id"];
    if (six_month_income) addIncome(id, six_month_income, "2025-09-01", "2026-02-28");
    return id;
  }

  void addIncome(std::int64_t household_id, const char* amount, const char* from, const char* to,
                 const char* treatment = "counted", const char* category = "wages") {
    context_.call(Method::Post, "/households/" + std::to_string(household_id) + "/income-items",
                  {{"category", category},
                   {"treatment", treatment},
                   {"amount", amount},
                   {"period_from", from},
                   {"period_to", to},
                   {"description", "务工收入"}});
  }

  /// A rural household of one member (sequence 21) in 关庙镇, without income or bank account.
  std::int64_t ruralHouseholdInGuanmiao() {
    return context_
        .call(Method::Post, "/households",
              {{"category", "rural"},
               {"township", "关庙镇"},
               {"village", "清泉村"},
               {"hukou_address", "关庙镇清泉村1组"},
               {"residence_address", "关庙镇清泉村1组"},
               {"members", {member(citizenId("19800101", 21), "村民甲", "applicant")}}})
        .body["id"]
        .get<std::int64_t>();
  }

  std::int64_t apply(std::int64_t household_id, int first_sequence = 11) {
    auto created = context_.call(Method::Post, "/applications",
                                 {{"household_id", household_id},
                                  {"program", "dibao"},
                                  {"applicant_citizen_id", citizenId("19800101", first_sequence)}});
    return created.body["id"];
  }

  std::string path(std::int64_t application, const char* step) {
    return "/applications/" + std::to_string(application) + step;
  }

  /// Two investigators sign with their own accounts (confined to `townships` when given) and the
  /// second completes the investigation with `body`; the caller is then that investigator.
  void investigate(std::int64_t application, json body = json::object(),
                   std::vector<std::string> townships = {}) {
    context_.setCaller({"li_dc", "clerk", {"610902"}, {}, townships});
    context_.call(Method::Post, path(application, "/investigation/signatures"), json::object());
    context_.setCaller({"zhao_dc", "clerk", {"610902"}, {}, townships});
    context_.call(Method::Post, path(application, "/investigation/signatures"),
                  {{"note", "入户核实"}});
    context_.call(Method::Post, path(application, "/investigation/complete"), body);
  }

  /// From acceptance through the notice; today is then the notice's last day.
  void throughNotice(std::int64_t application) {
    asClerk();
    context_.call(Method::Post, path(application, "/investigation/start"), json::object());
    investigate(application, {{"data_checks", {{{"item", "real_estate"}, {"result", "match"}}}}});
    asReviewer();
    context_.call(Method::Post, path(application, "/township-review"), {{"opinion", "recommend"}});
    asClerk();
    auto notice =
        context_.call(Method::Post, path(application, "/notice"), {{"location", "东坝社区公示栏"}});
    context_.setToday(*sdk::Date::parse(notice.body["notice_until"].get<std::string>()));
  }

  std::int64_t approvedCase(int members = 3, const char* income = "5400", int sequence = 11) {
    return approvedCaseOf(household(members, income, sequence), sequence);
  }

  std::int64_t approvedCaseOf(std::int64_t household_id, int sequence) {
    const auto application = apply(household_id, sequence);
    throughNotice(application);
    context_.setToday(context_.clock().today().addDays(1));
    asApprover();
    auto decided =
        context_.call(Method::Post, path(application, "/decision"), {{"result", "approve"}});
    asClerk();
    return decided.body["case"]["id"];
  }

  /// A single-person case (500 − 200 = 300.00 a month) whose member dies on 2026-05-20, after the
  /// runs of May and, ahead, June were prepared: person.deceased is published as funeral would
  /// and delivered. Today is then 2026-05-25, the caller an approver; returns the case.
  std::int64_t diesAfterJunesRun() {
    const auto case_id = approvedCase(1, "1200", 41);
    sdk::EventDeclaration deceased;
    deceased.name = "person.deceased";
    deceased.payload_schema = {{"type", "object"}, {"additionalProperties", true}};
    long long person = 0;
    context_.db() << "SELECT person_id FROM sa_members", soci::into(person);
    asApprover();
    context_.setToday(day("2026-05-25"));
    context_.call(Method::Post, "/payment-runs", {{"month", "2026-05"}});
    context_.call(Method::Post, "/payment-runs", {{"month", "2026-06"}});
    context_.publishAs("funeral", deceased, "610902",
                       {{"death_id", 1}, {"person_id", person}, {"death_date", "2026-05-20"}});
    EXPECT_GE(context_.deliverEvents(), 1);
    return case_id;
  }

  std::string amount(std::int64_t case_id, const char* month) {
    return context_
        .call(Method::Get, "/cases/" + std::to_string(case_id) + "/amount?month=" + month)
        .body["amount"];
  }

  long long count(const std::string& sql) {
    long long n = 0;
    context_.db() << sql, soci::into(n);
    return n;
  }

  /// The audit rows of `action` on household `id`, oldest first: each row's change summary.
  std::vector<json> audits(const std::string& action, std::int64_t id) {
    std::vector<json> rows;
    const std::string entity = std::to_string(id);
    soci::rowset<soci::row> found =
        (context_.db().prepare << "SELECT summary FROM civ_audit WHERE action = :a AND"
                                  " entity_type = 'household' AND entity_id = :i ORDER BY id",
         soci::use(action), soci::use(entity));
    for (const auto& row : found) rows.push_back(json::parse(row.get<std::string>(0)));
    return rows;
  }

  SocialAssistancePlugin plugin_;
  FakeContext context_{"social_assistance", day("2026-03-02")};
};

TEST_F(SocialAssistanceTest, DibaoWorkflowFromReceiptToTheFirstMonthsAmount) {
  const auto application = apply(household(3, "5400"));
  // Notice on Tuesday 2026-03-03 for 7 calendar days: the 3rd to the 9th.
  context_.setToday(day("2026-03-03"));
  throughNotice(application);
  EXPECT_EQ(context_.clock().today(), day("2026-03-09"));
  asApprover();
  // Not while the notice runs.
  EXPECT_THROW(context_.call(Method::Post, path(application, "/decision"), {{"result", "approve"}}),
               sdk::Conflict);
  context_.setToday(day("2026-03-10"));
  auto decided =
      context_.call(Method::Post, path(application, "/decision"), {{"result", "approve"}});
  EXPECT_EQ(decided.body["status"], "approved");
  const auto& granted = decided.body["case"];
  EXPECT_EQ(granted["start_month"], "2026-04");  // the month after approval
  EXPECT_EQ(granted["program"], "dibao");
  const std::int64_t case_id = granted["id"];
  // (3 × 500 − 5400 / 6) = 600.00; nothing for March.
  EXPECT_EQ(amount(case_id, "2026-04"), "600.00");
  EXPECT_EQ(amount(case_id, "2026-03"), "0.00");
  // Every step dated, every transition audited.
  auto shown = context_.call(Method::Get, path(application, ""));
  std::vector<std::string> steps;
  for (const auto& t : shown.body["transitions"]) steps.push_back(t["to"]);
  EXPECT_EQ(steps, (std::vector<std::string>{"accepted", "investigating", "investigated",
                                             "township_reviewed", "in_notice", "approved"}));
  EXPECT_EQ(shown.body["investigators"].size(), 2u);
  EXPECT_GE(count("SELECT COUNT(*) FROM civ_audit WHERE action LIKE 'application.%'"), 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.granted'"), 1);
}

TEST_F(SocialAssistanceTest, MissingDocumentsKeepTheApplicationPendingUntilComplete) {
  const auto household_id = household(2, "1200");
  auto created = context_.call(Method::Post, "/applications",
                               {{"household_id", household_id},
                                {"program", "dibao"},
                                {"applicant_citizen_id", citizenId("19800101", 11)},
                                {"missing_documents", {"户口簿复印件", "授权核对书"}}});
  EXPECT_EQ(created.body["status"], "pending_documents");
  EXPECT_TRUE(created.body["accepted_on"].is_null());
  const std::int64_t id = created.body["id"];
  EXPECT_THROW(context_.call(Method::Post, path(id, "/investigation/start"), json::object()),
               sdk::Conflict);
  auto accepted = context_.call(Method::Post, path(id, "/documents-complete"));
  EXPECT_EQ(accepted.body["status"], "accepted");
  EXPECT_EQ(accepted.body["accepted_on"], "2026-03-02");
}

TEST_F(SocialAssistanceTest, RefusalsNameTheirRules) {
  const auto application = apply(household(1, "600"));
  context_.call(Method::Post, path(application, "/investigation/start"), json::object());
  // Two different people sign, each with their own account: one signature is not enough, and
  // the same user cannot sign twice, whatever the spelling.
  context_.setCaller({"li_dc", "clerk", {"610902"}, {}});
  context_.call(Method::Post, path(application, "/investigation/signatures"), json::object());
  try {
    context_.call(Method::Post, path(application, "/investigation/complete"), json::object());
    FAIL() << "one investigator's signature completed the investigation";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"investigators:two-investigators"}));
    EXPECT_NE(std::string(error.detail()).find("signed so far: li_dc"), std::string::npos);
  }
  context_.setCaller({"LI_DC", "clerk", {"610902"}, {}});
  try {
    context_.call(Method::Post, path(application, "/investigation/signatures"), json::object());
    FAIL() << "one investigator signed twice";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 409);
    EXPECT_EQ(error.type(), "already-signed");
  }
  asClerk();
  // The same household cannot apply twice while one application is open.
  try {
    apply(1);
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("household_id:one-application-per-household"));
  }
  // A clerk cannot give the township's opinion.
  EXPECT_THROW(context_.call(Method::Post, path(application, "/township-review"),
                             {{"opinion", "recommend"}}),
               sdk::Forbidden);
  // A person in a household with an open 低保 application cannot join another household.
  try {
    context_.call(Method::Post, "/households",
                  {{"category", "urban"},
                   {"township", "江北街道"},
                   {"village", "东坝社区"},
                   {"hukou_address", "x"},
                   {"residence_address", "x"},
                   {"members", {member(citizenId("19800101", 11), "王建国", "applicant")}}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("members[0].citizen_id:one-active-dibao-household"));
  }
  const auto households = count("SELECT COUNT(*) FROM sa_households");
  EXPECT_EQ(households, 1);  // the refused request left nothing behind
}

TEST_F(SocialAssistanceTest, FourEyesAndAWrittenReasonForARefusal) {
  const auto application = apply(household(2, "9000"));
  throughNotice(application);
  context_.setToday(context_.clock().today().addDays(1));
  // The submitter holding the approver role still may not decide their own case.
  asApprover("clerk1");
  EXPECT_THROW(context_.call(Method::Post, path(application, "/decision"), {{"result", "refuse"}}),
               sdk::Forbidden);
  asApprover();
  try {
    context_.call(Method::Post, path(application, "/decision"), {{"result", "refuse"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"reason:refusal-reason-required"}));
  }
  // Income 1500/month for 2 is not below 2 × 500: approval is refused with the rule.
  try {
    context_.call(Method::Post, path(application, "/decision"), {{"result", "approve"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("household_income:income-below-standard"));
  }
  auto refused = context_.call(Method::Post, path(application, "/decision"),
                               {{"result", "refuse"}, {"reason", "家庭人均收入高于低保标准"}});
  EXPECT_EQ(refused.body["status"], "refused");
  EXPECT_EQ(refused.body["refusal_reason"], "家庭人均收入高于低保标准");
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases"), 0);
}

TEST_F(SocialAssistanceTest, AnObjectionSendsTheCaseBackToInvestigation) {
  const auto application = apply(household(2, "1200"));
  context_.call(Method::Post, path(application, "/investigation/start"), json::object());
  investigate(application);
  asReviewer();
  context_.call(Method::Post, path(application, "/township-review"), {{"opinion", "recommend"}});
  asClerk();
  context_.call(Method::Post, path(application, "/notice"), {{"location", "东坝社区公示栏"}});
  context_.setToday(day("2026-03-04"));
  auto objected =
      context_.call(Method::Post, path(application, "/objections"),
                    {{"content", "邻居反映申请人有经营收入"}, {"resolution", "reinvestigate"}});
  EXPECT_EQ(objected.body["status"], "investigating");
  EXPECT_TRUE(objected.body["notice_until"].is_null());
  EXPECT_TRUE(objected.body["extended"]);
  ASSERT_EQ(objected.body["objections"].size(), 1u);
  // A second objection on an application that is no longer in notice is refused.
  EXPECT_THROW(context_.call(Method::Post, path(application, "/objections"),
                             {{"content", "again"}, {"resolution", "community_review"}}),
               sdk::Conflict);
}

TEST_F(SocialAssistanceTest, OverdueStepsCountWorkingDays) {
  const auto application = apply(household(2, "1200"));  // accepted Monday 2026-03-02
  context_.setToday(day("2026-03-05"));                  // 3 WD later: due today, not late
  EXPECT_TRUE(context_.call(Method::Get, "/overdue").body["overdue"].empty());
  context_.setToday(day("2026-03-09"));  // Monday: Thursday 5th was due; Fri 6th, Mon 9th late
  const auto overdue = context_.call(Method::Get, "/overdue").body["overdue"];
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0]["application_id"], application);
  EXPECT_EQ(overdue[0]["step"], "investigation_start");
  EXPECT_EQ(overdue[0]["due_on"], "2026-03-05");
  EXPECT_EQ(overdue[0]["working_days_late"], 2);
}

TEST_F(SocialAssistanceTest, AStandardRaisedMidYearChangesTheAmountFromItsMonthOnly) {
  const auto case_id = approvedCase();
  context_.setPolicyValue("dibao.standard.urban", "600.00", day("2026-07-01"));
  EXPECT_EQ(amount(case_id, "2026-06"), "600.00");  // 3 × 500 − 900
  EXPECT_EQ(amount(case_id, "2026-07"), "900.00");  // 3 × 600 − 900
}

TEST_F(SocialAssistanceTest, ClassifiedAddOnsApplyFromTheMonthTheyAreSet) {
  const auto case_id = approvedCase();  // three members born 1980: 46 in 2026
  const std::int64_t household_id =
      context_.call(Method::Get, "/cases/" + std::to_string(case_id)).body["household_id"];
  context_.call(Method::Post, "/households/" + std::to_string(household_id) + "/members",
                member(citizenId("19500101", 81), "王奶奶", "parent"));  // 76, counted from April
  context_.setPolicyValue("dibao.addon.elderly", "0.1", day("2026-06-01"));
  EXPECT_EQ(amount(case_id, "2026-05"), "1100.00");  // 4 × 500 − 900
  EXPECT_EQ(amount(case_id, "2026-06"), "1150.00");  // + 10% of 500 for the one aged 60+
}

TEST_F(SocialAssistanceTest, MembersAddedAndRemovedCountFromTheNextMonth) {
  const auto case_id = approvedCase(2, "3600");  // 2 × 500 − 600 = 400
  EXPECT_EQ(amount(case_id, "2026-04"), "400.00");
  auto household = context_.call(Method::Get, "/cases/" + std::to_string(case_id));
  const std::int64_t household_id = household.body["household_id"];
  context_.setToday(day("2026-04-15"));
  auto added =
      context_.call(Method::Post, "/households/" + std::to_string(household_id) + "/members",
                    member(citizenId("20100101", 31), "王小明", "child"));
  EXPECT_EQ(amount(case_id, "2026-04"), "400.00");
  EXPECT_EQ(amount(case_id, "2026-05"), "900.00");  // 3 × 500 − 600
  const std::int64_t member_id = added.body["members"][2]["id"];
  context_.setToday(day("2026-06-10"));
  context_.call(Method::Post,
                "/households/" + std::to_string(household_id) + "/members/" +
                    std::to_string(member_id) + "/leave",
                {{"reason", "迁出"}});
  EXPECT_EQ(amount(case_id, "2026-06"), "900.00");
  EXPECT_EQ(amount(case_id, "2026-07"), "400.00");
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.changed'"), 2);
}

TEST_F(SocialAssistanceTest, APaymentRunIsCreatedOnceAndExported) {
  const auto case_id = approvedCase();
  asApprover();
  auto first = context_.call(Method::Post, "/payment-runs", {{"month", "2026-04"}});
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(first.body["created"], true);
  EXPECT_EQ(first.body["lines"], 1);
  EXPECT_EQ(first.body["total"], "600.00");
  auto again = context_.call(Method::Post, "/payment-runs", {{"month", "2026-04"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body["created"], false);
  EXPECT_NE(again.body["message"].get<std::string>().find("nothing changed"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_lines"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_runs"), 1);

  // The bank's roll exists only once a second approver confirmed the run.
  try {
    context_.call(Method::Get, "/payment-runs/2026-04/roll.csv");
    FAIL() << "a roll from an unconfirmed run";
  } catch (const sdk::Error& error) {
    EXPECT_EQ(error.status(), 409);
  }
  EXPECT_THROW(context_.call(Method::Post, "/payment-runs/2026-04/confirmation"), sdk::Forbidden);
  asApprover("County1");  // the same user, spelt otherwise
  EXPECT_THROW(context_.call(Method::Post, "/payment-runs/2026-04/confirmation"), sdk::Forbidden);
  asApprover("county2");
  auto confirmed = context_.call(Method::Post, "/payment-runs/2026-04/confirmation");
  EXPECT_EQ(confirmed.body["status"], "confirmed");
  EXPECT_EQ(confirmed.body["confirmed_by"], "county2");
  EXPECT_THROW(context_.call(Method::Post, "/payment-runs/2026-04/confirmation"), sdk::Conflict);
  EXPECT_THROW(context_.call(Method::Post, "/payment-runs/2026-04/cancellation",
                             {{"reason", "too late: confirmed"}}),
               sdk::Conflict);
  // A cell a spreadsheet would evaluate, even after leading spaces, is neutralised.
  context_.db() << "UPDATE sa_households SET bank_name = ' =HYPERLINK(\"x\")'";
  auto csv = context_.call(Method::Get, "/payment-runs/2026-04/roll.csv");
  EXPECT_NE(csv.document.find("\"' =HYPERLINK(\"\"x\"\")\""), std::string::npos) << csv.document;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.document.find("6230123412341234"), std::string::npos);
  EXPECT_NE(csv.document.find(",600.00,"), std::string::npos);
  EXPECT_NE(csv.document.find("王建国"), std::string::npos);
  auto xlsx = context_.call(Method::Get, "/payment-runs/2026-04/roll.xlsx");
  ASSERT_GT(xlsx.document.size(), 100u);
  EXPECT_EQ(xlsx.document.substr(0, 2), "PK");  // a zip container, as XLSX is
  EXPECT_THROW(context_.call(Method::Get, "/payment-runs/2026-05"), sdk::NotFound);
  EXPECT_THROW(context_.call(Method::Post, "/payment-runs", {{"month", "2026-06"}}),
               sdk::ValidationError);  // more than one month ahead of 2026-03-10
  // Before the county's first case there is nothing to pay: refused, not locked as empty.
  try {
    context_.call(Method::Post, "/payment-runs", {{"month", "2025-01"}});
    FAIL() << "a run before the first case";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"month:after-first-case"}));
  }
  (void)case_id;
}

TEST_F(SocialAssistanceTest, ACorrectionOfAPaidMonthIsASeparateLineOnTheNextRun) {
  const auto case_id = approvedCase();
  asApprover();
  context_.setToday(day("2026-04-20"));
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-04"}});
  // April was overpaid by 50.00 (say a wrong bank instruction): an adjustment, not an edit,
  // and only of a run a second person confirmed (an unconfirmed one is cancelled and rerun).
  const std::string adjustments = "/cases/" + std::to_string(case_id) + "/adjustments";
  expectStatus(
      [&] {
        context_.call(Method::Post, adjustments,
                      {{"month", "2026-04"}, {"reason", "多发追回"}, {"amount", "-50.00"}});
      },
      409);
  asApprover("county2");
  context_.call(Method::Post, "/payment-runs/2026-04/confirmation");
  asApprover();
  EXPECT_THROW(context_.call(Method::Post, adjustments, {{"month", "2026-04"}, {"reason", "none"}}),
               sdk::Conflict);  // due equals paid
  // Bounded by the month: no more back-pay than is due, no more recovery than was paid.
  for (const char* amount : {"50.00", "-600.01", "999999999.99"}) {
    try {
      context_.call(Method::Post, adjustments,
                    {{"month", "2026-04"}, {"reason", "补发四月"}, {"amount", amount}});
      FAIL() << amount;
    } catch (const sdk::ValidationError& error) {
      EXPECT_EQ(fieldRules(error), (std::set<std::string>{"amount:within-due-or-paid"})) << amount;
    }
  }
  auto adjustment =
      context_.call(Method::Post, adjustments,
                    {{"month", "2026-04"}, {"reason", "多发追回"}, {"amount", "-50.00"}});
  EXPECT_EQ(adjustment.status, 201);
  EXPECT_EQ(adjustment.body["confirmed_by"], nullptr);
  const std::string confirm =
      "/adjustments/" + std::to_string(adjustment.body["id"].get<int>()) + "/confirmation";
  // Not confirmed yet: the May run does not pay it.
  auto unconfirmed = context_.call(Method::Post, "/payment-runs", {{"month", "2026-05"}});
  EXPECT_EQ(unconfirmed.body["total"], "600.00");
  EXPECT_EQ(unconfirmed.body["status"], "prepared");
  EXPECT_THROW(context_.call(Method::Post, confirm), sdk::Forbidden);  // the one who recorded it
  asApprover("county2");
  EXPECT_EQ(context_.call(Method::Post, confirm).body["confirmed_by"], "county2");
  // The May run is cancelled by a second person, with a reason, and run again with it.
  EXPECT_THROW(context_.call(Method::Post, "/payment-runs/2026-05/cancellation", json::object()),
               sdk::ValidationError);  // the reason is required
  auto cancelled = context_.call(Method::Post, "/payment-runs/2026-05/cancellation",
                                 {{"reason", "追回款未列入"}});
  EXPECT_EQ(cancelled.body["cancelled"], true);
  EXPECT_THROW(context_.call(Method::Get, "/payment-runs/2026-05"), sdk::NotFound);
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-05"}});
  auto may = context_.call(Method::Get, "/payment-runs/2026-05");
  EXPECT_EQ(may.body["total"], "550.00");
  ASSERT_EQ(may.body["roll"].size(), 2u);
  EXPECT_EQ(may.body["roll"][1]["kind"], "adjustment");
  EXPECT_EQ(may.body["roll"][1]["month"], "2026-04");
  EXPECT_EQ(may.body["roll"][1]["amount"], "-50.00");
  // The April line is as it was paid.
  EXPECT_EQ(context_.call(Method::Get, "/payment-runs/2026-04").body["total"], "600.00");
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cancelled_runs WHERE month = '2026-05'"), 1);
}

TEST_F(SocialAssistanceTest, ATownshipClerkSeesAndActsOnlyInTheirTownship) {
  const auto jiangbei = household(1, "1200", 11);  // 江北街道
  const auto guanmiao = ruralHouseholdInGuanmiao();
  const auto application = apply(guanmiao, 21);
  // Unscoped, the clerk finds both, by township, by a member's name and ID.
  EXPECT_EQ(context_.call(Method::Get, "/households").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/households?township=关庙镇").body["items"][0]["id"],
            guanmiao);
  EXPECT_EQ(context_.call(Method::Get, "/households?name=村民").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/households?citizen_id=" + citizenId("19800101", 11))
                .body["items"][0]["id"],
            jiangbei);

  // A clerk of 关庙镇 sees and acts on only 关庙镇's records.
  context_.setCaller({"gm_clerk", "clerk", {"610902"}, {}, {"关庙镇"}});
  auto scoped = context_.call(Method::Get, "/households");
  EXPECT_EQ(scoped.body["total"], 1);
  EXPECT_EQ(scoped.body["items"][0]["township"], "关庙镇");
  EXPECT_EQ(context_.call(Method::Get, "/applications").body["total"], 1);
  EXPECT_NO_THROW(context_.call(Method::Get, "/households/" + std::to_string(guanmiao)));
  expectStatus([&] { context_.call(Method::Get, "/households/" + std::to_string(jiangbei)); }, 403);
  expectStatus([&] { addIncome(jiangbei, "100", "2025-09-01", "2026-02-28"); }, 403);
  expectStatus(
      [&] {
        context_.call(Method::Post, "/households",
                      {{"category", "urban"},
                       {"township", "江北街道"},
                       {"village", "东坝社区"},
                       {"hukou_address", "x"},
                       {"residence_address", "x"},
                       {"members", {member(citizenId("19800101", 31), "某人", "applicant")}}});
      },
      403);
  // The county's own work (payment runs, the bank roll) is not a township's.
  expectStatus([&] { context_.call(Method::Get, "/payment-runs"); }, 403);
  // The township review is the township's: a reviewer of another township may not give it.
  context_.call(Method::Post, path(application, "/investigation/start"), json::object());
  investigate(application, {{"data_checks", {{{"item", "real_estate"}, {"result", "match"}}}}},
              {"关庙镇"});
  context_.setCaller({"jb_reviewer", "reviewer", {"610902"}, {}, {"江北街道"}});
  expectStatus(
      [&] {
        context_.call(Method::Post, path(application, "/township-review"),
                      {{"opinion", "recommend"}});
      },
      403);
  context_.setCaller({"gm_reviewer", "reviewer", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(
      context_.call(Method::Post, path(application, "/township-review"), {{"opinion", "recommend"}})
          .status,
      200);
}

TEST_F(SocialAssistanceTest, IndicatorsCountByTheTownshipOfTheHousehold) {
  approvedCase(3, "5400", 11);  // urban, 江北街道: 600.00 a month from April
  const auto guanmiao = ruralHouseholdInGuanmiao();
  approvedCaseOf(guanmiao, 21);  // rural, no income: 3300 / 12 = 275.00 a month
  asApprover();
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-04"}});
  const auto from = day("2026-03-01"), to = day("2026-04-30");
  using Values = std::map<std::string, std::int64_t>;
  const auto by_township = [&](const char* id) {
    return indicatorByTownship(context_, id, "610902", from, to);
  };
  const auto total = [&](const char* id) { return context_.indicator(id, "610902", from, to); };
  EXPECT_EQ(by_township("dibao_households_urban"), (Values{{"江北街道", 1}}));
  EXPECT_EQ(by_township("dibao_households_rural"), (Values{{"关庙镇", 1}}));
  EXPECT_EQ(by_township("dibao_persons_urban"), (Values{{"江北街道", 3}}));
  EXPECT_EQ(by_township("dibao_persons_rural"), (Values{{"关庙镇", 1}}));
  EXPECT_EQ(by_township("cases_new"), (Values{{"关庙镇", 1}, {"江北街道", 1}}));
  EXPECT_EQ(by_township("investigations_on_time"), (Values{{"关庙镇", 1}, {"江北街道", 1}}));
  EXPECT_EQ(by_township("payments_total"), (Values{{"关庙镇", 27500}, {"江北街道", 60000}}));
  EXPECT_EQ(total("payments_total"), 87500);
  EXPECT_EQ(total("payments_average_per_case"), 43750);
  EXPECT_EQ(total("dibao_persons_urban"), 3);
  EXPECT_EQ(total("investigations_on_time"), 2);
  // A count's townships add up to the county's figure.
  for (const char* id :
       {"dibao_households_urban", "dibao_households_rural", "dibao_persons_urban",
        "dibao_persons_rural", "tekun_persons_concentrated", "tekun_persons_dispersed",
        "payments_total", "cases_new", "cases_terminated", "investigations_on_time",
        "reviews_on_time", "temporary_grants", "disability_living_recipients",
        "disability_care_recipients"}) {
    std::int64_t sum = 0;
    for (const auto& [township, value] : by_township(id)) sum += value;
    EXPECT_EQ(sum, total(id)) << id;
  }
}

TEST_F(SocialAssistanceTest, ListsPageThroughEveryRecordOnce) {
  for (int i = 0; i < 5; ++i) household(1, nullptr, 40 + i);
  std::set<std::int64_t> seen;
  std::optional<std::string> cursor;
  int pages = 0;
  do {
    auto page =
        context_.call(Method::Get, "/households?limit=2" + (cursor ? "&cursor=" + *cursor : ""));
    for (const auto& item : page.body["items"]) seen.insert(item["id"].get<std::int64_t>());
    EXPECT_EQ(page.body["total"], 5) << "page " << pages;  // a column of each page's statement
    cursor = page.body["next"].is_null() ? std::nullopt
                                         : std::optional(page.body["next"].get<std::string>());
    ++pages;
  } while (cursor && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  EXPECT_THROW(context_.call(Method::Get, "/households?limit=201"), sdk::ValidationError);
  EXPECT_THROW(context_.call(Method::Get, "/households?sort=village"), sdk::ValidationError);

  // The total by the townships' tallies and by counting, on pages with rows and on empty ones
  // (which ask it apart), for the county and for a clerk of one township.
  ruralHouseholdInGuanmiao();
  const auto listed = [&](const std::string& query) {
    auto page = context_.call(Method::Get, "/households?limit=2" + query);
    return std::pair{page.body["items"].size(), page.body["total"].get<std::int64_t>()};
  };
  using Listed = std::pair<std::size_t, std::int64_t>;
  EXPECT_EQ(listed(""), (Listed{2, 6}));
  EXPECT_EQ(listed("&township=关庙镇"), (Listed{1, 1}));
  EXPECT_EQ(listed("&township=新城街道"), (Listed{0, 0}));
  EXPECT_EQ(listed("&name=王建国"), (Listed{2, 5}));
  EXPECT_EQ(listed("&village=清泉村"), (Listed{1, 1}));
  EXPECT_EQ(listed("&village=无"), (Listed{0, 0}));
  context_.setCaller({"gm_clerk", "clerk", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(listed(""), (Listed{1, 1}));
  EXPECT_EQ(listed("&township=江北街道"), (Listed{0, 0}));
  EXPECT_EQ(listed("&name=王建国"), (Listed{0, 0}));
}

TEST_F(SocialAssistanceTest, ADeathEndsASinglePersonCaseFromTheNextMonth) {
  const auto case_id = diesAfterJunesRun();  // June paid ahead
  auto ended = context_.call(Method::Get, "/cases/" + std::to_string(case_id));
  EXPECT_EQ(ended.body["status"], "terminated");
  EXPECT_EQ(ended.body["end_month"], "2026-05");
  EXPECT_EQ(amount(case_id, "2026-05"), "300.00");
  EXPECT_EQ(amount(case_id, "2026-06"), "0.00");
  // June was paid ahead: recovered by a negative line on the next run, once a person has
  // confirmed what the event recorded (a work item for the county's staff).
  long long recovery = 0;
  context_.db() << "SELECT id FROM sa_adjustments WHERE recorded_by = 'event:person.deceased'",
      soci::into(recovery);
  ASSERT_GT(recovery, 0);
  context_.call(Method::Post, "/adjustments/" + std::to_string(recovery) + "/confirmation");
  // The death's changes are audited in the case's county, naming the event.
  EXPECT_GE(count("SELECT COUNT(*) FROM civ_audit WHERE county_code = '610902' AND role = "
                  "'event' AND cause LIKE 'event person.deceased%' AND action = 'case.terminate'"),
            1);
  context_.setToday(day("2026-06-25"));
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-07"}});
  auto july = context_.call(Method::Get, "/payment-runs/2026-07");
  EXPECT_EQ(july.body["total"], "-300.00");
  // Delivered once: a second delivery pass changes nothing.
  EXPECT_EQ(context_.deliverEvents(), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.terminated'"), 1);
}

TEST_F(SocialAssistanceTest, CancellingAPreparedRunTakesTheDeathRecoveryOfItsMonthWithIt) {
  diesAfterJunesRun();  // June's run prepared ahead, not confirmed
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_adjustments WHERE month = '2026-06'"), 1);
  // June's run was never confirmed: cancelled, its line and the recovery of it are gone, and
  // run again it pays nothing for the ended case.
  asApprover("county2");
  context_.call(Method::Post, "/payment-runs/2026-06/cancellation", {{"reason", "受助人已死亡"}});
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_adjustments WHERE month = '2026-06'"), 0);
  auto june = context_.call(Method::Post, "/payment-runs", {{"month", "2026-06"}});
  EXPECT_EQ(june.body["total"], "0.00");
  EXPECT_EQ(june.body["lines"], 0);
}

TEST_F(SocialAssistanceTest, CoverageIsAnsweredForOtherModules) {
  approvedCase(2, "1200", 51);
  long long person = 0;
  context_.db() << "SELECT MIN(person_id) FROM sa_members", soci::into(person);
  auto before = context_.coverage().coverageOn(context_.db(), "610902", person, day("2026-03-31"));
  EXPECT_TRUE(before.answers("dibao"));
  EXPECT_EQ(before.find("dibao"), nullptr);
  auto during = context_.coverage().coverageOn(context_.db(), "610902", person, day("2026-04-01"));
  ASSERT_NE(during.find("dibao"), nullptr);
  EXPECT_EQ(during.find("dibao")->module, "social_assistance");
  EXPECT_EQ(during.find("dibao")->from, day("2026-04-01"));
  auto elsewhere =
      context_.coverage().coverageOn(context_.db(), "350502", person, day("2026-04-01"));
  EXPECT_EQ(elsewhere.find("dibao"), nullptr);
}

TEST_F(SocialAssistanceTest, ElderlyCareAdmissionAndDischargeSwitchTekunSupportFromTheNextMonth) {
  // 刘桂兰, 特困 at home (分散): 3850 / 12 + 300 care = 620.83 a month.
  asClerk();
  const auto id = citizenId("19440210", 62);
  auto created = context_.call(Method::Post, "/households",
                               {{"category", "rural"},
                                {"township", "关庙镇"},
                                {"village", "清泉村"},
                                {"hukou_address", "关庙镇清泉村"},
                                {"residence_address", "关庙镇清泉村"},
                                {"members", {member(id, "刘桂兰", "applicant")}}});
  auto application = context_.call(Method::Post, "/applications",
                                   {{"household_id", created.body["id"]},
                                    {"program", "tekun"},
                                    {"applicant_citizen_id", id},
                                    {"person_citizen_id", id},
                                    {"support_mode", "dispersed"},
                                    {"self_care_failed_items", 4}});
  throughNotice(application.body["id"]);
  context_.setToday(context_.clock().today().addDays(1));
  asApprover();
  auto decided = context_.call(Method::Post, path(application.body["id"], "/decision"),
                               {{"result", "approve"}, {"county_rechecked", true}});
  const std::int64_t case_id = decided.body["case"]["id"];
  const std::int64_t person = decided.body["case"]["person_id"];
  // May is paid at home before the admission is known.
  context_.setToday(day("2026-05-25"));
  ASSERT_EQ(context_.call(Method::Post, "/payment-runs", {{"month", "2026-05"}}).status, 201);

  sdk::EventDeclaration admitted, discharged;
  admitted.name = "elderly_care.tekun_admitted";
  discharged.name = "elderly_care.tekun_discharged";
  admitted.payload_schema =
      discharged.payload_schema = {{"type", "object"}, {"additionalProperties", true}};
  // Admitted on 04-20 but reported late: 集中供养 from May, which was paid at the 分散 rate.
  const json admission = {{"resident_id", 7},
                          {"person_id", person},
                          {"institution_id", 3},
                          {"on_date", "2026-04-20"},
                          {"from_month", "2026-05"}};
  context_.publishAs("elderly_care", admitted, "610902", admission);
  EXPECT_GE(context_.deliverEvents(), 1);
  EXPECT_EQ(amount(case_id, "2026-04"), "620.83");
  EXPECT_EQ(amount(case_id, "2026-05"), "766.67");  // 5600 / 12 = 466.67, + 300 care
  EXPECT_EQ(amount(case_id, "2026-09"), "766.67");
  // May's difference waits as an adjustment a person confirms: 766.67 − 620.83.
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_adjustments WHERE month = '2026-05' AND amount_fen ="
                  " 14584 AND confirmed_by IS NULL AND recorded_by ="
                  " 'event:elderly_care.tekun_admitted'"),
            1);
  auto case_body = context_.call(Method::Get, "/cases/" + std::to_string(case_id)).body;
  EXPECT_EQ(case_body["support_mode"], "concentrated");  // today is in May
  ASSERT_EQ(case_body["support_modes"].size(), 2u);
  EXPECT_EQ(case_body["support_modes"][0]["support_mode"], "dispersed");
  EXPECT_EQ(case_body["support_modes"][1]["from_month"], "2026-05");
  EXPECT_EQ(case_body["support_modes"][1]["support_mode"], "concentrated");
  EXPECT_EQ(context_.call(Method::Get, "/cases?support_mode=concentrated").body["total"], 1);
  std::string audit_county, summary;
  context_.db() << "SELECT county_code, summary FROM civ_audit WHERE action = 'case.support_mode'",
      soci::into(audit_county), soci::into(summary);
  EXPECT_EQ(audit_county, "610902");
  EXPECT_EQ(json::parse(summary)["support_mode"]["old"], "dispersed");
  EXPECT_EQ(json::parse(summary)["support_mode"]["new"], "concentrated");

  // Delivered again (at least once): nothing more.
  context_.publishAs("elderly_care", admitted, "610902", admission);
  context_.deliverEvents();
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_support_modes"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_adjustments"), 1);

  // Discharged in July: 分散 again from August.
  context_.publishAs("elderly_care", discharged, "610902",
                     {{"resident_id", 7},
                      {"person_id", person},
                      {"institution_id", 3},
                      {"on_date", "2026-07-31"},
                      {"from_month", "2026-08"}});
  EXPECT_GE(context_.deliverEvents(), 1);
  EXPECT_EQ(amount(case_id, "2026-07"), "766.67");
  EXPECT_EQ(amount(case_id, "2026-08"), "620.83");
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_adjustments"), 1);  // nothing paid from August yet
  // The counts and the 集中供养率 follow the month: in institution in June, at home in August.
  const auto june_from = day("2026-06-01"), june_to = day("2026-06-30");
  const auto august_from = day("2026-08-01"), august_to = day("2026-08-31");
  EXPECT_EQ(context_.indicator("tekun_persons_concentrated", "610902", june_from, june_to), 1);
  EXPECT_EQ(context_.indicator("tekun_persons_dispersed", "610902", june_from, june_to), 0);
  EXPECT_EQ(context_.indicator("tekun_concentrated_rate", "610902", june_from, june_to), 1000);
  EXPECT_EQ(context_.indicator("tekun_concentrated_rate", "610902", august_from, august_to), 0);
  EXPECT_EQ(context_.indicator("tekun_persons_dispersed", "610902", august_from, august_to), 1);
}

// Both applied for while neither was granted: the second decided is refused (rules.md §1.3).
TEST_F(SocialAssistanceTest, DibaoAndTekunGrantedMeanwhileExcludeEachOtherAtTheDecision) {
  auto created =
      context_.call(Method::Post, "/households",
                    {{"category", "rural"},
                     {"township", "关庙镇"},
                     {"village", "清泉村"},
                     {"hukou_address", "关庙镇清泉村"},
                     {"residence_address", "关庙镇清泉村"},
                     {"members", {member(citizenId("19440210", 62), "王秀英", "applicant")}}});
  const std::int64_t household_id = created.body["id"];
  const auto id = citizenId("19440210", 62);
  auto dibao = context_.call(
      Method::Post, "/applications",
      {{"household_id", household_id}, {"program", "dibao"}, {"applicant_citizen_id", id}});
  auto tekun = context_.call(Method::Post, "/applications",
                             {{"household_id", household_id},
                              {"program", "tekun"},
                              {"applicant_citizen_id", id},
                              {"person_citizen_id", id},
                              {"support_mode", "dispersed"},
                              {"self_care_failed_items", 4}});
  throughNotice(dibao.body["id"]);
  throughNotice(tekun.body["id"]);
  context_.setToday(context_.clock().today().addDays(1));
  asApprover();
  context_.call(Method::Post, path(tekun.body["id"], "/decision"),
                {{"result", "approve"}, {"county_rechecked", true}});
  try {
    context_.call(Method::Post, path(dibao.body["id"], "/decision"), {{"result", "approve"}});
    FAIL() << "低保 granted beside the member's 特困";
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("household_id:dibao-excludes-tekun"));
  }
  EXPECT_EQ(context_.call(Method::Get, path(dibao.body["id"], "")).body["status"], "in_notice");
}

TEST_F(SocialAssistanceTest, TekunAndDisabilitySubsidiesArePerPerson) {
  // An 82-year-old living alone, four of six self-care items failed, at home.
  auto created =
      context_.call(Method::Post, "/households",
                    {{"category", "rural"},
                     {"township", "关庙镇"},
                     {"village", "清泉村"},
                     {"hukou_address", "关庙镇清泉村"},
                     {"residence_address", "关庙镇清泉村"},
                     {"members", {member(citizenId("19440210", 61), "刘桂兰", "applicant")}}});
  const std::int64_t household_id = created.body["id"];
  const auto id = citizenId("19440210", 61);
  auto application = context_.call(Method::Post, "/applications",
                                   {{"household_id", household_id},
                                    {"program", "tekun"},
                                    {"applicant_citizen_id", id},
                                    {"person_citizen_id", id},
                                    {"support_mode", "dispersed"},
                                    {"self_care_failed_items", 4}});
  throughNotice(application.body["id"]);
  context_.setToday(context_.clock().today().addDays(1));
  asApprover();
  auto decided = context_.call(Method::Post, path(application.body["id"], "/decision"),
                               {{"result", "approve"}, {"county_rechecked", true}});
  const std::int64_t case_id = decided.body["case"]["id"];
  EXPECT_EQ(decided.body["case"]["self_care_level"], "fully_unable");
  EXPECT_EQ(amount(case_id, "2026-04"), "620.83");  // 3850 / 12 + 300
  auto recheck = context_.call(Method::Get, "/tekun/recheck?year=2026");
  EXPECT_EQ(recheck.body["decided"], 1);
  EXPECT_EQ(recheck.body["meets_requirement"], true);
  // Nor is the 特困 person's household then granted 低保 as well (rules.md §1.3).
  asClerk();
  try {
    context_.call(
        Method::Post, "/applications",
        {{"household_id", household_id}, {"program", "dibao"}, {"applicant_citizen_id", id}});
    FAIL() << "低保 accepted for a 特困 person's household";
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("household_id:dibao-excludes-tekun"));
  }
  // A working-age person without disability is not 特困.
  auto young =
      context_.call(Method::Post, "/households",
                    {{"category", "rural"},
                     {"township", "关庙镇"},
                     {"village", "清泉村"},
                     {"hukou_address", "x"},
                     {"residence_address", "x"},
                     {"members", {member(citizenId("19900101", 71), "青年", "applicant")}}});
  try {
    context_.call(Method::Post, "/applications",
                  {{"household_id", young.body["id"]},
                   {"program", "tekun"},
                   {"applicant_citizen_id", citizenId("19900101", 71)},
                   {"person_citizen_id", citizenId("19900101", 71)},
                   {"support_mode", "dispersed"},
                   {"self_care_failed_items", 0}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("person_citizen_id:tekun-unable-to-work"));
  }
}

TEST_F(SocialAssistanceTest, TemporaryAssistanceWithinTheTownshipLimit) {
  const auto household_id = household(2, "6000");
  auto big = context_.call(Method::Post, "/applications",
                           {{"household_id", household_id},
                            {"program", "temporary"},
                            {"applicant_citizen_id", citizenId("19800101", 11)},
                            {"temporary_kind", "emergency"},
                            {"requested_amount", "2000.00"}});
  asReviewer();
  try {
    context_.call(Method::Post, path(big.body["id"], "/township-approval"));
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("requested_amount:temporary.township_limit"));
  }
  asApprover();
  auto decided =
      context_.call(Method::Post, path(big.body["id"], "/decision"), {{"result", "approve"}});
  EXPECT_EQ(decided.body["case"]["start_month"], "2026-03");
  EXPECT_EQ(decided.body["case"]["end_month"], "2026-03");
  EXPECT_EQ(amount(decided.body["case"]["id"], "2026-03"), "2000.00");
  // Above the cap of 6 months of the urban standard (3000): refused at receipt.
  asClerk();
  try {
    context_.call(Method::Post, "/applications",
                  {{"household_id", household_id},
                   {"program", "temporary"},
                   {"applicant_citizen_id", citizenId("19800101", 11)},
                   {"temporary_kind", "spending"},
                   {"requested_amount", "3000.01"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_TRUE(fieldRules(error).contains("requested_amount:temporary.cap_months"));
  }
}

// rules.md §1.6: only 急难型 may be paid ahead of the check and the notice (小金额先行救助);
// 支出型 is checked and publicly noticed before the county or, within its limit, the township
// approves it.
TEST_F(SocialAssistanceTest, SpendingTemporaryAssistanceWaitsForItsCheckAndNotice) {
  const auto household_id = household(2, "6000");
  auto spending = context_.call(Method::Post, "/applications",
                                {{"household_id", household_id},
                                 {"program", "temporary"},
                                 {"applicant_citizen_id", citizenId("19800101", 11)},
                                 {"temporary_kind", "spending"},
                                 {"requested_amount", "500.00"}});
  const std::int64_t id = spending.body["id"];
  EXPECT_EQ(spending.body["status"], "accepted");
  asApprover();
  EXPECT_THROW(context_.call(Method::Post, path(id, "/decision"), {{"result", "approve"}}),
               sdk::Conflict);
  asReviewer();
  EXPECT_THROW(context_.call(Method::Post, path(id, "/township-approval")), sdk::Conflict);
  throughNotice(id);  // today is the notice's last day: still too early
  asReviewer();
  EXPECT_THROW(context_.call(Method::Post, path(id, "/township-approval")), sdk::Conflict);
  asApprover();
  EXPECT_THROW(context_.call(Method::Post, path(id, "/decision"), {{"result", "approve"}}),
               sdk::Conflict);
  EXPECT_EQ(context_.call(Method::Get, path(id, "")).body["status"], "in_notice");
  context_.setToday(context_.clock().today().addDays(1));
  asReviewer();
  auto approved = context_.call(Method::Post, path(id, "/township-approval"));
  EXPECT_EQ(approved.body["status"], "approved");
  const std::string start_month = approved.body["case"]["start_month"];
  EXPECT_EQ(amount(approved.body["case"]["id"], start_month.c_str()), "500.00");
}

TEST_F(SocialAssistanceTest, ReReviewAboveTheStandardStartsThePhaseOut) {
  const auto case_id = approvedCase(2, "3600");  // income 600 for 2: 400.00
  auto shown = context_.call(Method::Get, "/cases/" + std::to_string(case_id));
  const std::int64_t household_id = shown.body["household_id"];
  context_.setToday(day("2026-08-10"));
  context_.call(Method::Post, "/households/" + std::to_string(household_id) + "/income-items",
                {{"category", "wages"},
                 {"treatment", "counted"},
                 {"amount", "6000"},
                 {"period_from", "2026-02-01"},
                 {"period_to", "2026-07-31"},
                 {"description", "新就业"}});
  auto reviewed = context_.call(Method::Post, "/cases/" + std::to_string(case_id) + "/reviews",
                                {{"found_work", true}});
  EXPECT_EQ(reviewed.body["review"]["outcome"], "phase_out");
  EXPECT_EQ(reviewed.body["end_month"], "2027-02");  // six months from September
  EXPECT_EQ(amount(case_id, "2027-02"), "400.00");   // the amount is kept while phasing out
  EXPECT_EQ(amount(case_id, "2027-03"), "0.00");
}

TEST_F(SocialAssistanceTest, TheAnnualReReviewChangesAmountsAndFlagsWhoNoLongerQualifies) {
  const auto same = approvedCase(2, "3600", 11);     // 600 a month for 2: 400.00
  const auto raised = approvedCase(2, "3600", 21);   // will earn 200 more a month
  const auto too_rich = approvedCase(1, "600", 31);  // will earn 1000 more a month
  const auto household_of = [&](std::int64_t case_id) {
    return context_.call(Method::Get, "/cases/" + std::to_string(case_id))
        .body["household_id"]
        .get<std::int64_t>();
  };
  // Reviewed in September: the income of March to August counts, not the application's
  // September to February, so each household's wages for those six months are recorded.
  context_.setToday(day("2026-09-10"));
  const auto earn = [&](std::int64_t case_id, const char* six_months) {
    addIncome(household_of(case_id), six_months, "2026-03-01", "2026-08-31");
  };
  earn(same, "3600");
  earn(raised, "4800");
  earn(too_rich, "6600");
  asApprover();
  auto reviewed = context_.call(Method::Post, "/reviews/annual", {{"note", "2026 年度复核"}});
  asClerk();
  EXPECT_EQ(reviewed.body["reviewed"], 3);
  EXPECT_EQ(reviewed.body["unchanged"], 1);
  EXPECT_EQ(reviewed.body["amount_changed"], 1);
  EXPECT_EQ(reviewed.body["ineligible_flagged"], 1);
  EXPECT_EQ(reviewed.body["effective_month"], "2026-10");
  // The new amount from next month only, and the same as a single household's assessment.
  EXPECT_EQ(amount(raised, "2026-09"), "400.00");
  EXPECT_EQ(amount(raised, "2026-10"), "200.00");  // 1000 − (600 + 200)
  const auto assessed =
      context_.call(Method::Get, "/households/" + std::to_string(household_of(raised)) +
                                     "/assessment?month=2026-10");
  EXPECT_EQ(assessed.body["dibao_amount"], "200.00");
  EXPECT_EQ(assessed.body["counted_income"], "4800.00");  // the application's income not again
  EXPECT_EQ(assessed.body["income_window"], json({{"from", "2026-03"}, {"to", "2026-08"}}));
  EXPECT_EQ(amount(same, "2026-10"), "400.00");
  // Not terminated by the batch: flagged for a written decision.
  EXPECT_EQ(amount(too_rich, "2026-10"), "400.00");
  auto due = context_.call(Method::Get, "/reviews/due").body["due"];
  bool flagged = false;
  for (const auto& entry : due)
    if (entry["case_id"] == too_rich)
      flagged = entry["reasons"].dump().find("no longer eligible") != std::string::npos;
  EXPECT_TRUE(flagged) << due.dump();
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_reviews WHERE note = '2026 年度复核'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_cases WHERE next_review_due = '2027-09-10'"), 3);
  // One assistance.changed, for the raised case from October (the batch's events are published
  // together, EventBus::publishAll).
  const std::string changed_events =
      "SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.changed' AND payload LIKE "
      "'%\"change\":\"amount_changed\"%'";
  EXPECT_EQ(count(changed_events), 1);
  EXPECT_EQ(count(changed_events + " AND payload LIKE '{\"case_id\":" + std::to_string(raised) +
                  ",%\"month\":\"2026-10\"%'"),
            1);
  // Run again the same day: everything is now as reviewed.
  asApprover();
  auto again = context_.call(Method::Post, "/reviews/annual", json::object());
  EXPECT_EQ(again.body["amount_changed"], 0);
  EXPECT_EQ(again.body["unchanged"], 2);
}

TEST_F(SocialAssistanceTest, TheAnnualReReviewCountsTwoYearsOfSteadyWagesOnce) {
  // 800.00 a month, recorded a year at a time. At the decision (March 2026, for April) the six
  // months September to February count: half of the year's 9600.00, 800.00 a month, 200.00 for
  // two on the urban standard of 500.00. Every item summed over six months would be 1600.00.
  const auto household_id = household(2, nullptr, 61);
  addIncome(household_id, "9600.00", "2025-03-01", "2026-02-28");
  const auto case_id = approvedCaseOf(household_id, 61);
  EXPECT_EQ(amount(case_id, "2026-04"), "200.00");
  // A year on, the next year's wages: the annual re-review counts September 2026 to February
  // 2027 of the second item only, so nothing changes (two items summed: 3200.00 a month).
  context_.setToday(day("2027-03-10"));
  addIncome(household_id, "9600.00", "2026-03-01", "2027-02-28");
  asApprover();
  auto reviewed = context_.call(Method::Post, "/reviews/annual", json::object());
  asClerk();
  EXPECT_EQ(reviewed.body["reviewed"], 1);
  EXPECT_EQ(reviewed.body["unchanged"], 1);
  EXPECT_EQ(reviewed.body["ineligible_flagged"], 0);
  EXPECT_EQ(amount(case_id, "2027-04"), "200.00");
  const auto assessed = context_.call(
      Method::Get, "/households/" + std::to_string(household_id) + "/assessment?month=2027-04");
  EXPECT_EQ(assessed.body["counted_income"], "4800.00");
  EXPECT_EQ(assessed.body["household_monthly_income"], "800.00");
  EXPECT_EQ(assessed.body["income_window"], json({{"from", "2026-09"}, {"to", "2027-02"}}));
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_households WHERE review_flag IS NOT NULL"), 0);
}

TEST_F(SocialAssistanceTest, AnAssessmentCountsEachTreatmentForTheMonthsBeforeTheMonthAssessed) {
  const auto household_id = household(1, nullptr, 71);
  addIncome(household_id, "2400.00", "2025-03-01", "2026-02-28");  // 200 a month
  addIncome(household_id, "9999.00", "2024-01-01", "2024-12-31");  // before any window here
  addIncome(household_id, "500.00", "2026-03-01", "2026-03-02");   // this month: not yet counted
  addIncome(household_id, "300.00", "2025-12-01", "2026-02-28", "excluded", "transfer");
  addIncome(household_id, "400.00", "2025-07-01", "2025-10-31", "deduction");  // 100 a month
  const std::string path = "/households/" + std::to_string(household_id) + "/assessment";
  // Next month, assessed on 2026-03-02: September to February.
  auto assessed = context_.call(Method::Get, path + "?month=2026-04");
  EXPECT_EQ(assessed.body["income_window"], json({{"from", "2025-09"}, {"to", "2026-02"}}));
  EXPECT_EQ(assessed.body["income_period_months"], 6);
  EXPECT_EQ(assessed.body["counted_income"], "1200.00");
  EXPECT_EQ(assessed.body["excluded_income"], "300.00");
  EXPECT_EQ(assessed.body["deductions"], "200.00");                // September and October
  EXPECT_EQ(assessed.body["household_monthly_income"], "166.67");  // 1000.00 / 6, half up
  // A past month: the six months before it, July to December.
  assessed = context_.call(Method::Get, path + "?month=2026-01");
  EXPECT_EQ(assessed.body["income_window"], json({{"from", "2025-07"}, {"to", "2025-12"}}));
  EXPECT_EQ(assessed.body["counted_income"], "1200.00");
  EXPECT_EQ(assessed.body["excluded_income"], "100.00");
  EXPECT_EQ(assessed.body["deductions"], "400.00");
  EXPECT_EQ(assessed.body["household_monthly_income"], "133.33");  // 800.00 / 6
  // A county that counts twelve months: March to February.
  context_.setPolicyValue("dibao.income_period_months", "12", day("2026-01-01"));
  assessed = context_.call(Method::Get, path + "?month=2026-04");
  EXPECT_EQ(assessed.body["income_window"], json({{"from", "2025-03"}, {"to", "2026-02"}}));
  EXPECT_EQ(assessed.body["counted_income"], "2400.00");
  EXPECT_EQ(assessed.body["deductions"], "400.00");
  EXPECT_EQ(assessed.body["household_monthly_income"], "166.67");  // 2000.00 / 12
}

// Issue 17, item 3: what a clerk typed is corrected with PATCH, one audit row per correction with
// only the changed fields, old and new; a refusal changes nothing.
TEST_F(SocialAssistanceTest, AHouseholdIsCorrectedAndTheCorrectionAudited) {
  const auto id = household(1, nullptr, 11);
  const std::string base = "/households/" + std::to_string(id);
  auto corrected = context_.call(Method::Patch, base,
                                 {{"residence_address", "汉滨区东坝路2号"},
                                  {"bank_account", "6230999988887777"},
                                  {"village", "东坝社区"}});  // unchanged: not audited
  EXPECT_EQ(corrected.status, 200);
  EXPECT_EQ(corrected.body["residence_address"], "汉滨区东坝路2号");
  EXPECT_EQ(corrected.body["bank_account"], "6230999988887777");
  auto rows = audits("household.correct", id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0],
            json({{"residence_address", {{"old", "汉滨区东坝路1号"}, {"new", "汉滨区东坝路2号"}}},
                  {"bank_account", {{"old", "6230123412341234"}, {"new", "6230999988887777"}}}}));
  // Nothing to change: 422 naming each field; an empty body: 400; a number is not typed data.
  try {
    context_.call(Method::Patch, base, {{"residence_address", "汉滨区东坝路2号"}});
    FAIL() << "an unchanged correction";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"residence_address:unchanged"}));
  }
  expectStatus([&] { context_.call(Method::Patch, base, json::object()); }, 400);
  expectStatus([&] { context_.call(Method::Patch, base, {{"number", "HH-1"}}); }, 400);
  // null clears the bank account (the run then warns about the household).
  corrected = context_.call(Method::Patch, base, {{"bank_account", nullptr}});
  EXPECT_EQ(corrected.body["bank_account"], "");
  EXPECT_EQ(audits("household.correct", id).size(), 2u);

  // Township scope: a clerk of 江北街道 may not move the household out of their scope, and a
  // clerk of 关庙镇 may not touch it; one covering both may move it.
  context_.setCaller({"jb_clerk", "clerk", {"610902"}, {}, {"江北街道"}});
  expectStatus([&] { context_.call(Method::Patch, base, {{"township", "关庙镇"}}); }, 403);
  context_.setCaller({"gm_clerk", "clerk", {"610902"}, {}, {"关庙镇"}});
  expectStatus([&] { context_.call(Method::Patch, base, {{"township", "关庙镇"}}); }, 403);
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_households WHERE township = '江北街道'"), 1);
  context_.setCaller({"both_clerk", "clerk", {"610902"}, {}, {"江北街道", "关庙镇"}});
  corrected = context_.call(Method::Patch, base, {{"township", "关庙镇"}, {"village", "清泉村"}});
  EXPECT_EQ(corrected.body["township"], "关庙镇");
  rows = audits("household.correct", id);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2]["township"], json({{"old", "江北街道"}, {"new", "关庙镇"}}));
  EXPECT_EQ(rows[2]["village"], json({{"old", "东坝社区"}, {"new", "清泉村"}}));
  expectStatus([&] { context_.call(Method::Patch, "/households/999", {{"village", "x"}}); }, 404);
}

TEST_F(SocialAssistanceTest, AMembersTypedFactsAreCorrectedNeverTheRegistrysIdOrName) {
  // 3 × 500 − 5400 / 6 = 600.00 for April; decided 2026-03-10.
  const auto case_id = approvedCase(3, "5400");
  long long household = 0;
  context_.db() << "SELECT household_id FROM sa_cases WHERE id = " << case_id,
      soci::into(household);
  const std::string base = "/households/" + std::to_string(household);
  auto members = context_.call(Method::Get, base + "/members");
  ASSERT_EQ(members.body["total"], 3);
  const std::int64_t spouse = members.body["items"][1]["id"];
  const std::string member_path = base + "/members/" + std::to_string(spouse);
  const auto changed_before =
      count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.changed'");
  // The spouse was typed as living together but works away: not counted from now on.
  auto corrected = context_.call(Method::Patch, member_path,
                                 {{"lives_together", false}, {"inclusion_reason", "常年外出务工"}});
  EXPECT_EQ(corrected.body["members"][1]["lives_together"], false);
  // April is not paid yet: 2 × 500 − 900 = 100.00.
  EXPECT_EQ(amount(case_id, "2026-04"), "100.00");
  EXPECT_EQ(count("SELECT COUNT(*) FROM civ_outbox WHERE name = 'assistance.changed'"),
            changed_before + 1);
  auto rows = audits("household.member_correct", household);
  ASSERT_EQ(rows.size(), 1u);
  const std::string prefix = "member_" + std::to_string(spouse) + ".";
  EXPECT_EQ(rows[0],
            json({{prefix + "lives_together", {{"old", true}, {"new", false}}},
                  {prefix + "inclusion_reason", {{"old", "共同生活"}, {"new", "常年外出务工"}}}}));
  // The citizen ID and name are the persons registry's: not in the schema, 400 naming them.
  for (const char* field : {"citizen_id", "name"}) {
    try {
      context_.call(Method::Patch, member_path, {{field, "x"}, {"student", true}});
      FAIL() << field;
    } catch (const sdk::ValidationError& error) {
      EXPECT_EQ(error.status(), 400);
      EXPECT_EQ(error.fieldErrors().at(0).field, field);
    }
  }
  // A type without a grade is refused, and nothing changes.
  try {
    context_.call(Method::Patch, member_path, {{"disability_type", "physical"}, {"student", true}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"disability_type:type-with-grade"}));
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_members WHERE student = 1"), 0);
  EXPECT_EQ(audits("household.member_correct", household).size(), 1u);
  auto graded = context_.call(Method::Patch, member_path,
                              {{"disability_grade", 3}, {"disability_type", "physical"}});
  EXPECT_EQ(graded.body["members"][1]["disability_grade"], 3);
  // Cleared again with null.
  graded = context_.call(Method::Patch, member_path,
                         {{"disability_grade", nullptr}, {"disability_type", nullptr}});
  EXPECT_FALSE(graded.body["members"][1].contains("disability_grade"));
  // A member who left is history: 409; an unknown member 404.
  context_.call(Method::Post, member_path + "/leave", {{"reason", "迁出"}});
  expectStatus([&] { context_.call(Method::Patch, member_path, {{"student", true}}); }, 409);
  expectStatus(
      [&] {
        context_.call(Method::Patch, base + "/members/999", {{"student", true}});
      },
      404);
  EXPECT_EQ(context_.call(Method::Get, base + "/members?present=true").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, base + "/members?present=false").body["total"], 1);
}

TEST_F(SocialAssistanceTest, AnIncomeItemIsCorrectedEndedAndWithdrawnToTheFen) {
  const auto id = household(1, nullptr, 71);
  const std::string base = "/households/" + std::to_string(id);
  auto added = context_.call(Method::Post, base + "/income-items",
                             {{"category", "wages"},
                              {"treatment", "counted"},
                              {"amount", "2400.00"},
                              {"period_from", "2025-03-01"},
                              {"period_to", "2026-02-28"},
                              {"description", "务工收入"}});
  const std::int64_t item = added.body["id"];
  const std::string item_path = base + "/income-items/" + std::to_string(item);
  const auto counted = [&] {
    return context_.call(Method::Get, base + "/assessment?month=2026-04")
        .body["counted_income"]
        .get<std::string>();
  };
  EXPECT_EQ(counted(), "1200.00");  // 200.00 a month, September to February
  // The amount was mistyped: 3600.00 over the year, 300.00 a month.
  auto corrected = context_.call(Method::Patch, item_path, {{"amount", "3600"}});
  EXPECT_EQ(corrected.body["amount"], "3600.00");
  EXPECT_EQ(counted(), "1800.00");
  // Ended: the job stopped at the end of November; 3600.00 over March..November is 400.00 a
  // month, and September..November of the window count: 1200.00.
  corrected = context_.call(Method::Patch, item_path, {{"period_to", "2025-11-30"}});
  EXPECT_EQ(corrected.body["period_to"], "2025-11-30");
  EXPECT_EQ(counted(), "1200.00");
  // 1000.00 over seven months (May..November), three in the window: 428.57, half up.
  context_.call(Method::Patch, item_path, {{"amount", "1000.00"}, {"period_from", "2025-05-01"}});
  EXPECT_EQ(counted(), "428.57");
  auto rows = audits("household.income_correct", id);
  ASSERT_EQ(rows.size(), 3u);
  const std::string prefix = "income_item_" + std::to_string(item) + ".";
  EXPECT_EQ(rows[0], json({{prefix + "amount", {{"old", "2400.00"}, {"new", "3600.00"}}}}));
  EXPECT_EQ(rows[1],
            json({{prefix + "period_to", {{"old", "2026-02-28"}, {"new", "2025-11-30"}}}}));
  EXPECT_EQ(rows[2],
            json({{prefix + "amount", {{"old", "3600.00"}, {"new", "1000.00"}}},
                  {prefix + "period_from", {{"old", "2025-03-01"}, {"new", "2025-05-01"}}}}));
  // Refusals name the field and rule and change nothing.
  try {
    context_.call(Method::Patch, item_path, {{"period_from", "2025-12-01"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"period_from:period-order"}));
  }
  try {
    context_.call(Method::Patch, item_path, {{"period_to", "2026-12-31"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"period_to:not-in-future"}));
  }
  try {
    context_.call(Method::Patch, item_path, {{"citizen_id", citizenId("19800101", 99)}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(fieldRules(error), (std::set<std::string>{"citizen_id:member-of-household"}));
  }
  EXPECT_EQ(counted(), "428.57");
  EXPECT_EQ(audits("household.income_correct", id).size(), 3u);
  // Withdrawn with a reason: kept on file, marked, no longer counted, no longer corrected.
  auto withdrawn = context_.call(Method::Post, item_path + "/withdrawal", {{"reason", "重复录入"}});
  EXPECT_EQ(withdrawn.body["withdrawn_on"], "2026-03-02");
  EXPECT_EQ(withdrawn.body["withdrawal_reason"], "重复录入");
  EXPECT_EQ(counted(), "0.00");
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_income_items"), 1);
  rows = audits("household.income_withdraw", id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][prefix + "withdrawal_reason"], json({{"old", nullptr}, {"new", "重复录入"}}));
  expectStatus([&] { context_.call(Method::Patch, item_path, {{"amount", "1.00"}}); }, 409);
  expectStatus(
      [&] {
        context_.call(Method::Post, item_path + "/withdrawal", {{"reason", "again"}});
      },
      409);
  auto list = context_.call(Method::Get, base + "/income-items");
  ASSERT_EQ(list.body["total"], 1);
  EXPECT_EQ(list.body["items"][0]["withdrawn_on"], "2026-03-02");
  EXPECT_EQ(context_.call(Method::Get, base + "/income-items?withdrawn=false").body["total"], 0);
  // Another household's item is not found through this one.
  const auto other = household(1, nullptr, 72);
  expectStatus(
      [&] {
        context_.call(
            Method::Patch,
            "/households/" + std::to_string(other) + "/income-items/" + std::to_string(item),
            {{"amount", "1.00"}});
      },
      404);
}

TEST_F(SocialAssistanceTest, APropertyItemIsCorrectedAndWithdrawn) {
  const auto id = household(1, nullptr, 73);
  const std::string base = "/households/" + std::to_string(id);
  auto added = context_.call(Method::Post, base + "/property-items",
                             {{"kind", "vehicle"}, {"value", "40000.00"}, {"description", "轿车"}});
  const std::string item_path =
      base + "/property-items/" + std::to_string(added.body["id"].get<std::int64_t>());
  const auto passes = [&] {
    return context_.call(Method::Get, base + "/assessment").body["property_passes"].get<bool>();
  };
  EXPECT_FALSE(passes());
  // It is a disabled member's mobility vehicle: exempt.
  auto corrected =
      context_.call(Method::Patch, item_path,
                    {{"exempt", true}, {"value", "4000"}, {"description", "残疾人代步车"}});
  EXPECT_EQ(corrected.body["value"], "4000.00");
  EXPECT_TRUE(passes());
  auto rows = audits("household.property_correct", id);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].size(), 3u);
  context_.call(Method::Patch, item_path, {{"exempt", false}});
  EXPECT_FALSE(passes());
  context_.call(Method::Post, item_path + "/withdrawal", {{"reason", "已于2025年出售"}});
  EXPECT_TRUE(passes());
  EXPECT_EQ(context_.call(Method::Get, base + "/property-items?withdrawn=true").body["total"], 1);
  expectStatus([&] { context_.call(Method::Patch, item_path, {{"quantity", 2}}); }, 409);
}

// An item that fed a decided and paid case is still corrected: the case keeps the income it was
// granted on and the paid lines stand; the household is flagged for the re-review that applies
// the correction from the next month; a paid month is corrected by an adjustment.
TEST_F(SocialAssistanceTest, CorrectingIncomeBehindAPaidCaseFlagsItForReReview) {
  const auto case_id = approvedCase(3, "5400");
  long long household = 0;
  context_.db() << "SELECT household_id FROM sa_cases WHERE id = " << case_id,
      soci::into(household);
  asApprover();
  context_.setToday(day("2026-04-20"));
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-04"}});
  asApprover("county2");
  context_.call(Method::Post, "/payment-runs/2026-04/confirmation");
  asClerk();
  const std::string base = "/households/" + std::to_string(household);
  const std::int64_t item =
      context_.call(Method::Get, base + "/income-items").body["items"][0]["id"];
  context_.call(Method::Patch, base + "/income-items/" + std::to_string(item),
                {{"amount", "7200.00"}});
  EXPECT_EQ(amount(case_id, "2026-04"), "600.00");  // paid as decided
  EXPECT_EQ(amount(case_id, "2026-05"), "600.00");  // until the re-review
  EXPECT_EQ(count("SELECT COUNT(*) FROM sa_payment_lines WHERE amount_fen = 60000"), 1);
  auto rows = audits("household.income_correct", household);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].contains("review_flag"));
  auto due = context_.call(Method::Get, "/reviews/due");
  EXPECT_NE(due.body.dump().find("income item was corrected"), std::string::npos)
      << due.body.dump();
}

// Issue 17, item 2: the lists still missing.
TEST_F(SocialAssistanceTest, ARunsLinesAndOverdueApplicationsAreListed) {
  const auto case_id = approvedCase(3, "5400");
  const auto without_account = ruralHouseholdInGuanmiao();
  asApprover();
  context_.setToday(day("2026-04-20"));
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-04"}});
  auto lines = context_.call(Method::Get, "/payment-runs/2026-04/lines");
  ASSERT_EQ(lines.body["total"], 1);
  const auto& line = lines.body["items"][0];
  EXPECT_EQ(line["case_id"], case_id);
  EXPECT_EQ(line["amount"], "600.00");
  EXPECT_EQ(line["township"], "江北街道");
  EXPECT_EQ(line["has_bank_account"], true);
  EXPECT_EQ(line["payee"], "王建国");
  EXPECT_EQ(
      context_.call(Method::Get, "/payment-runs/2026-04/lines?bank_account=false").body["total"],
      0);
  EXPECT_EQ(context_.call(Method::Get, "/payment-runs/2026-04/lines?program=tekun").body["total"],
            0);
  expectStatus([&] { context_.call(Method::Get, "/payment-runs/2026-07/lines"); }, 404);
  context_.setCaller({"gm_clerk", "clerk", {"610902"}, {}, {"关庙镇"}});
  expectStatus([&] { context_.call(Method::Get, "/payment-runs/2026-04/lines"); }, 403);

  // An application received and accepted on 2026-04-20 whose investigation has not started is
  // overdue once its working-day limit passed.
  asClerk();
  const auto application = apply(without_account, 21);
  EXPECT_EQ(context_.call(Method::Get, "/applications?overdue=true").body["total"], 0);
  context_.setToday(day("2026-06-30"));
  auto overdue = context_.call(Method::Get, "/applications?overdue=true");
  ASSERT_EQ(overdue.body["total"], 1);
  EXPECT_EQ(overdue.body["items"][0]["id"], application);
  EXPECT_EQ(context_.call(Method::Get, "/applications?overdue=false").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/applications?overdue=true&program=tekun").body["total"],
            0);
  EXPECT_EQ(context_.call(Method::Get, "/applications?status=accepted").body["total"], 1);
}

// Issue 17, item 5.
TEST_F(SocialAssistanceTest, TheNoticeShowsItsPeriodProgramCountyAndTownship) {
  const auto household_id = household(2, "1200");
  const auto application = apply(household_id);
  context_.call(Method::Post, path(application, "/investigation/start"), json::object());
  investigate(application);
  asReviewer();
  context_.call(Method::Post, path(application, "/township-review"), {{"opinion", "recommend"}});
  asClerk();
  context_.call(Method::Post, path(application, "/notice"),
                {{"location", "东坝社区公示栏"}, {"from", "2026-03-03"}});
  auto notices = context_.call(Method::Get, "/notices?from=2026-03-05");
  EXPECT_EQ(notices.body["county"], "610902");
  ASSERT_EQ(notices.body["notices"].size(), 1u);
  EXPECT_EQ(notices.body["notices"][0]["program_name"], "最低生活保障");
  EXPECT_EQ(notices.body["notices"][0]["township"], "江北街道");
  auto html = context_.call(Method::Get, "/notices.html?from=2026-03-05").document;
  EXPECT_NE(html.find("最低生活保障"), std::string::npos);
  EXPECT_EQ(html.find(">dibao<"), std::string::npos);
  EXPECT_NE(html.find("<h2>江北街道</h2>"), std::string::npos);
  EXPECT_NE(html.find("610902"), std::string::npos);
  // The notice's own period, not the query's window (2026-03-05 .. 2026-03-05).
  EXPECT_NE(html.find("2026-03-03 至 2026-03-09"), std::string::npos) << html;
  EXPECT_EQ(html.find("2026-03-05"), std::string::npos);
  // A past notice shows what was posted: income recorded afterwards changes the household's
  // assessment, not the notice.
  const json posted = notices.body["notices"][0];
  EXPECT_EQ(posted["household_size"], 2);
  const std::string before = posted["proposed_monthly_amount"];
  addIncome(household_id, "3000", "2025-09-01", "2026-02-28");
  const auto reassessed = context_.call(
      Method::Get, "/households/" + std::to_string(household_id) + "/assessment?month=2026-04");
  EXPECT_EQ(before, "800.00");                           // 2 × 500 − 1200 / 6
  EXPECT_EQ(reassessed.body["dibao_amount"], "300.00");  // 2 × 500 − (1200 + 3000) / 6
  auto again = context_.call(Method::Get, "/notices?from=2026-03-05");
  EXPECT_EQ(again.body["notices"][0]["proposed_monthly_amount"], before);
  EXPECT_EQ(again.body["notices"][0]["household_size"], 2);
}

TEST_F(SocialAssistanceTest, TheFourEyesRefusalNamesTheStepTaken) {
  const auto application = apply(household(3, "5400"));
  throughNotice(application);
  context_.setToday(context_.clock().today().addDays(1));
  asApprover("clerk1");
  try {
    context_.call(Method::Post, path(application, "/decision"), {{"result", "approve"}});
    FAIL();
  } catch (const sdk::Forbidden& error) {
    const std::string message = error.what();
    EXPECT_EQ(message,
              "four-eyes rule: clerk1 submitted application ADB610902-2026-000001 and may not "
              "take its county decision; another user must");
  }
}

TEST_F(SocialAssistanceTest, AssessmentAndAmountDefaultToTheMonthBeingPaid) {
  const auto case_id = approvedCase(3, "5400");  // decided 2026-03-10, paid from April
  long long household = 0;
  context_.db() << "SELECT household_id FROM sa_cases WHERE id = " << case_id,
      soci::into(household);
  context_.setToday(day("2026-04-15"));
  auto assessed =
      context_.call(Method::Get, "/households/" + std::to_string(household) + "/assessment");
  auto amount_now = context_.call(Method::Get, "/cases/" + std::to_string(case_id) + "/amount");
  EXPECT_EQ(assessed.body["month"], "2026-04");
  EXPECT_EQ(amount_now.body["month"], "2026-04");
  EXPECT_EQ(amount_now.body["amount"], "600.00");
  // The assessment counts the six months before April (October to March: 5 × 900.00 / 6 =
  // 750.00 a month), while the case keeps the income it was decided on until a re-review.
  EXPECT_EQ(assessed.body["household_monthly_income"], "750.00");
}

// The routes the stories above do not reach, called once each: the fake Context checks every
// answer against its route's declaration (status, content type, body schema).
TEST_F(SocialAssistanceTest, TheRemainingRoutesAnswerAsTheyAreDeclared) {
  const auto household_id = household(2, "1200");
  const std::string base = "/households/" + std::to_string(household_id);
  auto property =
      context_.call(Method::Post, base + "/property-items",
                    {{"kind", "deposit"}, {"value", "3000.00"}, {"description", "活期存款"}});
  EXPECT_EQ(property.status, 201);
  EXPECT_EQ(property.body["household_id"], household_id);

  // The notice list (JSON and printable), an objection settled by a community review, and a
  // review discontinued.
  const auto application = apply(household_id);
  context_.call(Method::Post, path(application, "/investigation/start"), json::object());
  investigate(application);
  asReviewer();
  context_.call(Method::Post, path(application, "/township-review"), {{"opinion", "recommend"}});
  asClerk();
  context_.call(Method::Post, path(application, "/notice"), {{"location", "东坝社区公示栏"}});
  auto notices = context_.call(Method::Get, "/notices?from=2026-03-02&to=2026-03-31");
  ASSERT_EQ(notices.body["notices"].size(), 1u);
  EXPECT_EQ(notices.body["notices"][0]["applicant"], "王**");
  EXPECT_EQ(notices.body["notices"][0]["household_size"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/notices?village=x").body["notices"].size(), 0u);
  EXPECT_THROW(context_.call(Method::Get, "/notices?page=2"), sdk::ValidationError);
  auto html = context_.call(Method::Get, "/notices.html");
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.document.find("王**"), std::string::npos);
  context_.setToday(day("2026-03-03"));
  context_.call(Method::Post, path(application, "/objections"),
                {{"content", "邻居反映有出租收入"}, {"resolution", "community_review"}});
  asReviewer();
  auto reviewed = context_.call(Method::Post, path(application, "/community-review"),
                                {{"opinion", "recommend"}, {"participants", 7}});
  EXPECT_EQ(reviewed.body["status"], "township_reviewed");
  asClerk();
  auto stopped =
      context_.call(Method::Post, path(application, "/discontinue"), {{"reason", "拒不配合核查"}});
  EXPECT_EQ(stopped.body["status"], "discontinued");

  // Temporary assistance within the township's limit, approved by the township.
  auto temporary = context_.call(Method::Post, "/applications",
                                 {{"household_id", household_id},
                                  {"program", "temporary"},
                                  {"applicant_citizen_id", citizenId("19800101", 11)},
                                  {"temporary_kind", "emergency"},
                                  {"requested_amount", "500.00"}});
  asReviewer();
  auto granted = context_.call(Method::Post, path(temporary.body["id"], "/township-approval"));
  EXPECT_EQ(granted.body["status"], "approved");
  EXPECT_EQ(granted.body["case"]["amount"], "500.00");

  // A 低保 case suspended, resumed, claimed for and terminated; coverage by citizen ID.
  asClerk();
  const auto case_id = approvedCase(1, "600", 21);
  const std::string c = "/cases/" + std::to_string(case_id);
  asApprover();
  auto suspended = context_.call(Method::Post, c + "/suspend",
                                 {{"from_month", "2026-05"}, {"reason", "外出务工待核实"}});
  ASSERT_EQ(suspended.body["suspensions"].size(), 1u);
  EXPECT_EQ(suspended.body["suspensions"][0]["until_month"], "");
  auto resumed = context_.call(Method::Post, c + "/resume", {{"from_month", "2026-07"}});
  EXPECT_EQ(resumed.body["suspensions"][0]["until_month"], "2026-06");
  EXPECT_EQ(amount(case_id, "2026-06"), "0.00");
  auto covered = context_.call(
      Method::Get, "/persons/" + citizenId("19800101", 21) + "/coverage?date=2026-04-15");
  ASSERT_EQ(covered.body["covered"].size(), 1u);
  EXPECT_EQ(covered.body["covered"][0]["program"], "dibao");
  EXPECT_TRUE(covered.body["covered"][0]["until"].is_null());
  context_.setToday(day("2026-04-25"));
  asClerk();
  auto claim = context_.call(Method::Post, "/medical-claims",
                             {{"citizen_id", citizenId("19800101", 21)},
                              {"claim_date", "2026-04-20"},
                              {"hospital", "安康市中心医院"},
                              {"reference", "YB-2026-0001"},
                              {"eligible_expense", "1000.00"}});
  EXPECT_EQ(claim.status, 201);
  EXPECT_EQ(claim.body["category"], "dibao");
  EXPECT_EQ(claim.body["relief"], "700.00");
  asApprover();
  auto ended = context_.call(Method::Post, c + "/terminate",
                             {{"last_month", "2026-08"}, {"reason", "家庭收入超过低保标准"}});
  EXPECT_EQ(ended.body["status"], "terminated");
  EXPECT_EQ(ended.body["end_month"], "2026-08");
  EXPECT_EQ(ended.body["termination_reason"], "家庭收入超过低保标准");
}

TEST_F(SocialAssistanceTest, AHouseholdIsReadInTheSameStatementsWhateverItsNumberOfCases) {
  ASSERT_EQ(context_.db().get_backend_name(), "sqlite3");
  const auto one = household(2, "1200", 11);
  const auto five = household(2, "1200", 21);
  const auto none = household(2, nullptr, 31);
  auto& db = context_.db();
  // Cases written directly: a 低保 case with an income and a suspension each, and in the second
  // household four more, one of them 特困 with a support mode changed in February.
  const auto addCase = [&](std::int64_t household_id, int n, const char* program) {
    const long long h = household_id;
    const std::string number = "T-" + std::to_string(household_id) + "-" + std::to_string(n);
    const std::string kind = program;
    db << "INSERT INTO sa_cases (county_code, number, household_id, payee_person_id, program,"
          " status, start_month, decided_on, support_mode, self_care_level)"
          " SELECT '610902', :n, :h, MIN(person_id), :p, 'active', '2026-01', '2026-01-10',"
          " CASE WHEN :p2 = 'tekun' THEN 'dispersed' END, CASE WHEN :p3 = 'tekun' THEN "
          "'self_caring' END"
          " FROM sa_members WHERE household_id = :h2",
        soci::use(number), soci::use(h), soci::use(kind), soci::use(kind), soci::use(kind),
        soci::use(h);
    long long id = 0;
    db << "SELECT id FROM sa_cases WHERE number = :n", soci::into(id), soci::use(number);
    const long long income = 10000 + n;  // fen: 100.0n yuan
    db << "INSERT INTO sa_case_incomes (case_id, from_month, household_income_fen)"
          " VALUES (:c, '2026-01', :f)",
        soci::use(id), soci::use(income);
    db << "INSERT INTO sa_case_incomes (case_id, from_month, household_income_fen)"
          " VALUES (:c, '2025-12', 5000)",
        soci::use(id);
    db << "INSERT INTO sa_suspensions (case_id, from_month, until_month, reason)"
          " VALUES (:c, '2026-04', NULL, 'away')",
        soci::use(id);
    if (kind == "tekun")
      db << "INSERT INTO sa_support_modes (case_id, from_month, support_mode, reason,"
            " recorded_on, recorded_by) VALUES (:c, '2026-02', 'concentrated', 'moved',"
            " '2026-01-20', 'clerk1')",
          soci::use(id);
    return static_cast<std::int64_t>(id);
  };
  addCase(one, 1, "dibao");
  std::vector<std::int64_t> five_cases;
  for (int n = 1; n <= 5; ++n) five_cases.push_back(addCase(five, n, n == 3 ? "tekun" : "dibao"));

  const auto read = [&](std::int64_t id, int* statements) {
    civ::sdk::testing::StatementCounter counter(db);
    auto answer = context_.call(Method::Get, "/households/" + std::to_string(id));
    *statements = counter.count();
    return std::make_pair(answer.body, counter.listing());
  };
  int with_one = 0, with_five = 0;
  const auto [body_one, sql_one] = read(one, &with_one);
  const auto [body_five, sql_five] = read(five, &with_five);
  EXPECT_EQ(with_one, with_five) << "one case:\n" << sql_one << "five cases:\n" << sql_five;
  EXPECT_LE(with_five, 3) << sql_five;  // the household with its members, cases, their lists
  // A household without cases (most of those read) is its one row with its members: the row
  // counts its cases, so their statements are not run.
  int with_none = 0;
  const auto [body_none, sql_none] = read(none, &with_none);
  EXPECT_EQ(with_none, 1) << sql_none;
  EXPECT_EQ(body_none["members"].size(), 2u);
  EXPECT_EQ(body_none["cases"], json::array());

  ASSERT_EQ(body_one["cases"].size(), 1u);
  EXPECT_EQ(body_one["cases"][0]["incomes"],
            json::parse(R"([{"from_month":"2025-12","household_monthly_income":"50.00"},
                            {"from_month":"2026-01","household_monthly_income":"100.01"}])"));
  ASSERT_EQ(body_five["cases"].size(), 5u);
  EXPECT_EQ(body_five["members"].size(), 2u);
  for (std::size_t i = 0; i < five_cases.size(); ++i) {
    // Each case as the household shows it is the case as GET /cases/{id} shows it.
    const auto alone = context_.call(Method::Get, "/cases/" + std::to_string(five_cases[i]));
    EXPECT_EQ(body_five["cases"][i], alone.body) << "case " << i;
    EXPECT_EQ(body_five["cases"][i]["incomes"][1]["household_monthly_income"],
              "100.0" + std::to_string(i + 1));
    EXPECT_EQ(body_five["cases"][i]["suspensions"].size(), 1u);
  }
  // The 特困 case: the decision's mode, then February's, which applies in March.
  EXPECT_EQ(body_five["cases"][2]["support_mode"], "concentrated");
  EXPECT_EQ(body_five["cases"][2]["support_modes"].size(), 2u);
  EXPECT_FALSE(body_five["cases"][0].contains("support_modes"));

  // The county and township checks still come from that one read of the household.
  context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  expectStatus(
      [&] { context_.call(Method::Get, "/households/" + std::to_string(one), nullptr, "350502"); },
      404);
  expectStatus([&] { context_.call(Method::Get, "/households/999999"); }, 404);
  context_.setCaller({"gm_clerk", "clerk", {"610902"}, {}, {"关庙镇"}});
  expectStatus([&] { context_.call(Method::Get, "/households/" + std::to_string(one)); }, 403);

  // A case alone is one statement too, its scope checked on the same row.
  const std::string tekun_case = "/cases/" + std::to_string(five_cases[2]);
  context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  {
    civ::sdk::testing::StatementCounter counter(db);
    const auto alone = context_.call(Method::Get, tekun_case);
    EXPECT_EQ(counter.count(), 1) << counter.listing();
    EXPECT_EQ(alone.body["support_modes"].size(), 2u);
  }
  expectStatus([&] { context_.call(Method::Get, tekun_case, nullptr, "350502"); }, 404);
  expectStatus([&] { context_.call(Method::Get, "/cases/999999"); }, 404);
  context_.setCaller({"gm_clerk", "clerk", {"610902"}, {}, {"关庙镇"}});
  expectStatus([&] { context_.call(Method::Get, tekun_case); }, 403);
}

}  // namespace
}  // namespace civ::plugins::social_assistance
