// The elderly_care module on the fake Context: every refusal names its field and rule and
// changes nothing; filing deadline and notice; residents, one per bed; death by person.deceased;
// hazards past their deadline; subsidies through the SDK's payment runs (four eyes, idempotent
// month, cancellation, construction paid once, the bank CSV to the fen);
// indicators computed on a fixture by hand; township scope.
#include "../src/elderly_care_plugin.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/coverage.h>
#include <civ/sdk/error.h>
#include <civ/sdk/events.h>
#include <civ/sdk/money.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::elderly_care {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;

// Valid GB 32100 codes (first character: 5 民政, 9 市场监管).
constexpr const char* kCodeA = "52610902MJ0000018R";
constexpr const char* kCodeB = "52610902MJ0000026L";
constexpr const char* kCodeProfit = "91610902MA0000031L";

class ElderlyCareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.mutableCalendar() = publishedCalendar();
    context_.start(plugin_);
    asClerk();
  }

  void asClerk() { context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}}); }
  void asApprover(const char* user = "approver1") {
    context_.setCaller({user, "approver", {"610902", "350502"}, {}});
  }

  static json institution(const char* code = kCodeA, const char* township = "江北街道",
                          int beds = 40, int nursing = 24) {
    return {{"name", std::string("福利中心") + code[17]},
            {"uscc", code},
            {"profit", "non_profit"},
            {"ownership", "public"},
            {"registration_authority", "civil_affairs"},
            {"address", "汉滨区某路1号"},
            {"township", township},
            {"legal_representative", "李主任"},
            {"beds", beds},
            {"nursing_beds", nursing},
            {"floor_area_m2", 3200},
            {"grade", 3},
            {"registered_on", "2026-01-05"}};
  }

  std::int64_t created(const json& body) {
    return context_.call(Method::Post, "/institutions", body).body["id"];
  }

  static json dims(const char* worst = "moderate") {
    return {{"daily_living", worst},
            {"mental_state", "mild"},
            {"perception_communication", "intact"},
            {"social_participation", "mild"}};
  }

  static json admission(std::int64_t institution, const std::string& citizen_id, const char* bed,
                        const char* on = "2026-03-02", const char* care = "nursing",
                        const char* funding = "self_paid") {
    return {{"institution_id", institution},
            {"citizen_id", citizen_id},
            {"name", "老人"},
            {"admitted_on", on},
            {"bed_number", bed},
            {"dimensions", dims()},
            {"care_level", care},
            {"agreement_number", "XY-001"},
            {"agreement_signed_on", on},
            {"emergency_contact", {{"name", "子女"}, {"phone", "13800000000"}}},
            {"funding", funding}};
  }

  std::int64_t admitted(std::int64_t institution, const std::string& citizen_id, const char* bed,
                        const char* on = "2026-03-02", const char* care = "nursing",
                        const char* funding = "self_paid") {
    return context_
        .call(Method::Post, "/residents",
              admission(institution, citizen_id, bed, on, care, funding))
        .body["id"];
  }

  void file(std::int64_t institution) {
    json all = json::array({"application_form", "registration_certificate", "premises_proof",
                            "fire_safety", "legal_representative", "compliance_pledge"});
    context_.call(Method::Post, "/institutions/" + std::to_string(institution) + "/filings",
                  {{"materials", all}});
  }

  std::vector<long long> snapshot() {
    std::vector<long long> counts;
    for (const char* table : {"ec_institutions", "ec_residents", "ec_filings", "ec_assessments",
                              "ec_absences", "ec_inspections", "ec_hazards", "ec_hazard_rechecks",
                              "ec_penalties", "ec_construction_subsidies", "ec_payment_runs",
                              "ec_payment_lines", "ec_subsidy_line_levels", "ec_cancelled_runs",
                              "ec_status_changes", "civ_audit", "civ_persons"}) {
      long long n = 0;
      context_.db() << std::string("SELECT COUNT(*) FROM ") + table, soci::into(n);
      counts.push_back(n);
    }
    long long discharged = 0, confirmed = 0, paid = 0;
    context_.db() << "SELECT COUNT(*) FROM ec_residents WHERE discharged_on IS NOT NULL",
        soci::into(discharged);
    context_.db() << "SELECT COUNT(*) FROM ec_payment_runs WHERE status = 'confirmed'",
        soci::into(confirmed);
    context_.db() << "SELECT COUNT(*) FROM ec_construction_subsidies WHERE paid_in_run IS NOT NULL",
        soci::into(paid);
    counts.push_back(discharged);
    counts.push_back(confirmed);
    counts.push_back(paid);
    return counts;
  }

  /// "field:rule" of a refused call (any sdk::Error with field errors; "<status>" otherwise),
  /// after checking that nothing was written.
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

  std::pair<std::string, json> lastAudit(const std::string& action) {
    std::string entity, summary;
    context_.db() << "SELECT entity_id, summary FROM civ_audit WHERE action = :a ORDER BY id DESC"
                     " LIMIT 1",
        soci::use(action), soci::into(entity), soci::into(summary);
    if (!context_.db().got_data()) return {"", nullptr};
    return {entity, json::parse(summary)};
  }

  ElderlyCarePlugin plugin_;
  FakeContext context_{"elderly_care", day("2026-03-10")};
};

