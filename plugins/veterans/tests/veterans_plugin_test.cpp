// The veterans module on the fake Context: files and their refusals (each naming its field and
// rule, changing nothing), entitlements confirmed by a second person and paid from the month
// approved, payment runs through the SDK with the bank file, a suspension during imprisonment,
// a death (person.deceased) ending payments with funeral aid and recoveries, a new national
// table imported in mid-year paying the difference back, one-time payments, a holiday visit,
// indicators and township scope.
#include "../src/veterans_plugin.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::veterans {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;

class VeteransTest : public ::testing::Test {
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

  static json file(const std::string& citizen, const char* category,
                   const char* township = "江北街道") {
    json body = {{"citizen_id", citizen},          {"name", "优抚对象"},
                 {"category", category},           {"hukou", "rural"},
                 {"township", township},           {"village", "东坝村"},
                 {"address", "东坝村一组"},        {"bank_name", "汉滨农商银行"},
                 {"bank_account", "6230100010001"}};
    if (std::string(category) == "veteran" || std::string(category) == "disabled_serviceman") {
      body["enlisted_on"] = "1978-12-01";
      body["discharged_on"] = "1983-01-01";
      body["rank_type"] = "conscript";
    }
    return body;
  }
  static json disabled(const std::string& citizen, const char* nature, int grade) {
    json body = file(citizen, "disabled_serviceman");
    body["disability"] = {{"nature", nature},
                          {"grade", grade},
                          {"certificate_number", "CJ-0001"},
                          {"assessed_on", "2024-05-01"}};
    return body;
  }

  std::int64_t created(const std::string& path, const json& body) {
    return context_.call(Method::Post, path, body).body["id"];
  }

  std::int64_t fallen(const char* kind = "martyr", const char* died = "2025-03-10") {
    return created(
        "/fallen",
        {{"citizen_id", citizenId("19900101", 31)},
         {"name", "烈士"},
         {"death_kind", kind},
         {"died_on", died},
         {"rank_type", "officer"},
         {"monthly_pay", "5000.00"},
         {"unit_name", "某部"},
         {"certificate_number", "LS-2025-001"},
         {"township", "江北街道"},
         {"awards",
          {{{"level", "second_class_battle_or_first_class_merit"}, {"name", "一等功"}}}}});
  }

  /// A confirmed entitlement: proposed by the clerk, confirmed by approver1 on `approved_on`.
  std::int64_t confirmed(std::int64_t beneficiary, const char* type, const char* approved_on) {
    asClerk();
    const auto id = created("/entitlements", {{"beneficiary_id", beneficiary}, {"type", type}});
    asApprover();
    context_.call(Method::Post, "/entitlements/" + std::to_string(id) + "/confirmation",
                  {{"approved_on", approved_on}});
    asClerk();
    return id;
  }

  /// Prepares (approver1) and confirms (approver2) a month's run; its answer.
  json run(const char* month) {
    asApprover("approver1");
    context_.call(Method::Post, "/payment-runs", {{"month", month}});
    asApprover("approver2");
    auto confirmed =
        context_.call(Method::Post, std::string("/payment-runs/") + month + "/confirmation");
    asClerk();
    return context_.call(Method::Get, std::string("/payment-runs/") + month).body;
  }

  std::int64_t count(const std::string& table) {
    long long n = 0;
    context_.db() << "SELECT COUNT(*) FROM " + table, soci::into(n);
    return n;
  }
  std::vector<std::int64_t> snapshot() {
    std::vector<std::int64_t> counts;
    for (const char* table :
         {"vt_beneficiaries", "vt_fallen", "vt_entitlements", "vt_adjustments", "vt_suspensions",
          "vt_national_standards", "vt_standard_imports", "vt_visit_campaigns",
          "vt_visit_recipients", "vt_payment_runs", "vt_disability_assessments", "civ_audit"})
      counts.push_back(count(table));
    return counts;
  }

  /// "field:rule" of a refused call ("<status> detail" without field errors), after checking
  /// that nothing was written.
  std::string refusal(Method method, const std::string& path, const json& body = nullptr) {
    const auto before = snapshot();
    try {
      context_.call(method, path, body);
    } catch (const sdk::Error& error) {
      EXPECT_EQ(snapshot(), before) << "a refused request changed something";
      if (error.fieldErrors().empty()) return std::to_string(error.status()) + " " + error.detail();
      return error.fieldErrors().front().field + ":" + error.fieldErrors().front().rule;
    }
    return "accepted";
  }

  /// The lines of a run's roll: "kind program month amount".
  static std::vector<std::string> roll(const json& run) {
    std::vector<std::string> lines;
    for (const auto& line : run["roll"])
      lines.push_back(line["kind"].get<std::string>() + " " + line["program"].get<std::string>() +
                      " " + line["month"].get<std::string>() + " " +
                      line["amount"].get<std::string>());
    return lines;
  }

  void deathOf(std::int64_t beneficiary, const char* on) {
    long long person = 0;
    const long long key = beneficiary;
    context_.db() << "SELECT person_id FROM vt_beneficiaries WHERE id = :id", soci::into(person),
        soci::use(key);
    sdk::EventDeclaration deceased;
    deceased.name = "person.deceased";
    deceased.payload_schema = {{"type", "object"}, {"additionalProperties", true}};
    context_.publishAs("funeral", deceased, "610902",
                       {{"death_id", 1}, {"person_id", person}, {"death_date", on}});
    EXPECT_GE(context_.deliverEvents(), 1);
  }

  VeteransPlugin plugin_;
  FakeContext context_{"veterans", day("2026-03-02")};
};