TEST_F(ElderlyCareTest, AnInstitutionIsRegisteredWithItsRulesAndEveryRefusalNamesOne) {
  const auto id = created(institution());
  const auto got = context_.call(Method::Get, "/institutions/" + std::to_string(id)).body;
  EXPECT_EQ(got["beds"], 40);
  EXPECT_EQ(got["status"], "operating");
  EXPECT_TRUE(got["receipt_number"].is_null());

  auto few = institution(kCodeB);
  few["beds"] = 9;
  few["nursing_beds"] = 0;
  EXPECT_EQ(refusal(Method::Post, "/institutions", few), "beds:min-beds");
  auto nursing = institution(kCodeB);
  nursing["nursing_beds"] = 41;
  EXPECT_EQ(refusal(Method::Post, "/institutions", nursing), "nursing_beds:nursing-within-beds");
  auto checksum = institution(kCodeB);
  checksum["uscc"] = "52610902MJ0000018A";
  EXPECT_EQ(refusal(Method::Post, "/institutions", checksum), "uscc:checksum");
  EXPECT_EQ(refusal(Method::Post, "/institutions", institution(kCodeA)), "uscc:unique-uscc");
  auto authority = institution(kCodeProfit);
  EXPECT_EQ(refusal(Method::Post, "/institutions", authority), "uscc:uscc-authority");
  authority["registration_authority"] = "market_regulation";
  EXPECT_EQ(refusal(Method::Post, "/institutions", authority),
            "registration_authority:nature-authority");
  authority["profit"] = "for_profit";
  EXPECT_EQ(refusal(Method::Post, "/institutions", authority), "accepted");
  // The minimum is a parameter: a county raising it refuses an institution of 10 beds.
  context_.setPolicyValue("institution.min_beds", "20", day("2026-01-01"), "610902");
  auto ten = institution(kCodeB, "江北街道", 10, 0);
  EXPECT_EQ(refusal(Method::Post, "/institutions", ten), "beds:min-beds");
}

TEST_F(ElderlyCareTest, ACorrectionIsAuditedWithOldAndNewValuesAndTheRulesApplyAgain) {
  const auto id = created(institution());
  const std::string path = "/institutions/" + std::to_string(id);
  auto corrected = context_.call(Method::Patch, path, {{"beds", 50}, {"grade", 4}});
  EXPECT_EQ(corrected.body["beds"], 50);
  const auto [entity, changes] = lastAudit("institution.correct");
  EXPECT_EQ(entity, std::to_string(id));
  EXPECT_EQ(changes["beds"]["old"], 40);
  EXPECT_EQ(changes["beds"]["new"], 50);
  EXPECT_EQ(changes["grade"]["old"], 3);
  EXPECT_EQ(changes["grade"]["new"], 4);
  EXPECT_FALSE(changes.contains("name"));
  EXPECT_EQ(refusal(Method::Patch, path, {{"beds", 50}}), "beds:unchanged");
  EXPECT_EQ(refusal(Method::Patch, path, json::object()), "(body):at-least-one");
  EXPECT_EQ(refusal(Method::Patch, path, {{"beds", 8}}), "beds:min-beds");
  EXPECT_EQ(refusal(Method::Patch, path, {{"nursing_beds", 51}}),
            "nursing_beds:nursing-within-beds");
  // Lists: search by name, paging.
  created(institution(kCodeB, "关庙镇", 20, 6));
  EXPECT_EQ(context_.call(Method::Get, "/institutions?name=" + std::string("中心R")).body["total"],
            1);
  EXPECT_EQ(sorted(everyItem(context_, "/institutions?limit=1", 2)).size(), 2u);
}

TEST_F(ElderlyCareTest, FilingIsDueTenWorkingDaysAfterTheFirstAdmissionWithANoticeOrAReceipt) {
  const auto id = created(institution());
  const std::string path = "/institutions/" + std::to_string(id);
  admitted(id, citizenId("19400101", 11), "101", "2026-03-02");
  EXPECT_EQ(context_.call(Method::Get, path).body["filing_due"], "2026-03-16");
  context_.setToday(day("2026-03-16"));
  EXPECT_EQ(context_.call(Method::Get, "/filings/overdue").body["total"], 0);
  context_.setToday(day("2026-03-17"));
  const auto overdue = context_.call(Method::Get, "/filings/overdue").body;
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["filing_due"], "2026-03-16");
  EXPECT_EQ(context_.indicator("overdue_filings", "610902", day("2026-01-01"), day("2026-03-17")),
            1);

  // Incomplete: one notice naming every missing item, no receipt.
  auto notice = context_.call(Method::Post, path + "/filings",
                              {{"materials", {"application_form", "fire_safety"}}});
  EXPECT_EQ(notice.status, 201);
  EXPECT_FALSE(notice.body["complete"]);
  EXPECT_TRUE(notice.body["receipt_number"].is_null());
  EXPECT_EQ(notice.body["missing"], json({"registration_certificate", "premises_proof",
                                          "legal_representative", "compliance_pledge"}));
  EXPECT_EQ(context_.call(Method::Get, "/filings/overdue").body["total"], 1);
  file(id);
  const auto filed = context_.call(Method::Get, path).body;
  EXPECT_EQ(filed["receipt_number"], "BA610902-2026-000001");
  EXPECT_EQ(filed["filed_on"], "2026-03-17");
  EXPECT_EQ(context_.call(Method::Get, "/filings/overdue").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/filings?complete=false").body["total"], 1);
  // Overdue on the day before the receipt, in the indicator's history.
  EXPECT_EQ(context_.indicator("overdue_filings", "610902", day("2026-01-01"), day("2026-03-17")),
            0);
  EXPECT_EQ(refusal(Method::Post, path + "/filings", {{"materials", json::array()}}).substr(0, 3),
            "409");
}

TEST_F(ElderlyCareTest, ABedHoldsOneResidentAndAdmissionsFollowTheRules) {
  const auto id = created(institution(kCodeA, "江北街道", 10, 0));
  const auto first = admitted(id, citizenId("19400101", 11), "101");
  const auto resident = context_.call(Method::Get, "/residents/" + std::to_string(first)).body;
  EXPECT_EQ(resident["ability_level"], "moderate");
  EXPECT_EQ(resident["care_level"], "nursing");
  EXPECT_EQ(resident["assessments"].size(), 1u);
  const auto bed =
      refusal(Method::Post, "/residents", admission(id, citizenId("19410101", 13), "101"));
  EXPECT_NE(bed.find("409"), std::string::npos);
  EXPECT_NE(bed.find("one-resident-per-bed"), std::string::npos);
  EXPECT_EQ(refusal(Method::Post, "/residents", admission(id, citizenId("19400101", 11), "102")),
            "citizen_id:one-residence");
  auto future = admission(id, citizenId("19410101", 13), "102", "2026-03-11");
  EXPECT_EQ(refusal(Method::Post, "/residents", future), "admitted_on:not-in-future");
  auto late_agreement = admission(id, citizenId("19410101", 13), "102");
  late_agreement["agreement_signed_on"] = "2026-03-05";
  EXPECT_EQ(refusal(Method::Post, "/residents", late_agreement),
            "agreement_signed_on:agreement-before-admission");
  EXPECT_EQ(refusal(Method::Post, "/residents", admission(999, citizenId("19410101", 13), "102")),
            "institution_id:known-institution");
  // Levels are policy: a county without 特护 and with three ability levels.
  context_.setPolicyValue("care.levels", "self_care,assisted,nursing", day("2026-01-01"), "610902");
  context_.setPolicyValue("assessment.levels", "intact,mild,severe", day("2026-01-01"), "610902");
  EXPECT_EQ(refusal(Method::Post, "/residents",
                    admission(id, citizenId("19410101", 13), "102", "2026-03-02", "special")),
            "dimensions.daily_living:ability-level");
  auto special = admission(id, citizenId("19410101", 13), "102", "2026-03-02", "special");
  special["dimensions"]["daily_living"] = "severe";
  EXPECT_EQ(refusal(Method::Post, "/residents", special), "care_level:care-level");
  // A bed frees on discharge.
  context_.call(Method::Post, "/residents/" + std::to_string(first) + "/discharge",
                {{"on_date", "2026-03-09"}, {"reason", "returned_home"}});
  auto next = admission(id, citizenId("19410101", 13), "101", "2026-03-09");
  next["dimensions"]["daily_living"] = "severe";
  EXPECT_EQ(refusal(Method::Post, "/residents", next), "accepted");
  const auto gone = context_.call(Method::Get, "/residents/" + std::to_string(first)).body;
  EXPECT_EQ(gone["status"], "discharged");
  EXPECT_EQ(gone["keep_records_until"], "2031-03-09");
}

TEST_F(ElderlyCareTest, ReassessmentLeaveHospitalAndCorrectionsAreAudited) {
  const auto id = created(institution());
  const auto resident = admitted(id, citizenId("19400101", 11), "101");
  const std::string path = "/residents/" + std::to_string(resident);
  auto again = context_.call(Method::Post, path + "/assessments",
                             {{"assessed_on", "2026-03-08"},
                              {"reason", "condition_change"},
                              {"dimensions", dims("total")},
                              {"care_level", "special"}});
  EXPECT_EQ(again.body["ability_level"], "total");
  EXPECT_EQ(again.body["care_level"], "special");
  EXPECT_EQ(lastAudit("resident.reassess").second["care_level"]["old"], "nursing");
  context_.call(Method::Post, path + "/absences",
                {{"kind", "hospital"}, {"start_on", "2026-03-09"}});
  EXPECT_EQ(context_.call(Method::Get, path).body["status"], "in_hospital");
  EXPECT_EQ(
      refusal(Method::Post, path + "/absences", {{"kind", "leave"}, {"start_on", "2026-03-09"}}),
      "kind:one-absence");
  EXPECT_EQ(refusal(Method::Post, path + "/return", {{"on_date", "2026-03-08"}}),
            "on_date:after-start");
  context_.call(Method::Post, path + "/return", {{"on_date", "2026-03-10"}});
  const auto back = context_.call(Method::Get, path).body;
  EXPECT_EQ(back["status"], "in_residence");
  EXPECT_EQ(back["absences"][0]["end_on"], "2026-03-10");
  context_.call(Method::Patch, path, {{"funding", "subsidy"}, {"bed_number", "102"}});
  const auto changes = lastAudit("resident.correct").second;
  EXPECT_EQ(changes["funding"]["old"], "self_paid");
  EXPECT_EQ(changes["funding"]["new"], "subsidy");
  EXPECT_EQ(changes["bed_number"]["new"], "102");
  EXPECT_EQ(refusal(Method::Patch, path, {{"funding", "subsidy"}}), "funding:unchanged");
  EXPECT_EQ(context_.call(Method::Get, "/residents?funding=subsidy&present=true").body["total"], 1);
}