TEST_F(VeteransTest, AFileIsARegistryPersonWithItsChecklist) {
  auto answer =
      context_.call(Method::Post, "/beneficiaries", disabled(citizenId("19600101", 11), "war", 2));
  ASSERT_EQ(answer.status, 201);
  const json& body = answer.body;
  EXPECT_EQ(body["number"], "YF610902-2026-000001");
  EXPECT_EQ(body["disability"]["grade"], 2);
  EXPECT_EQ(body["disability"]["effective_month"], "2024-05");
  EXPECT_EQ(body["service_years"], 4);
  EXPECT_FALSE(body["complete"]);
  EXPECT_EQ(body["missing_documents"].size(), 6u);
  const std::string path = "/beneficiaries/" + std::to_string(body["id"].get<std::int64_t>());
  // Corrected, audited with old and new values; the checklist follows.
  auto corrected =
      context_.call(Method::Patch, path,
                    {{"documents",
                      {"id_card", "hukou_register", "bank_account_proof", "discharge_certificate",
                       "disability_certificate", "disability_assessment"}}});
  EXPECT_TRUE(corrected.body["complete"]);
  std::string summary;
  context_.db() << "SELECT summary FROM civ_audit WHERE action = 'beneficiary.correct'",
      soci::into(summary);
  EXPECT_EQ(json::parse(summary)["documents"]["old"], json::array());
  EXPECT_EQ(refusal(Method::Patch, path, {{"township", "江北街道"}}), "township:unchanged");
  EXPECT_EQ(refusal(Method::Patch, path, json::object()), "(body):at-least-one");
  // Listed and searched.
  context_.call(Method::Post, "/beneficiaries", file(citizenId("19300101", 13), "veteran"));
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries?category=veteran").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries?complete=true").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries?citizen_id=610902196001").body["total"], 1);
  EXPECT_EQ(sorted(everyItem(context_, "/beneficiaries?limit=1", 2)).size(), 2u);
  EXPECT_EQ(refusal(Method::Get, "/beneficiaries/999"), "404 no beneficiary 999 in county 610902");
}

TEST_F(VeteransTest, EveryRefusalNamesItsFieldAndRule) {
  EXPECT_EQ(
      refusal(Method::Post, "/beneficiaries", disabled(citizenId("19600101", 11), "illness", 7)),
      "disability.grade:illness-grades-1-6");
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries",
                    file(citizenId("19600101", 11), "disabled_serviceman")),
            "disability:disability-category");
  EXPECT_EQ(
      refusal(Method::Post, "/beneficiaries", file(citizenId("19600101", 11), "martyr_survivor")),
      "fallen_id:survivor-of-fallen");
  auto no_discharge = file(citizenId("19600101", 11), "veteran");
  no_discharge.erase("discharged_on");
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries", no_discharge), "discharged_on:required");
  auto letters = file(citizenId("19600101", 11), "veteran");
  letters["bank_account"] = "62301X";
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries", letters), "bank_account:account-digits");
  auto group = file(citizenId("19600101", 11), "family");
  group["subsidy_group"] = "war_participant";
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries", group), "subsidy_group:subsidy-group");
  auto future = file(citizenId("19600101", 11), "veteran");
  future["discharged_on"] = "2026-03-03";
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries", future), "discharged_on:not-in-future");
  const auto id = created("/beneficiaries", disabled(citizenId("19600101", 11), "war", 6));
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries", disabled(citizenId("19600101", 11), "war", 6)),
            "citizen_id:one-file");
  EXPECT_EQ(
      refusal(Method::Post, "/entitlements", {{"beneficiary_id", id}, {"type", "care_allowance"}}),
      "type:care-allowance-band");
  EXPECT_EQ(refusal(Method::Post, "/entitlements",
                    {{"beneficiary_id", id}, {"type", "survivor_pension"}}),
            "type:survivor-of-fallen");
  EXPECT_EQ(refusal(Method::Post, "/entitlements",
                    {{"beneficiary_id", 999}, {"type", "disability_pension"}}),
            "beneficiary_id:known-beneficiary");
  const auto pension =
      created("/entitlements", {{"beneficiary_id", id}, {"type", "disability_pension"}});
  EXPECT_EQ(refusal(Method::Post, "/entitlements",
                    {{"beneficiary_id", id}, {"type", "disability_pension"}}),
            "type:one-open");
  // §29: a reassessment one year after the last at the earliest.
  asApprover();
  EXPECT_EQ(
      refusal(Method::Post, "/beneficiaries/" + std::to_string(id) + "/disability-assessments",
              {{"disability",
                {{"nature", "war"},
                 {"grade", 5},
                 {"certificate_number", "CJ-0001"},
                 {"assessed_on", "2025-04-30"}}}}),
      "disability.assessed_on:one-year-after-last");
  // The four-eyes rule: the proposer does not confirm.
  context_.setCaller({"clerk1", "approver", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, "/entitlements/" + std::to_string(pension) + "/confirmation",
                    json::object()),
            "403 four-eyes rule: clerk1 submitted entitlement DY610902-2026-000001 and may not "
            "also decide it; another user with the approver role must");
}