TEST_F(ElderlyCareTest, ADeathDischargesTheResidentOnTheDateOfDeathAuditedInItsCounty) {
  const auto id = created(institution());
  // No module answers for 特困 here: the clerk's record of 特困 support stands.
  const auto resident =
      admitted(id, citizenId("19400101", 11), "101", "2026-03-02", "nursing", "tekun");
  context_.call(Method::Post, "/residents/" + std::to_string(resident) + "/absences",
                {{"kind", "hospital"}, {"start_on", "2026-03-05"}});
  long long person = 0;
  context_.db() << "SELECT person_id FROM ec_residents", soci::into(person);
  sdk::EventDeclaration deceased;
  deceased.name = "person.deceased";
  deceased.payload_schema = {{"type", "object"}, {"additionalProperties", true}};
  context_.publishAs("funeral", deceased, "350502",
                     {{"death_id", 1}, {"person_id", person}, {"death_date", "2026-03-07"}});
  EXPECT_GE(context_.deliverEvents(), 1);
  const auto after = context_.call(Method::Get, "/residents/" + std::to_string(resident)).body;
  EXPECT_EQ(after["status"], "deceased");
  EXPECT_EQ(after["discharged_on"], "2026-03-07");
  EXPECT_EQ(after["discharge_reason"], "deceased");
  EXPECT_EQ(after["absences"][0]["end_on"], "2026-03-07");
  std::string county, summary;
  context_.db() << "SELECT county_code, summary FROM civ_audit WHERE action = 'resident.death'",
      soci::into(county), soci::into(summary);
  EXPECT_EQ(county, "610902");
  EXPECT_EQ(json::parse(summary)["discharged_on"]["new"], "2026-03-07");
  std::string payload;
  context_.db() << "SELECT payload FROM civ_outbox WHERE name = 'elderly_care.tekun_discharged'",
      soci::into(payload);
  ASSERT_FALSE(payload.empty()) << "the end of 特困 support is published";
  EXPECT_EQ(json::parse(payload)["on_date"], "2026-03-07");
  // Delivered again, nothing changes twice.
  context_.deliverEvents();
  long long audits = 0;
  context_.db() << "SELECT COUNT(*) FROM civ_audit WHERE action = 'resident.death'",
      soci::into(audits);
  EXPECT_EQ(audits, 1);
}

TEST_F(ElderlyCareTest, SuspensionNeedsAResettlementPlanAndClosureNeedsEveryoneResettled) {
  const auto id = created(institution());
  const std::string path = "/institutions/" + std::to_string(id);
  const auto resident = admitted(id, citizenId("19400101", 11), "101");
  asApprover();
  EXPECT_EQ(refusal(Method::Post, path + "/status",
                    {{"status", "suspended"}, {"on_date", "2026-03-10"}, {"reason", "整改"}}),
            "resettlement_plan:resettlement-plan");
  EXPECT_EQ(refusal(Method::Post, path + "/status",
                    {{"status", "closed"},
                     {"on_date", "2026-03-10"},
                     {"reason", "停业"},
                     {"resettlement_plan", "转入城区福利中心"}}),
            "status:residents-resettled");
  context_.call(Method::Post, path + "/status",
                {{"status", "suspended"},
                 {"on_date", "2026-03-10"},
                 {"reason", "整改"},
                 {"resettlement_plan", "转入城区福利中心"}});
  asClerk();
  EXPECT_EQ(refusal(Method::Post, "/residents", admission(id, citizenId("19410101", 13), "102")),
            "institution_id:institution-operating");
  context_.call(Method::Post, "/residents/" + std::to_string(resident) + "/discharge",
                {{"on_date", "2026-03-10"}, {"reason", "transferred"}});
  asApprover();
  context_.call(Method::Post, path + "/status",
                {{"status", "closed"}, {"on_date", "2026-03-10"}, {"reason", "停业"}});
  EXPECT_EQ(context_.call(Method::Get, path).body["status"], "closed");
  EXPECT_EQ(lastAudit("institution.status").second["status"]["old"], "suspended");
}

TEST_F(ElderlyCareTest, HazardsPastTheirDeadlineAreListedAndClosedOnRecheck) {
  const auto id = created(institution());
  auto inspection = context_.call(
      Method::Post, "/institutions/" + std::to_string(id) + "/inspections",
      {{"inspected_on", "2026-03-03"}, {"inspectors", "王某、张某"}, {"findings", "消防通道堵塞"}});
  const std::string hazards =
      "/inspections/" + std::to_string(inspection.body["id"].get<int>()) + "/hazards";
  EXPECT_EQ(refusal(Method::Post, hazards, {{"description", "x"}, {"deadline", "2026-03-20"}}),
            "category:category-or-major");
  EXPECT_EQ(refusal(Method::Post, hazards,
                    {{"category", "fall"}, {"description", "x"}, {"deadline", "2026-03-01"}}),
            "deadline:deadline-after-finding");
  const auto fall =
      context_
          .call(Method::Post, hazards,
                {{"category", "fall"}, {"description", "走廊无扶手"}, {"deadline", "2026-03-09"}})
          .body["id"]
          .get<int>();
  context_.call(
      Method::Post, hazards,
      {{"major_situation", 7}, {"description", "未设消防设施"}, {"deadline", "2026-03-31"}});
  const auto overdue = context_.call(Method::Get, "/hazards?overdue=true").body;
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["id"], fall);
  EXPECT_TRUE(overdue["items"][0]["overdue"]);
  EXPECT_EQ(context_.indicator("hazards_overdue", "610902", day("2026-01-01"), day("2026-03-10")),
            1);
  const std::string recheck = "/hazards/" + std::to_string(fall) + "/recheck";
  EXPECT_EQ(refusal(Method::Post, recheck,
                    {{"on_date", "2026-03-10"}, {"rectified", false}, {"note", "未整改"}}),
            "new_deadline:required");
  context_.call(Method::Post, recheck,
                {{"on_date", "2026-03-10"}, {"rectified", true}, {"note", "已安装"}});
  EXPECT_EQ(context_.call(Method::Get, "/hazards?overdue=true").body["total"], 0);
  EXPECT_EQ(context_.indicator("hazards_found", "610902", day("2026-01-01"), day("2026-03-10")), 2);
  EXPECT_EQ(context_.indicator("hazards_rectified", "610902", day("2026-01-01"), day("2026-03-10")),
            1);
  EXPECT_EQ(context_.indicator("hazards_open", "610902", day("2026-01-01"), day("2026-03-10")), 1);
  EXPECT_EQ(context_.indicator("inspections", "610902", day("2026-01-01"), day("2026-03-10")), 1);
  // A year on, the institution is due again.
  context_.setToday(day("2027-03-04"));
  EXPECT_EQ(context_.call(Method::Get, "/inspections/overdue").body["items"][0]["due"],
            "2027-03-03");
  EXPECT_EQ(
      context_.indicator("overdue_inspections", "610902", day("2026-01-01"), day("2027-03-03")), 0);
  EXPECT_EQ(
      context_.indicator("overdue_inspections", "610902", day("2026-01-01"), day("2027-03-04")), 1);
}