TEST_F(VeteransTest, AConfirmedPensionIsPaidFromTheMonthApprovedThroughTheRuns) {
  const auto id = created("/beneficiaries", disabled(citizenId("19600101", 11), "war", 2));
  const auto pension = confirmed(id, "disability_pension", "2026-02-10");
  const auto shown = context_.call(Method::Get, "/entitlements/" + std::to_string(pension)).body;
  EXPECT_EQ(shown["status"], "active");
  EXPECT_EQ(shown["start_month"], "2026-02");
  // war_2 of the bundled 2025-08-01 table: 69,890.00 a year → 5,824.17 a month.
  EXPECT_EQ(shown["monthly_amount"], "5824.17");
  auto amount =
      context_
          .call(Method::Get, "/entitlements/" + std::to_string(pension) + "/amount?month=2026-12")
          .body;
  EXPECT_EQ(amount["amount"], "5824.13");  // the December remainder
  EXPECT_EQ(amount["annual_standard"], "69890.00");
  // No run before the first month paid.
  asApprover();
  EXPECT_EQ(refusal(Method::Post, "/payment-runs", {{"month", "2026-01"}}),
            "month:after-first-case");
  const auto february = run("2026-02");
  EXPECT_EQ(february["status"], "confirmed");
  EXPECT_EQ(roll(february), std::vector<std::string>{"regular disability_pension 2026-02 5824.17"});
  EXPECT_EQ(february["roll"][0]["entitlement_number"], "DY610902-2026-000001");
  // Preparing the same month again changes nothing; the preparer does not confirm.
  asApprover("approver1");
  EXPECT_EQ(context_.call(Method::Post, "/payment-runs", {{"month", "2026-02"}}).status, 200);
  context_.call(Method::Post, "/payment-runs", {{"month", "2026-03"}});
  EXPECT_EQ(refusal(Method::Post, "/payment-runs/2026-03/confirmation").substr(0, 3), "403");
  asApprover("approver2");
  auto csv = context_.call(Method::Get, "/payment-runs/2026-02/roll.csv");
  EXPECT_NE(csv.document.find("6230100010001"), std::string::npos);
  EXPECT_NE(csv.document.find("残疾抚恤金"), std::string::npos);
  EXPECT_NE(csv.document.find("5824.17"), std::string::npos);
}

TEST_F(VeteransTest, ASuspensionDuringImprisonmentPaysNothingAndRecoversWhatWasPaid) {
  const auto fallen_id = fallen();
  auto body = file(citizenId("19700101", 12), "martyr_survivor");
  body["fallen_id"] = fallen_id;
  body["relationship"] = "spouse";
  const auto id = created("/beneficiaries", body);
  const auto pension = confirmed(id, "survivor_pension", "2026-01-10");
  const std::string path = "/entitlements/" + std::to_string(pension);
  // 24,330.00 a year (the bundled 2025 table) = 2,027.50 a month.
  EXPECT_EQ(roll(run("2026-01")),
            std::vector<std::string>{"regular survivor_pension 2026-01 2027.50"});
  run("2026-02");
  // Sentenced: suspended from February, a month already paid, which is recovered.
  asApprover();
  auto suspended = context_.call(Method::Post, path + "/suspensions",
                                 {{"from_month", "2026-02"}, {"reason", "imprisonment"}});
  EXPECT_EQ(suspended.status, 201);
  EXPECT_TRUE(suspended.body["suspended"]);
  ASSERT_EQ(suspended.body["adjustments"].size(), 1u);
  EXPECT_EQ(suspended.body["adjustments"][0]["amount"], "-2027.50");
  EXPECT_EQ(refusal(Method::Post, path + "/suspensions",
                    {{"from_month", "2026-03"}, {"reason", "imprisonment"}}),
            "from_month:one-open-suspension");
  EXPECT_EQ(roll(run("2026-03")),
            std::vector<std::string>{"adjustment survivor_pension 2026-02 -2027.50"});
  // Released: paid again from May; April stays unpaid.
  asApprover();
  EXPECT_EQ(refusal(Method::Post, path + "/resumption", {{"from_month", "2026-02"}}),
            "from_month:after-suspension");
  context_.call(Method::Post, path + "/resumption", {{"from_month", "2026-05"}});
  context_.setToday(day("2026-05-02"));
  EXPECT_TRUE(roll(run("2026-04")).empty());
  EXPECT_EQ(roll(run("2026-05")),
            std::vector<std::string>{"regular survivor_pension 2026-05 2027.50"});
  EXPECT_EQ(context_.call(Method::Get, path + "/amount?month=2026-04").body["suspended"], true);

  // The judgment shows the sentence began in March: the suspension is corrected, February (paid,
  // then recovered) is owed again, and the correction is audited with old and new values.
  asApprover();
  const auto suspension_id =
      context_.call(Method::Get, path).body["suspensions"][0]["id"].get<std::int64_t>();
  const std::string suspension = path + "/suspensions/" + std::to_string(suspension_id);
  EXPECT_EQ(refusal(Method::Patch, suspension, {{"to_month", "2026-01"}}), "to_month:after-from");
  EXPECT_EQ(refusal(Method::Patch, suspension, {{"from_month", "2025-12"}}),
            "from_month:after-start");
  auto corrected = context_.call(Method::Patch, suspension, {{"from_month", "2026-03"}});
  ASSERT_EQ(corrected.status, 200) << corrected.body.dump();
  EXPECT_EQ(corrected.body["suspensions"][0]["from_month"], "2026-03");
  EXPECT_EQ(corrected.body["suspensions"][0]["to_month"], "2026-04");
  EXPECT_EQ(context_.call(Method::Get, path + "/amount?month=2026-02").body["pays"], true);
  context_.setToday(day("2026-06-02"));
  EXPECT_EQ(roll(run("2026-06")),
            (std::vector<std::string>{"regular survivor_pension 2026-06 2027.50",
                                      "adjustment survivor_pension 2026-02 2027.50"}));
}