TEST_F(ElderlyCareTest, AFineFollowsAWarningAndIsAtMostThirtyThousandYuan) {
  const auto id = created(institution());
  const std::string path = "/institutions/" + std::to_string(id) + "/penalties";
  asApprover();
  EXPECT_EQ(refusal(Method::Post, path,
                    {{"kind", "fine"},
                     {"amount", "5000.00"},
                     {"decided_on", "2026-03-05"},
                     {"basis", "§46"}}),
            "kind:warning-first");
  context_.call(Method::Post, path,
                {{"kind", "warning"}, {"decided_on", "2026-03-04"}, {"basis", "§46"}});
  EXPECT_EQ(refusal(Method::Post, path,
                    {{"kind", "fine"},
                     {"amount", "30000.01"},
                     {"decided_on", "2026-03-05"},
                     {"basis", "§46"}}),
            "amount:fine-maximum");
  const auto fine = context_.call(
      Method::Post, path,
      {{"kind", "fine"}, {"amount", "30000"}, {"decided_on", "2026-03-05"}, {"basis", "§46"}});
  EXPECT_EQ(fine.body["amount"], "30000.00");
  EXPECT_EQ(context_.call(Method::Get, "/penalties").body["total"], 2);
}

/// The data lines of a bank CSV (after the byte-order mark and the heading), split at commas
/// (the test's values hold none).
std::vector<std::vector<std::string>> csvLines(const std::string& document) {
  std::vector<std::vector<std::string>> lines;
  std::size_t start = document.find("\r\n");
  while (start != std::string::npos && start + 2 < document.size()) {
    const auto end = document.find("\r\n", start + 2);
    const std::string line = document.substr(start + 2, end - start - 2);
    std::vector<std::string> cells;
    std::size_t from = 0;
    for (auto comma = line.find(','); comma != std::string::npos; comma = line.find(',', from)) {
      cells.push_back(line.substr(from, comma - from));
      from = comma + 1;
    }
    cells.push_back(line.substr(from));
    lines.push_back(cells);
    start = end;
  }
  return lines;
}

/// The sum of the amount column (金额(元), the 9th) of a bank CSV, in fen.
long long csvTotalFen(const std::string& document) {
  long long total = 0;
  for (const auto& cells : csvLines(document)) total += sdk::Money::parse(cells.at(8))->fen();
  return total;
}