TEST_F(VeteransTest, ADeathEndsPaymentsRecoversMonthsPaidAfterItAndOwesFuneralAid) {
  const auto fallen_id = fallen();
  auto body = file(citizenId("19500101", 12), "martyr_survivor");
  body["fallen_id"] = fallen_id;
  body["relationship"] = "parent";
  const auto survivor = created("/beneficiaries", body);
  const auto pension = confirmed(survivor, "survivor_pension", "2026-01-10");
  const auto veteran = created("/beneficiaries", disabled(citizenId("19520101", 11), "illness", 2));
  const auto disability = confirmed(veteran, "disability_pension", "2026-01-10");
  run("2026-01");
  run("2026-02");
  run("2026-03");
  // Both died in February; the death is registered in March.
  deathOf(survivor, "2026-02-15");
  deathOf(veteran, "2026-02-20");
  const auto ended = context_.call(Method::Get, "/entitlements/" + std::to_string(pension)).body;
  EXPECT_EQ(ended["status"], "ended");
  EXPECT_EQ(ended["end_month"], "2026-02");
  EXPECT_EQ(ended["end_reason"], "death");
  context_.setToday(day("2026-04-01"));
  // April: March recovered from both; funeral aid of 6 months (6 × 2,027.50) and of 12 months
  // of illness_2 (63,140.00 in the 2025 table).
  const auto april = roll(run("2026-04"));
  EXPECT_EQ(april, (std::vector<std::string>{"adjustment survivor_pension 2026-03 -2027.50",
                                             "funeral_aid survivor_pension 2026-02 12165.00",
                                             "adjustment disability_pension 2026-03 -5261.67",
                                             "funeral_aid disability_pension 2026-02 63140.00"}));
  // The handler's changes are audited in the file's county.
  long long audited = 0;
  context_.db() << "SELECT COUNT(*) FROM civ_audit WHERE action IN ('beneficiary.death',"
                   " 'entitlement.end', 'adjustment.create') AND county_code = '610902'",
      soci::into(audited);
  EXPECT_EQ(audited, 8);
  // Delivered again, nothing changes twice.
  const auto before = snapshot();
  context_.deliverEvents();
  EXPECT_EQ(snapshot(), before);
  (void)disability;
}

TEST_F(VeteransTest, ANewTableImportedInMidYearPaysTheDifferenceBack) {
  const auto fallen_id = fallen();
  auto body = file(citizenId("19700101", 12), "martyr_survivor");
  body["fallen_id"] = fallen_id;
  body["relationship"] = "spouse";
  const auto id = created("/beneficiaries", body);
  context_.setToday(day("2026-07-05"));
  const auto pension = confirmed(id, "survivor_pension", "2026-07-05");
  run("2026-07");
  context_.setToday(day("2026-08-03"));
  run("2026-08");
  context_.setToday(day("2026-09-10"));
  run("2026-09");
  // The year's notice arrives in September, effective 1 August: 25,530.00 for a martyr's
  // survivor (2,127.50 a month, 100.00 more).
  asApprover();
  const json bad = {{"format", "json"},
                    {"source", "退役军人部 财政部 2026 通知"},
                    {"rows",
                     {{{"item", "survivor_pension"},
                       {"key", "martyr"},
                       {"amount", "25530.00"},
                       {"effective_from", "2026-08-01"}},
                      {{"item", "disability_pension"},
                       {"key", "illness_9"},
                       {"amount", "9000.00"},
                       {"effective_from", "2026-08-01"}}}}};
  EXPECT_EQ(refusal(Method::Post, "/national-standards/imports", bad), "rows[1].key:standard-key");
  json good = bad;
  good["rows"].erase(1);
  EXPECT_EQ(context_.call(Method::Post, "/national-standards/imports", good).status, 201);
  // The martyr's survivors' standard as of a date, in this county and in the other one.
  const auto martyr = [&](const char* as_of, const char* county) {
    const auto items =
        context_
            .call(Method::Get,
                  std::string("/national-standards?item=survivor_pension&as_of=") + as_of, nullptr,
                  county)
            .body["items"];
    for (const auto& item : items)
      if (item["key"] == "martyr") return item;
    return json();
  };
  EXPECT_EQ(martyr("2026-08-01", "610902")["amount"], "25530.00");
  EXPECT_EQ(martyr("2026-08-01", "610902")["source"], "county");
  EXPECT_EQ(martyr("2026-07-31", "610902")["amount"], "24330.00");
  EXPECT_EQ(martyr("2026-08-01", "350502")["amount"], "24330.00");  // the bundled table
  context_.setToday(day("2026-10-02"));
  EXPECT_EQ(roll(run("2026-10")),
            (std::vector<std::string>{"regular survivor_pension 2026-10 2127.50",
                                      "adjustment survivor_pension 2026-08 100.00",
                                      "adjustment survivor_pension 2026-09 100.00"}));
  EXPECT_EQ(
      context_
          .call(Method::Get, "/entitlements/" + std::to_string(pension) + "/amount?month=2026-07")
          .body["amount"],
      "2027.50");
  EXPECT_EQ(context_.call(Method::Get, "/national-standards/imports").body["total"], 2);
}

TEST_F(VeteransTest, OneTimePaymentsArePreparedConfirmedByAnotherAndPaidOnce) {
  const auto fallen_id = fallen("martyr", "2025-03-10");
  auto body = file(citizenId("19700101", 12), "martyr_survivor");
  body["fallen_id"] = fallen_id;
  body["relationship"] = "spouse";
  const auto survivor = created("/beneficiaries", body);
  const auto other = created("/beneficiaries", file(citizenId("19600101", 11), "veteran"));
  EXPECT_EQ(
      refusal(Method::Post, "/one-time-payments",
              {{"type", "martyr_honour"}, {"fallen_id", fallen_id}, {"beneficiary_id", other}}),
      "beneficiary_id:survivor-of-fallen");
  auto honour = context_.call(
      Method::Post, "/one-time-payments",
      {{"type", "martyr_honour"}, {"fallen_id", fallen_id}, {"beneficiary_id", survivor}});
  EXPECT_EQ(honour.body["amount"], "1625640.00");  // 30 × 54,188 (2024)
  auto lump = context_.call(
      Method::Post, "/one-time-payments",
      {{"type", "death_lump_sum"}, {"fallen_id", fallen_id}, {"beneficiary_id", survivor}});
  // 20 × 54,188 + 40 × 5,000.00 = 1,283,760.00, + 25 % (一等功) = 1,604,700.00.
  EXPECT_EQ(lump.body["amount"], "1604700.00");
  EXPECT_EQ(lump.body["computation"]["supplement"], "320940.00");
  EXPECT_EQ(
      refusal(Method::Post, "/one-time-payments",
              {{"type", "martyr_honour"}, {"fallen_id", fallen_id}, {"beneficiary_id", survivor}}),
      "type:one-per-fallen");
  const std::string path = "/one-time-payments/" + std::to_string(honour.body["id"].get<int>());
  context_.setCaller({"clerk1", "approver", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, path + "/confirmation").substr(0, 3), "403");
  asApprover();
  EXPECT_EQ(context_.call(Method::Post, path + "/confirmation").body["status"], "active");
  // Paid by the next run, once.
  EXPECT_EQ(roll(run("2026-03")),
            std::vector<std::string>{"one_time martyr_honour 2026-03 1625640.00"});
  context_.setToday(day("2026-04-01"));
  asApprover();
  EXPECT_EQ(refusal(Method::Post, path + "/cancellation", {{"reason", "错"}}).substr(0, 3), "409");
  EXPECT_EQ(context_.call(Method::Get, path).body["paid_in_run"], 1);
}

TEST_F(VeteransTest, AHolidayVisitIsDerivedEditedConfirmedByAnotherAndPaid) {
  for (int i = 0; i < 3; ++i) {
    auto body = file(citizenId("19300101", 11 + 2 * i), "veteran");
    body["enlisted_on"] = "1950-03-01";
    body["discharged_on"] = "1955-03-01";
    body["subsidy_group"] = "enlisted_before_1954";
    created("/beneficiaries", body);
  }
  created("/beneficiaries", file(citizenId("19600101", 17), "veteran"));
  auto campaign =
      context_.call(Method::Post, "/visit-campaigns",
                    {{"name", "2026年春节走访慰问"},
                     {"season", "spring_festival"},
                     {"visit_date", "2026-03-20"},
                     {"groups", {{{"group", "enlisted_before_1954"}, {"amount", "180.00"}}}}});
  ASSERT_EQ(campaign.status, 201);
  EXPECT_EQ(campaign.body["recipients"], 3);
  EXPECT_EQ(campaign.body["total"], "540.00");
  const std::string path = "/visit-campaigns/" + std::to_string(campaign.body["id"].get<int>());
  auto recipients = context_.call(Method::Get, path + "/recipients").body;
  asClerk("clerk2");
  context_.call(Method::Patch,
                "/visit-recipients/" + std::to_string(recipients["items"][0]["id"].get<int>()),
                {{"amount", "200.00"}, {"note", "高龄"}});
  context_.setCaller({"clerk2", "approver", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, path + "/confirmation").substr(0, 3), "403");
  asApprover();
  auto confirmed = context_.call(Method::Post, path + "/confirmation").body;
  EXPECT_EQ(confirmed["status"], "confirmed");
  EXPECT_EQ(confirmed["total"], "560.00");
  asClerk();
  EXPECT_EQ(refusal(Method::Patch,
                    "/visit-recipients/" + std::to_string(recipients["items"][1]["id"].get<int>()),
                    {{"included", false}})
                .substr(0, 3),
            "409");
  // Paid through the run of its month.
  const auto march = run("2026-03");
  EXPECT_EQ(roll(march),
            (std::vector<std::string>{"visit visit 2026-03 200.00", "visit visit 2026-03 180.00",
                                      "visit visit 2026-03 180.00"}));
  const auto day_ = day("2026-03-31");
  EXPECT_EQ(context_.indicator("paid_visit", "610902", day("2026-03-01"), day_), 56000);
  EXPECT_EQ(context_.indicator("beneficiaries_veteran", "610902", day("2026-03-01"), day_), 4);
  EXPECT_EQ(context_.indicator("beneficiaries", "610902", day("2026-03-01"), day_), 4);
}