TEST_F(ElderlyCareTest, AMonthsOperatingSubsidyNeedsASecondApproverAndIsExactToTheFen) {
  context_.setPolicyValue("subsidy.operating.nursing", "233.33", day("2026-01-01"), "610902");
  context_.setPolicyValue("subsidy.operating.self_care", "100.01", day("2026-01-01"), "610902");
  const auto a = created(institution());
  const auto b = created(institution(kCodeB, "关庙镇", 20, 6));
  context_.setToday(day("2026-04-30"));
  admitted(a, citizenId("19400101", 11), "1", "2026-03-02", "nursing");
  admitted(a, citizenId("19410101", 13), "2", "2026-04-30", "nursing");
  admitted(a, citizenId("19420101", 15), "3", "2026-03-02", "self_care");
  const auto left = admitted(b, citizenId("19430101", 17), "1", "2026-03-02", "nursing");
  context_.call(Method::Post, "/residents/" + std::to_string(left) + "/discharge",
                {{"on_date", "2026-04-01"}, {"reason", "returned_home"}});
  admitted(b, citizenId("19440101", 19), "2", "2026-04-10", "nursing");  // b is not filed
  file(a);
  context_.setToday(day("2026-05-01"));
  asApprover();
  EXPECT_EQ(refusal(Method::Post, "/subsidy-runs", {{"month", "2026-05"}}), "month:month-ended");
  // Before the county's first filing there is nothing to pay: refused, not locked as empty.
  EXPECT_EQ(refusal(Method::Post, "/subsidy-runs", {{"month", "2026-03"}}),
            "month:after-first-case");
  auto run = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-04"}});
  EXPECT_EQ(run.status, 201);
  EXPECT_EQ(run.body["created"], true);
  // a: 2 nursing × 233.33 + 1 self-care × 100.01 = 566.67, one line; b is not filed.
  EXPECT_EQ(run.body["total"], "566.67");
  EXPECT_EQ(run.body["lines"], 1);
  EXPECT_EQ(run.body["status"], "prepared");
  EXPECT_EQ(run.body["by_program"]["operating"]["regular"]["total"], "566.67");
  // No account on file: the bank could not pay it.
  ASSERT_EQ(run.body["warnings"].size(), 1u);
  EXPECT_EQ(run.body["warnings"][0]["rule"], "bank-account");
  EXPECT_EQ(run.body["warnings"][0]["receipt_number"], "BA610902-2026-000001");
  // The care levels behind the line, as the clerk sees them.
  auto lines = context_.call(Method::Get, "/subsidy-runs/2026-04/lines").body;
  ASSERT_EQ(lines["total"], 1);
  const json line = lines["items"][0];
  EXPECT_EQ(line["institution_id"], a);
  EXPECT_EQ(line["program"], "operating");
  EXPECT_EQ(line["kind"], "regular");
  EXPECT_EQ(line["amount"], "566.67");
  EXPECT_EQ(line["has_bank_account"], false);
  EXPECT_EQ(line["levels"], json::parse(R"([
      {"care_level": "self_care", "resident_months": 1, "rate": "100.01", "amount": "100.01"},
      {"care_level": "nursing", "resident_months": 2, "rate": "233.33", "amount": "466.66"}])"));
  EXPECT_EQ(
      context_.call(Method::Get, "/subsidy-runs/2026-04/lines?bank_account=true").body["total"], 0);
  // The same month again: the run made, nothing changes.
  auto again = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-04"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body["created"], false);
  EXPECT_EQ(again.body["total"], "566.67");
  // Four eyes: no roll before a second approver confirms, and not the one who prepared it.
  EXPECT_EQ(refusal(Method::Get, "/subsidy-runs/2026-04/roll.csv").substr(0, 3), "409");
  EXPECT_EQ(refusal(Method::Post, "/subsidy-runs/2026-04/confirmation").substr(0, 3), "403");
  EXPECT_EQ(refusal(Method::Post, "/subsidy-runs/2026-04/cancellation", {{"reason", "重算"}})
                .substr(0, 3),
            "403");
  // A second approver cancels it (the account is missing); the month can be run again.
  asApprover("approver2");
  auto cancelled =
      context_.call(Method::Post, "/subsidy-runs/2026-04/cancellation", {{"reason", "缺银行账号"}});
  EXPECT_EQ(cancelled.body["cancelled"], true);
  EXPECT_EQ(cancelled.body["total"], "566.67");
  EXPECT_THROW(context_.call(Method::Get, "/subsidy-runs/2026-04"), sdk::NotFound);
  long long levels = 0, cancelled_runs = 0;
  context_.db() << "SELECT COUNT(*) FROM ec_subsidy_line_levels", soci::into(levels);
  context_.db() << "SELECT COUNT(*) FROM ec_cancelled_runs", soci::into(cancelled_runs);
  EXPECT_EQ(levels, 0);  // gone with the run's lines
  EXPECT_EQ(cancelled_runs, 1);
  // The institution's account, corrected like its other fields and audited.
  asClerk();
  const std::string institution_path = "/institutions/" + std::to_string(a);
  EXPECT_EQ(refusal(Method::Patch, institution_path, {{"bank_account", "6230-12"}}),
            "bank_account:pattern");
  context_.call(Method::Patch, institution_path,
                {{"bank_name", "汉滨农商银行"}, {"bank_account", "6230999900001111"}});
  const auto [entity, changes] = lastAudit("institution.correct");
  EXPECT_EQ(entity, std::to_string(a));
  EXPECT_EQ(changes["bank_account"]["old"], nullptr);
  EXPECT_EQ(changes["bank_account"]["new"], "6230999900001111");
  EXPECT_EQ(context_.call(Method::Get, institution_path).body["bank_name"], "汉滨农商银行");
  asApprover();
  auto rerun = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-04"}});
  EXPECT_EQ(rerun.status, 201);
  EXPECT_EQ(rerun.body["warnings"], json::array());
  asApprover("approver2");
  EXPECT_EQ(context_.call(Method::Post, "/subsidy-runs/2026-04/confirmation").body["status"],
            "confirmed");
  EXPECT_EQ(refusal(Method::Post, "/subsidy-runs/2026-04/cancellation", {{"reason", "晚了"}})
                .substr(0, 3),
            "409");
  const auto roll = context_.call(Method::Get, "/subsidy-runs/2026-04/roll.csv");
  EXPECT_EQ(roll.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(roll.document.find("统一社会信用代码"), std::string::npos);
  EXPECT_NE(roll.document.find("备案回执编号"), std::string::npos);
  const auto rows = csvLines(roll.document);
  ASSERT_EQ(rows.size(), 1u) << roll.document;
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "福利中心R", kCodeA, "6230999900001111",
                                               "汉滨农商银行", "运营补贴", "2026-04", "按月发放",
                                               "566.67", "BA610902-2026-000001"}));
  EXPECT_EQ(csvTotalFen(roll.document), 56667);
  EXPECT_EQ(context_.call(Method::Get, "/subsidy-runs/2026-04/roll.xlsx").document.substr(0, 2),
            "PK");
  // County-wide work: a township clerk sees no roll.
  context_.setCaller({"town1", "clerk", {"610902"}, {}, {"关庙镇"}});
  EXPECT_EQ(refusal(Method::Get, "/subsidy-runs/2026-04").substr(0, 3), "403");
  EXPECT_EQ(refusal(Method::Get, "/subsidy-runs/2026-04/lines").substr(0, 3), "403");
}

TEST_F(ElderlyCareTest, AConfirmedConstructionSubsidyIsPaidByTheNextRunOnce) {
  context_.setPolicyValue("subsidy.construction.per_bed", "3333.33", day("2026-01-01"), "610902");
  context_.setPolicyValue("subsidy.operating.nursing", "200", day("2026-01-01"), "610902");
  const auto a = created(institution());
  const auto b = created(institution(kCodeB, "关庙镇", 20, 6));
  admitted(a, citizenId("19400101", 11), "1", "2026-03-02", "nursing");
  file(a);
  asApprover();
  // Construction: 37 new beds × 3333.33 = 123333.21, payable after a second approver.
  EXPECT_EQ(refusal(Method::Post, "/construction-subsidies",
                    {{"institution_id", b}, {"new_beds", 5}, {"completed_on", "2026-03-01"}}),
            "institution_id:filed-institution");
  EXPECT_EQ(refusal(Method::Post, "/construction-subsidies",
                    {{"institution_id", a}, {"new_beds", 41}, {"completed_on", "2026-03-01"}}),
            "new_beds:beds-subsidised-once");
  const auto built =
      context_.call(Method::Post, "/construction-subsidies",
                    {{"institution_id", a}, {"new_beds", 37}, {"completed_on", "2026-03-01"}});
  EXPECT_EQ(built.body["amount"], "123333.21");
  EXPECT_EQ(built.body["status"], "prepared");
  // The institution's beds cannot then drop below the 37 subsidised (40 → 36 refused, 37 kept).
  asClerk();
  EXPECT_EQ(refusal(Method::Patch, "/institutions/" + std::to_string(a), {{"beds", 36}}),
            "beds:beds-subsidised");
  EXPECT_EQ(context_.call(Method::Patch, "/institutions/" + std::to_string(a), {{"beds", 37}})
                .body["beds"],
            37);
  context_.call(Method::Patch, "/institutions/" + std::to_string(a), {{"beds", 40}});
  asApprover();
  EXPECT_EQ(built.body["paid_in_month"], nullptr);
  const std::int64_t subsidy = built.body["id"];
  const std::string confirm =
      "/construction-subsidies/" + std::to_string(subsidy) + "/confirmation";
  EXPECT_EQ(refusal(Method::Post, confirm).substr(0, 3), "403");
  // Not confirmed yet: the March run does not pay it.
  context_.setToday(day("2026-04-01"));
  auto march = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-03"}});
  EXPECT_EQ(march.body["total"], "200.00");
  EXPECT_FALSE(march.body["by_program"].contains("construction"));
  asApprover("approver2");
  EXPECT_EQ(context_.call(Method::Post, confirm).body["confirmed_by"], "approver2");
  EXPECT_EQ(context_.call(Method::Post, "/subsidy-runs/2026-03/confirmation").body["status"],
            "confirmed");
  // The April run pays it as a one-off line beside the month's operating line.
  context_.setToday(day("2026-05-02"));
  auto april = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-04"}});
  EXPECT_EQ(april.body["total"], "123533.21");
  EXPECT_EQ(april.body["lines"], 2);
  EXPECT_EQ(april.body["by_program"]["construction"]["construction"]["total"], "123333.21");
  auto listed = context_.call(Method::Get, "/subsidy-runs/2026-04/lines?kind=construction").body;
  ASSERT_EQ(listed["total"], 1);
  EXPECT_EQ(listed["items"][0]["construction_subsidy_id"], subsidy);
  EXPECT_EQ(listed["items"][0]["levels"], json::array());
  auto shown = context_.call(Method::Get, "/construction-subsidies?paid=true").body;
  ASSERT_EQ(shown["total"], 1);
  EXPECT_EQ(shown["items"][0]["paid_in_month"], "2026-04");
  // Cancelled (by another approver): the subsidy waits for the next run again.
  asApprover();
  context_.call(Method::Post, "/subsidy-runs/2026-04/cancellation", {{"reason", "复核前撤销"}});
  EXPECT_EQ(context_.call(Method::Get, "/construction-subsidies?paid=false").body["total"], 1);
  asApprover("approver2");
  auto rerun = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-04"}});
  EXPECT_EQ(rerun.body["total"], "123533.21");
  asApprover();
  context_.call(Method::Post, "/subsidy-runs/2026-04/confirmation");
  // Paid once: May has only its operating line.
  context_.setToday(day("2026-06-01"));
  auto may = context_.call(Method::Post, "/subsidy-runs", {{"month", "2026-05"}});
  EXPECT_EQ(may.body["total"], "200.00");
  EXPECT_EQ(may.body["lines"], 1);
  asApprover("approver2");
  context_.call(Method::Post, "/subsidy-runs/2026-05/confirmation");
  // The April roll: both lines, to the fen.
  asClerk();
  context_.call(Method::Patch, "/institutions/" + std::to_string(a),
                {{"bank_name", "汉滨农商银行"}, {"bank_account", "6230999900001111"}});
  const auto roll = context_.call(Method::Get, "/subsidy-runs/2026-04/roll.csv");
  const auto rows = csvLines(roll.document);
  ASSERT_EQ(rows.size(), 2u) << roll.document;
  EXPECT_EQ(rows[0][5], "运营补贴");
  EXPECT_EQ(rows[1][5], "建设补贴");
  EXPECT_EQ(rows[1][7], "一次性发放");
  EXPECT_EQ(rows[1][8], "123333.21");
  EXPECT_EQ(csvTotalFen(roll.document), 12353321);
  // The runs, newest month first.
  const auto runs = context_.call(Method::Get, "/subsidy-runs").body;
  ASSERT_EQ(runs["total"], 3);
  EXPECT_EQ(runs["items"][0]["month"], "2026-05");
  EXPECT_EQ(runs["items"][2]["month"], "2026-03");
}