TEST_F(VeteransTest, ATownshipClerkSeesAndActsOnlyInItsTownships) {
  const auto jiangbei = created("/beneficiaries", file(citizenId("19600101", 11), "veteran"));
  created("/beneficiaries", file(citizenId("19600101", 13), "veteran", "关庙镇"));
  context_.setCaller({"town", "clerk", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries").body["total"], 1);
  EXPECT_EQ(refusal(Method::Get, "/beneficiaries/" + std::to_string(jiangbei)).substr(0, 3), "403");
  EXPECT_EQ(refusal(Method::Post, "/beneficiaries", file(citizenId("19600101", 15), "veteran"))
                .substr(0, 3),
            "403");
  context_.setCaller({"town", "approver", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(refusal(Method::Post, "/payment-runs", {{"month", "2026-03"}}).substr(0, 3), "403");
  const auto by_township = indicatorByTownship(context_, "beneficiaries", "610902",
                                               day("2026-03-01"), day("2026-03-31"));
  EXPECT_EQ(by_township, (std::map<std::string, std::int64_t>{{"关庙镇", 1}}));
}

TEST_F(VeteransTest, DisabledServicemenWhosePensionFileIsLateAreListed) {
  auto body = disabled(citizenId("19980101", 11), "war", 8);
  body["enlisted_on"] = "2018-09-01";
  body["discharged_on"] = "2025-12-15";
  body["disability"]["assessed_on"] = "2025-11-01";
  const auto id = created("/beneficiaries", body);
  // A serviceman discharged in 1985 whose file the county enters now moved his pension
  // relations on paper decades ago: not an overdue transfer.
  auto old_soldier = disabled(citizenId("19600101", 17), "war", 6);
  old_soldier["enlisted_on"] = "1979-12-01";
  old_soldier["discharged_on"] = "1985-06-30";
  old_soldier["disability"]["assessed_on"] = "1985-03-01";
  created("/beneficiaries", old_soldier);
  // 60 days after 2025-12-15 is 2026-02-13: overdue on 2026-03-02.
  auto overdue = context_.call(Method::Get, "/beneficiaries/overdue-transfers").body;
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["transfer_due"], "2026-02-13");
  EXPECT_EQ(overdue["items"][0]["days_overdue"], 17);
  EXPECT_EQ(context_.indicator("overdue_transfers", "610902", day("2026-03-01"), day("2026-03-31")),
            1);
  context_.call(Method::Patch, "/beneficiaries/" + std::to_string(id),
                {{"transfer_received_on", "2026-03-02"}});
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries/overdue-transfers").body["total"], 0);
  // §30: received in 2026, the county pays the disability pension from January 2027.
  const auto pension = confirmed(id, "disability_pension", "2026-03-02");
  EXPECT_EQ(
      context_.call(Method::Get, "/entitlements/" + std::to_string(pension)).body["start_month"],
      "2027-01");
}

TEST_F(VeteransTest, FraudCancelsAndRecoversEveryMonthPaid) {
  const auto id = created("/beneficiaries", disabled(citizenId("19600101", 11), "duty", 4));
  const auto pension = confirmed(id, "disability_pension", "2026-01-05");
  const auto care = confirmed(id, "care_allowance", "2026-01-05");
  context_.setPolicyValue("care.average_monthly_wage", "6000.00", day("2025-07-01"));
  run("2026-01");
  run("2026-02");
  asApprover();
  const std::string path = "/entitlements/" + std::to_string(pension);
  EXPECT_EQ(refusal(Method::Post, path + "/cancellation",
                    {{"reason", "expulsion"},
                     {"from_month", "2026-03"},
                     {"recover_from_month", "2026-01"},
                     {"note", "开除军籍"}}),
            "recover_from_month:fraud-only");
  auto cancelled =
      context_.call(Method::Post, path + "/cancellation",
                    {{"reason", "fraud"}, {"from_month", "2026-03"}, {"note", "伪造评残材料"}});
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  EXPECT_EQ(cancelled.body["end_month"], "2025-12");
  // duty_4 (2025 table 44,940.00 a year = 3,745.00 a month) recovered for January and February;
  // the care allowance (40 % of 6,000.00 = 2,400.00 a month) goes on.
  EXPECT_EQ(roll(run("2026-03")),
            (std::vector<std::string>{"regular care_allowance 2026-03 2400.00",
                                      "adjustment disability_pension 2026-01 -3745.00",
                                      "adjustment disability_pension 2026-02 -3745.00"}));
  EXPECT_EQ(context_.call(Method::Get, "/adjustments?kind=adjustment").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/adjustments?paid=false").body["total"], 0);
  (void)care;
}

TEST_F(VeteransTest, EveryListAndCorrectionAnswersItsDeclaration) {
  const auto fallen_id = fallen("duty", "2025-06-01");
  auto body = file(citizenId("19700101", 12), "duty_death_survivor");
  body["fallen_id"] = fallen_id;
  body["relationship"] = "spouse";
  body["agent"] = {
      {"citizen_id", citizenId("19950101", 21)}, {"name", "代领人"}, {"relationship", "子"}};
  const auto survivor = created("/beneficiaries", body);
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries/" + std::to_string(survivor))
                .body["agent"]["name"],
            "代领人");
  EXPECT_EQ(context_.call(Method::Get, "/fallen").body["total"], 1);
  EXPECT_EQ(
      context_.call(Method::Get, "/fallen/" + std::to_string(fallen_id)).body["survivors"].size(),
      1u);
  // A corrected death kind corrects the survivors' category too, audited on their file.
  auto corrected = context_.call(Method::Patch, "/fallen/" + std::to_string(fallen_id),
                                 {{"death_kind", "martyr"}, {"monthly_pay", "5200.00"}});
  EXPECT_EQ(corrected.body["monthly_pay"], "5200.00");
  EXPECT_EQ(
      context_.call(Method::Get, "/beneficiaries/" + std::to_string(survivor)).body["category"],
      "martyr_survivor");
  const auto pension = confirmed(survivor, "survivor_pension", "2026-03-01");
  asApprover();
  auto entitlement = context_.call(Method::Patch, "/entitlements/" + std::to_string(pension),
                                   {{"note", "更正备注"}});
  EXPECT_EQ(entitlement.body["note"], "更正备注");
  asClerk();
  EXPECT_EQ(context_.call(Method::Get, "/entitlements?type=survivor_pension").body["total"], 1);
  auto lump = context_.call(
      Method::Post, "/one-time-payments",
      {{"type", "death_lump_sum"}, {"fallen_id", fallen_id}, {"beneficiary_id", survivor}});
  EXPECT_EQ(context_.call(Method::Get, "/one-time-payments").body["total"], 1);
  asApprover();
  const std::string lump_path = "/one-time-payments/" + std::to_string(lump.body["id"].get<int>());
  EXPECT_EQ(
      context_.call(Method::Post, lump_path + "/cancellation", {{"reason", "重算"}}).body["status"],
      "cancelled");
  asClerk();
  EXPECT_EQ(refusal(Method::Post, "/visit-campaigns",
                    {{"name", "八一慰问"},
                     {"season", "army_day"},
                     {"visit_date", "2026-07-30"},
                     {"groups",
                      {{{"group", "martyr_survivor"}, {"amount", "500.00"}},
                       {{"group", "martyr_survivor"}, {"amount", "1.00"}}}}}),
            "groups[1].group:unique-group");
  const auto campaign = created(
      "/visit-campaigns", {{"name", "八一慰问"},
                           {"season", "army_day"},
                           {"visit_date", "2026-07-30"},
                           {"groups", {{{"group", "martyr_survivor"}, {"amount", "500.00"}}}}});
  const std::string campaign_path = "/visit-campaigns/" + std::to_string(campaign);
  EXPECT_EQ(context_.call(Method::Patch, campaign_path, {{"name", "2026年八一慰问"}}).body["name"],
            "2026年八一慰问");
  const auto veteran = created("/beneficiaries", file(citizenId("19600101", 11), "veteran"));
  EXPECT_EQ(refusal(Method::Post, campaign_path + "/recipients",
                    {{"beneficiary_id", veteran}, {"group", "veteran"}}),
            "amount:required");
  EXPECT_EQ(context_
                .call(Method::Post, campaign_path + "/recipients",
                      {{"beneficiary_id", veteran}, {"group", "veteran"}, {"amount", "300.00"}})
                .status,
            201);
  EXPECT_EQ(context_.call(Method::Get, campaign_path + "/recipients?included=true").body["total"],
            2);
  EXPECT_EQ(context_.call(Method::Get, "/visit-campaigns?season=army_day").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, campaign_path).body["total"], "800.00");
  EXPECT_EQ(context_.call(Method::Get, "/national-standards/imports").body["items"][0]["bundled"],
            true);
  EXPECT_EQ(context_.call(Method::Get, "/adjustments").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/national-standards/imports/1").body["standards"].size(),
            75u);
  const auto listed = context_.call(Method::Get, campaign_path + "/recipients").body;
  EXPECT_EQ(context_
                .call(Method::Get,
                      "/visit-recipients/" + std::to_string(listed["items"][0]["id"].get<int>()))
                .body["amount"],
            "500.00");
  EXPECT_EQ(refusal(Method::Get, "/adjustments/99").substr(0, 3), "404");
  asApprover();
  EXPECT_EQ(context_.call(Method::Get, "/payment-runs").body["total"], 0);
}

TEST_F(VeteransTest, ImportsFromFilesGoThroughTheSdkReader) {
  asApprover();
  auto csv = context_.call(Method::Post, "/national-standards/imports",
                           {{"format", "csv"},
                            {"source", "2026年标准"},
                            {"content",
                             "项目,键,金额,生效日期\n"
                             "survivor_pension,martyr,25530.00,2026-08-01\n"}});
  EXPECT_EQ(csv.status, 201);
  EXPECT_EQ(csv.body["rows"], 1);
  // A Windows CSV as uploaded (byte-order mark, CRLF), base64: "\xEF\xBB\xBFitem,key,amount,
  // effective_from\r\nsurvivor_pension,duty,21060.00,2026-08-01\r\n".
  auto windows = context_.call(
      Method::Post, "/national-standards/imports",
      {{"format", "csv"},
       {"encoding", "base64"},
       {"source", "2026年标准"},
       {"content",
        "77u/aXRlbSxrZXksYW1vdW50LGVmZmVjdGl2ZV9mcm9tDQpzdXJ2aXZvcl9wZW5zaW9uLGR1dHksMjEwNjAu"
        "MDAsMjAyNi0wOC0wMQ0K"}});
  EXPECT_EQ(windows.body["rows"], 1);
  EXPECT_EQ(refusal(Method::Post, "/national-standards/imports",
                    {{"format", "xlsx"}, {"source", "x"}, {"content", "bm90IGEgemlw"}}),
            "file:xlsx-not-zip");
  EXPECT_EQ(refusal(Method::Post, "/national-standards/imports",
                    {{"format", "xlsx"}, {"source", "x"}, {"content", "***"}}),
            "content:base64");
  EXPECT_EQ(
      refusal(Method::Post, "/national-standards/imports", {{"format", "json"}, {"source", "x"}}),
      "rows:required");
  context_.setCaller({"town", "approver", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(refusal(Method::Post, "/national-standards/imports",
                    {{"format", "json"}, {"source", "x"}, {"rows", json::array()}})
                .substr(0, 3),
            "403");
}

TEST_F(VeteransTest, ACorrectedDeathMovesTheEndAndADeathOfTheWrongPersonIsUndone) {
  const auto fallen_id = fallen();
  auto body = file(citizenId("19500101", 12), "martyr_survivor");
  body["fallen_id"] = fallen_id;
  body["relationship"] = "parent";
  const auto survivor = created("/beneficiaries", body);
  const auto pension = confirmed(survivor, "survivor_pension", "2026-01-10");
  run("2026-01");
  run("2026-02");
  run("2026-03");
  deathOf(survivor, "2026-01-20");
  long long person = 0;
  const long long key = survivor;
  context_.db() << "SELECT person_id FROM vt_beneficiaries WHERE id = :id", soci::into(person),
      soci::use(key);
  const auto correct = [&](const json& date, const char* previous, const char* kind) {
    sdk::EventDeclaration declaration;
    declaration.name = "person.death_corrected";
    declaration.payload_schema = {{"type", "object"}, {"additionalProperties", true}};
    context_.publishAs("funeral", declaration, "610902",
                       {{"death_id", 1},
                        {"person_id", person},
                        {"death_date", date},
                        {"previous_death_date", previous},
                        {"kind", kind}});
    EXPECT_GE(context_.deliverEvents(), 1);
    std::string failure;
    context_.db() << "SELECT COALESCE(MAX(last_error), '') FROM civ_delivery_failures",
        soci::into(failure);
    EXPECT_EQ(failure, "");
  };
  // The death was in February, not January: February is owed again.
  correct("2026-02-20", "2026-01-20", "wrong_date");
  const std::string path = "/entitlements/" + std::to_string(pension);
  EXPECT_EQ(context_.call(Method::Get, path).body["end_month"], "2026-02");
  context_.setToday(day("2026-04-01"));
  EXPECT_EQ(roll(run("2026-04")),
            (std::vector<std::string>{"adjustment survivor_pension 2026-03 -2027.50",
                                      "funeral_aid survivor_pension 2026-02 12165.00"}));
  // It was another person: paid again from the months recovered, the funeral aid recovered.
  correct(nullptr, "2026-02-20", "wrong_person");
  EXPECT_EQ(context_.call(Method::Get, path).body["status"], "active");
  EXPECT_EQ(context_.call(Method::Get, "/beneficiaries/" + std::to_string(survivor)).body["status"],
            "active");
  context_.setToday(day("2026-05-01"));
  EXPECT_EQ(roll(run("2026-05")),
            (std::vector<std::string>{"regular survivor_pension 2026-05 2027.50",
                                      "adjustment survivor_pension 2026-03 2027.50",
                                      "adjustment survivor_pension 2026-04 2027.50",
                                      "funeral_aid survivor_pension 2026-02 -12165.00"}));
}

TEST_F(VeteransTest, AReassessmentAWithdrawalAndACorrectedApprovalDate) {
  context_.setPolicyValue("care.average_monthly_wage", "6000.00", day("2025-07-01"));
  const auto id = created("/beneficiaries", disabled(citizenId("19600101", 11), "war", 3));
  const auto pension = confirmed(id, "disability_pension", "2026-02-01");
  const auto care = confirmed(id, "care_allowance", "2026-02-01");
  run("2026-02");
  // The approval was in January: January is paid back (the run of January exists by then).
  asApprover();
  context_.setToday(day("2026-03-02"));
  auto corrected = context_.call(Method::Patch, "/entitlements/" + std::to_string(pension),
                                 {{"approved_on", "2026-01-15"}});
  EXPECT_EQ(corrected.body["start_month"], "2026-01");
  EXPECT_TRUE(corrected.body["adjustments"].empty()) << "no run of January yet";
  // Grade 3 → 2 from March: 因战 2级 69,890.00 a year; the care allowance 40 % → 50 %.
  auto reassessed = context_.call(
      Method::Post, "/beneficiaries/" + std::to_string(id) + "/disability-assessments",
      {{"disability",
        {{"nature", "war"},
         {"grade", 2},
         {"certificate_number", "CJ-0001"},
         {"assessed_on", "2026-02-20"}}},
       {"approved_on", "2026-03-01"}});
  EXPECT_EQ(reassessed.body["disability"]["effective_month"], "2026-03");
  EXPECT_EQ(reassessed.body["disability_history"].size(), 2u);
  auto amount =
      context_.call(Method::Get, "/entitlements/" + std::to_string(care) + "/amount?month=2026-03")
          .body;
  EXPECT_EQ(amount["share"], "0.5");
  EXPECT_EQ(amount["amount"], "3000.00");
  EXPECT_EQ(
      context_.call(Method::Get, "/entitlements/" + std::to_string(care) + "/amount?month=2026-02")
          .body["amount"],
      "2400.00");
  EXPECT_EQ(roll(run("2026-03")),
            (std::vector<std::string>{"regular disability_pension 2026-03 5824.17",
                                      "regular care_allowance 2026-03 3000.00"}));
  // A January run now pays January of the pension (the corrected start), at grade 3 (因战 3级
  // 61,320.00 a year).
  EXPECT_EQ(roll(run("2026-01")),
            std::vector<std::string>{"regular disability_pension 2026-01 5110.00"});
  // He dies; the funeral aid is withdrawn (the death was not of illness), with the reason.
  context_.setToday(day("2026-04-02"));
  deathOf(id, "2026-04-01");
  const auto owed = context_.call(Method::Get, "/adjustments?kind=funeral_aid").body;
  ASSERT_EQ(owed["total"], 1);
  EXPECT_EQ(owed["items"][0]["amount"], "69890.00");
  const std::string adjustment =
      "/adjustments/" + std::to_string(owed["items"][0]["id"].get<int>());
  asApprover();
  EXPECT_EQ(
      context_
          .call(Method::Post, adjustment + "/withdrawal", {{"reason", "因战伤复发牺牲，另行办理"}})
          .body["withdrawal_reason"],
      "因战伤复发牺牲，另行办理");
  EXPECT_EQ(refusal(Method::Post, adjustment + "/withdrawal", {{"reason", "again"}}).substr(0, 3),
            "409");
  EXPECT_EQ(context_.call(Method::Get, adjustment).body["withdrawn_on"], "2026-04-02");
  EXPECT_EQ(roll(run("2026-04")),
            (std::vector<std::string>{"regular disability_pension 2026-04 5824.17",
                                      "regular care_allowance 2026-04 3000.00"}));
}

// A column that points at another row leads an index (SchemaConventions in tests/host checks
// the same on the first demo modules).
TEST_F(VeteransTest, EveryColumnThatPointsAtAnotherRowLeadsAnIndex) {
  soci::rowset<std::string> unindexed =
      (context_.db().prepare
       << "SELECT m.name || '.' || f.\"from\" || ' -> ' || f.\"table\""
          " FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f"
          " WHERE m.type = 'table' AND m.name LIKE 'vt!_%' ESCAPE '!'"
          " AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) l"
          "   JOIN pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = f.\"from\")"
          " AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) c"
          "   WHERE c.pk = 1 AND c.name = f.\"from\")"
          " ORDER BY 1");
  const std::vector<std::string> found(unindexed.begin(), unindexed.end());
  EXPECT_EQ(found, std::vector<std::string>{});
}

}  // namespace
}  // namespace civ::plugins::veterans