TEST_F(ElderlyCareTest, IndicatorsOnAFixtureComputedByHand) {
  // 江北街道: 40 beds, 24 nursing; 关庙镇: 20 beds, 6 nursing.
  const auto a = created(institution());
  const auto b = created(institution(kCodeB, "关庙镇", 20, 6));
  admitted(a, citizenId("19400101", 11), "1", "2026-03-01", "nursing", "tekun");
  admitted(a, citizenId("19410101", 13), "2", "2026-03-01", "nursing");
  admitted(a, citizenId("19420101", 15), "3", "2026-03-05", "self_care", "tekun");
  const auto left = admitted(b, citizenId("19430101", 17), "1", "2026-03-01", "special");
  admitted(b, citizenId("19440101", 19), "2", "2026-03-02", "assisted");
  context_.call(Method::Post, "/residents/" + std::to_string(left) + "/discharge",
                {{"on_date", "2026-03-06"}, {"reason", "returned_home"}});
  const auto from = day("2026-03-01"), to = day("2026-03-10");
  EXPECT_EQ(context_.indicator("institutions", "610902", from, to), 2);
  EXPECT_EQ(context_.indicator("beds", "610902", from, to), 60);
  EXPECT_EQ(context_.indicator("nursing_beds", "610902", from, to), 30);
  // 30 / 60 = 500‰; 24/40 = 600‰, 6/20 = 300‰.
  EXPECT_EQ(context_.indicator("nursing_bed_share_permille", "610902", from, to), 500);
  const auto share =
      indicatorByTownship(context_, "nursing_bed_share_permille", "610902", from, to);
  EXPECT_EQ(share.at("江北街道"), 600);
  EXPECT_EQ(share.at("关庙镇"), 300);
  // 4 present of 60 beds: 66.67‰ → 67; 3/40 = 75‰; 1/20 = 50‰.
  EXPECT_EQ(context_.indicator("residents", "610902", from, to), 4);
  EXPECT_EQ(context_.indicator("occupancy_permille", "610902", from, to), 67);
  const auto occupancy = indicatorByTownship(context_, "occupancy_permille", "610902", from, to);
  EXPECT_EQ(occupancy.at("江北街道"), 75);
  EXPECT_EQ(occupancy.at("关庙镇"), 50);
  EXPECT_EQ(context_.indicator("tekun_residents", "610902", from, to), 2);
  EXPECT_EQ(context_.indicator("residents_care_nursing", "610902", from, to), 2);
  EXPECT_EQ(context_.indicator("residents_care_special", "610902", from, to), 0);
  EXPECT_EQ(context_.indicator("residents_care_assisted", "610902", from, to), 1);
  // Resident-days 03-01..03-10: 10 + 10 + 6 (from 03-05) + 5 (03-01..05) + 9 (from 03-02) = 40.
  EXPECT_EQ(context_.indicator("resident_days", "610902", from, to), 40);
  EXPECT_EQ(indicatorByTownship(context_, "resident_days", "610902", from, to).at("关庙镇"), 14);
}

TEST_F(ElderlyCareTest, TekunFundingNeedsTekunCoverageWhereSocialAssistanceAnswers) {
  const auto id = created(institution());
  const auto covered = citizenId("19400101", 11);
  // As social_assistance would answer: only `covered` is 特困, from 2025.
  context_.coverage().provide({"tekun"}, [this, covered](soci::session& db, std::string_view,
                                                         std::int64_t person, sdk::Date) {
    std::string citizen;
    const long long key = person;
    db << "SELECT citizen_id FROM civ_persons WHERE id = :p", soci::into(citizen), soci::use(key);
    std::vector<sdk::ProgramCoverage> list;
    if (citizen == covered)
      list.push_back({"tekun", "social_assistance", "TK-1", day("2025-01-01"), std::nullopt});
    return list;
  });
  EXPECT_EQ(
      refusal(Method::Post, "/residents",
              admission(id, citizenId("19410101", 13), "1", "2026-03-02", "nursing", "tekun")),
      "funding:tekun-covered");
  EXPECT_EQ(refusal(Method::Post, "/residents",
                    admission(id, covered, "1", "2026-03-02", "nursing", "tekun")),
            "accepted");
  // Admission and discharge of the 特困 person are published for the module running 特困 support.
  json payload;
  std::string text;
  context_.db() << "SELECT payload FROM civ_outbox WHERE name = 'elderly_care.tekun_admitted'",
      soci::into(text);
  payload = json::parse(text);
  EXPECT_EQ(payload["on_date"], "2026-03-02");
  EXPECT_EQ(payload["from_month"], "2026-04");
  const long long tekun_resident = payload["resident_id"];
  context_.call(Method::Post, "/residents/" + std::to_string(tekun_resident) + "/discharge",
                {{"on_date", "2026-03-09"}, {"reason", "returned_home"}});
  context_.db() << "SELECT payload FROM civ_outbox WHERE name = 'elderly_care.tekun_discharged'",
      soci::into(text);
  EXPECT_EQ(json::parse(text)["from_month"], "2026-04");
  const auto other = admitted(id, citizenId("19410101", 13), "2");
  EXPECT_EQ(refusal(Method::Patch, "/residents/" + std::to_string(other), {{"funding", "tekun"}}),
            "funding:tekun-covered");
}

TEST_F(ElderlyCareTest, ATownshipScopedCallerSeesAndActsOnlyOnItsTownship) {
  const auto a = created(institution());
  const auto b = created(institution(kCodeB, "关庙镇", 20, 6));
  context_.setCaller({"town1", "clerk", {"610902"}, {}, {"关庙镇"}});
  const auto listed = context_.call(Method::Get, "/institutions").body;
  ASSERT_EQ(listed["total"], 1);
  EXPECT_EQ(listed["items"][0]["id"], b);
  EXPECT_EQ(refusal(Method::Get, "/institutions/" + std::to_string(a)).substr(0, 3), "403");
  EXPECT_EQ(refusal(Method::Post, "/residents", admission(a, citizenId("19400101", 11), "1"))
                .substr(0, 3),
            "403");
  EXPECT_EQ(
      refusal(Method::Post, "/institutions", institution(kCodeProfit, "江北街道")).substr(0, 3),
      "403");
}

}  // namespace
}  // namespace civ::plugins::elderly_care
