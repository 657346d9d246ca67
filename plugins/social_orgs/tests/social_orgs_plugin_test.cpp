// The social organisations module on the fake Context: applications checked against each
// type's conditions (every refusal names field and rule and changes nothing), decisions with
// the credit code given or assigned, corrections audited with old and new values, inspections
// with the exemption and rectification, the two-year and inactivity rules, liquidation and
// deregistration, the overdue list and the indicators.
#include "../src/social_orgs_plugin.h"

#include <set>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/statement_counter.h>
#include <civ/sdk/testing/test_data.h>

#include "../src/social_orgs_rules.h"

namespace civ::plugins::social_orgs {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;

class SocialOrgsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.start(plugin_);
    context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  }

  static json group(const char* name = "汉滨区茶叶协会", const char* rep = "610902197001010014") {
    return {{"type", "group"},
            {"name", name},
            {"sponsor_unit", "汉滨区农业农村局"},
            {"legal_representative", {{"citizen_id", rep}, {"name", "张三"}}},
            {"address", "汉滨区江北街道1号"},
            {"township", "江北街道"},
            {"individual_members", 50},
            {"funds", "30000.00"},
            {"rural_association", true}};
  }

  static json pne() {
    return {{"type", "pne"},
            {"name", "汉滨区夕阳红养老服务中心"},
            {"sector", "elderly_care"},
            {"sponsor_unit", "汉滨区民政局"},
            {"legal_representative", {{"citizen_id", "610902198002020024"}, {"name", "李四"}}},
            {"address", "汉滨区老城街道2号"},
            {"township", "老城街道"},
            {"funds", "30000.00"},
            {"non_state_assets", "20000.00"}};
  }

  static json foundation() {
    return {{"type", "foundation"},
            {"name", "汉滨区教育基金会"},
            {"foundation_kind", "non_public"},
            {"legal_representative", {{"citizen_id", "610902197505050036"}, {"name", "王五"}}},
            {"address", "汉滨区新城街道3号"},
            {"township", "新城街道"},
            {"funds", "2000000.00"}};
  }

  std::int64_t applied(const json& body) {
    return context_.call(Method::Post, "/organisations", body).body["id"];
  }

  json decide(std::int64_t id, json body) {
    context_.setCaller({"approver1", "approver", {"610902", "350502"}, {}});
    auto answer = context_.call(Method::Post, "/organisations/" + std::to_string(id) + "/decision",
                                std::move(body));
    context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
    return answer.body;
  }

  std::int64_t registered(const json& body) {
    const auto id = applied(body);
    decide(id, {{"decision", "register"}});
    return id;
  }

  /// "field:rule" of the first refusal, after checking that nothing was written.
  std::string refusal(Method method, const std::string& path, const json& body) {
    const auto before = snapshot();
    try {
      context_.call(method, path, body);
    } catch (const sdk::ValidationError& error) {
      EXPECT_EQ(snapshot(), before) << "a refused request changed something";
      return error.fieldErrors().front().field + ":" + error.fieldErrors().front().rule;
    }
    return "accepted";
  }

  std::string snapshot() {
    std::string state;
    for (const char* sql :
         {"SELECT COUNT(*) || '/' || COALESCE(MAX(status), '') || '/' || COALESCE(MAX(name), '')"
          " || '/' || COALESCE(SUM(funds_fen), 0) FROM so_organisations",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(rectified_on), '') FROM so_inspections",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(decided_on), '') || '/' ||"
          " COALESCE(MAX(hearing_notified_on), '') || '/' || COALESCE(MAX(opened_on), '') FROM"
          " so_penalties",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(name), '') || '/' || COALESCE(MAX(decided_on),"
          " '') FROM so_bans",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(status), '') || '/' || COALESCE(MAX(applied_on),"
          " '') FROM so_changes",
          "SELECT COUNT(*) || '/' || COALESCE(MAX(description), '') FROM so_filings",
          "SELECT COUNT(*) || '' FROM civ_audit"}) {
      std::string value;
      context_.db() << sql, soci::into(value);
      state += value + ";";
    }
    return state;
  }

  SocialOrgsPlugin plugin_;
  FakeContext context_{"social_orgs", day("2026-03-02")};
};

TEST_F(SocialOrgsTest, EachRegistrationConditionIsARefusalNamingFieldAndRule) {
  auto few = group();
  few["individual_members"] = 49;
  EXPECT_EQ(refusal(Method::Post, "/organisations", few), "individual_members:member-count");
  auto poor = group();
  poor["funds"] = "29999.99";
  EXPECT_EQ(refusal(Method::Post, "/organisations", poor), "funds:minimum-funds");
  auto national = group("中华茶叶协会");
  EXPECT_EQ(refusal(Method::Post, "/organisations", national), "name:local-name-prefix");
  auto unsponsored = group();
  unsponsored.erase("sponsor_unit");
  EXPECT_EQ(refusal(Method::Post, "/organisations", unsponsored), "sponsor_unit:sponsor-approval");
  auto state_owned = pne();
  state_owned["non_state_assets"] = "19999.99";
  EXPECT_EQ(refusal(Method::Post, "/organisations", state_owned),
            "non_state_assets:non-state-share");
  auto no_sector = pne();
  no_sector.erase("sector");
  EXPECT_EQ(refusal(Method::Post, "/organisations", no_sector), "sector:sector-required");
  auto small_foundation = foundation();
  small_foundation["funds"] = "1999999.99";
  EXPECT_EQ(refusal(Method::Post, "/organisations", small_foundation), "funds:minimum-funds");
  auto public_foundation = foundation();
  public_foundation["foundation_kind"] = "public";  // 400万 for a local public foundation
  EXPECT_EQ(refusal(Method::Post, "/organisations", public_foundation), "funds:minimum-funds");
  auto rural_pne = pne();
  rural_pne["rural_association"] = true;
  EXPECT_EQ(refusal(Method::Post, "/organisations", rural_pne), "rural_association:group-only");
  auto future = group();
  future["complete_on"] = "2026-03-03";
  EXPECT_EQ(refusal(Method::Post, "/organisations", future), "complete_on:not-in-future");

  // A legal representative may not represent another 社团 (a 民非 is not counted).
  registered(group());
  EXPECT_EQ(refusal(Method::Post, "/organisations", group("汉滨区魔芋协会")),
            "legal_representative.citizen_id:one-group-per-representative");
  EXPECT_EQ(refusal(Method::Post, "/organisations", group("汉滨区茶叶协会", "610902198808080018")),
            "name:unique-name");
}

TEST_F(SocialOrgsTest, TheSectorMinimumIsAPolicyParameterWithItsEffectiveDate) {
  context_.setPolicyValue("registration.pne.min_funds.elderly_care", "50000.00", day("2026-03-01"),
                          "61");
  EXPECT_EQ(refusal(Method::Post, "/organisations", pne()), "funds:minimum-funds");
  auto earlier = pne();
  earlier["complete_on"] = "2026-02-28";  // the old minimum was in force on that day
  EXPECT_EQ(context_.call(Method::Post, "/organisations", earlier).status, 201);
}

TEST_F(SocialOrgsTest, TheDecisionIsDueInSixtyDaysAndAssignsOrChecksTheCreditCode) {
  const auto created = context_.call(Method::Post, "/organisations", group());
  EXPECT_EQ(created.status, 201);
  EXPECT_EQ(created.body["decision_due"], "2026-05-01");
  EXPECT_EQ(created.body["status"], "applied");
  const std::int64_t id = created.body["id"];
  context_.setToday(day("2026-05-02"));
  auto overdue = context_.call(Method::Get, "/overdue").body["items"];
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0]["kind"], "decision");
  EXPECT_EQ(context_.indicator("overdue_decisions", "610902", day("2026-05-01"), day("2026-05-31")),
            1);

  context_.setCaller({"approver1", "approver", {"610902"}, {}});
  const std::string path = "/organisations/" + std::to_string(id) + "/decision";
  EXPECT_EQ(refusal(Method::Post, path, {{"decision", "register"}, {"uscc", "51410105501234568T"}}),
            "uscc:organisation_code");
  EXPECT_EQ(refusal(Method::Post, path, {{"decision", "register"}, {"uscc", "51410105501234569A"}}),
            "uscc:checksum");
  EXPECT_EQ(refusal(Method::Post, path, {{"decision", "register"}, {"uscc", "91350200MA2YJ1XR9G"}}),
            "uscc:uscc-registry");
  EXPECT_EQ(refusal(Method::Post, path, {{"decision", "refuse"}}),
            "refusal_ground:ground-required");
  const auto decided =
      context_.call(Method::Post, path, {{"decision", "register"}, {"uscc", "51410105501234569T"}});
  EXPECT_EQ(decided.body["uscc"], "51410105501234569T");
  EXPECT_EQ(decided.body["registered_on"], "2026-05-02");
  EXPECT_THROW(context_.call(Method::Post, path, {{"decision", "register"}}), sdk::Conflict);

  context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  const auto second = applied(pne());
  // Assigned: 5, type 2, the county, MJ and the county's sequence, both check characters.
  EXPECT_EQ(decide(second, {{"decision", "register"}})["uscc"], assignedUscc("pne", "610902", 1));
  const auto refused = applied(foundation());
  const auto answer =
      decide(refused, {{"decision", "refuse"}, {"refusal_ground", "similar_exists"}});
  EXPECT_EQ(answer["status"], "refused");
  EXPECT_TRUE(answer["uscc"].is_null());
}

TEST_F(SocialOrgsTest, ListsSearchAndTownshipScope) {
  registered(group());
  registered(pne());
  applied(foundation());
  EXPECT_EQ(context_.call(Method::Get, "/organisations").body["total"], 3);
  EXPECT_EQ(context_.call(Method::Get, "/organisations?type=pne").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/organisations?status=registered").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/organisations?rural_association=true").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/organisations?name=%E8%8C%B6").body["total"], 1);  // 茶
  const auto code = assignedUscc("group", "610902", 1);
  EXPECT_EQ(context_.call(Method::Get, "/organisations?uscc=" + code).body["total"], 1);
  const auto first = context_.call(Method::Get, "/organisations?limit=2");
  EXPECT_EQ(first.body["items"].size(), 2u);
  EXPECT_EQ(sorted(everyItem(context_, "/organisations?limit=1", 3)).size(), 3u);
  // A township-scoped clerk sees and acts on its own township's only.
  context_.setCaller({"clerk2", "clerk", {"610902"}, {}, {"老城街道"}});
  EXPECT_EQ(context_.call(Method::Get, "/organisations").body["total"], 1);
  EXPECT_THROW(
      context_.call(Method::Post, "/organisations", group("汉滨区蚕桑协会", "610902198808080018")),
      sdk::Error);
  EXPECT_THROW(context_.call(Method::Get, "/organisations/1"), sdk::Error);
}

TEST_F(SocialOrgsTest, CorrectionsApplyTheConditionsAgainAndAreAuditedWithOldAndNewValues) {
  const auto id = registered(group());
  const std::string path = "/organisations/" + std::to_string(id);
  EXPECT_EQ(refusal(Method::Patch, path, {{"individual_members", 10}}),
            "individual_members:member-count");
  EXPECT_EQ(refusal(Method::Patch, path, {{"name", "全国茶叶协会"}}), "name:local-name-prefix");
  EXPECT_EQ(refusal(Method::Patch, path, {{"address", "汉滨区江北街道1号"}}), "address:unchanged");
  EXPECT_EQ(refusal(Method::Patch, path, {{"first_activity_on", "2026-03-03"}}),
            "first_activity_on:activity-after-registration");
  const auto corrected =
      context_.call(Method::Patch, path, {{"address", "汉滨区江北街道8号"}, {"funds", "50000.5"}});
  EXPECT_EQ(corrected.body["address"], "汉滨区江北街道8号");
  EXPECT_EQ(corrected.body["funds"], "50000.50");
  std::string changes;
  context_.db() << "SELECT summary FROM civ_audit WHERE action = 'organisation.correct'",
      soci::into(changes);
  const auto audited = json::parse(changes);
  EXPECT_EQ(audited["address"]["old"], "汉滨区江北街道1号");
  EXPECT_EQ(audited["address"]["new"], "汉滨区江北街道8号");
  EXPECT_EQ(audited["funds"]["old"], "30000.00");
  EXPECT_EQ(audited["funds"]["new"], "50000.50");
}

TEST_F(SocialOrgsTest, InspectionsWithExemptionRectificationAndTheTwoYearRule) {
  context_.setToday(day("2023-03-01"));
  auto older = pne();
  older["name"] = "汉滨区启明学校";
  older["sector"] = "education";
  const auto old_pne = registered(older);
  context_.setToday(day("2025-07-01"));
  const auto new_pne = registered(pne());  // less than six months before 2025-12-31
  context_.setToday(day("2026-04-10"));

  const std::string exempt_path = "/organisations/" + std::to_string(new_pne) + "/inspections";
  json inspection = {{"year", 2025},
                     {"sponsor_submitted_on", "2026-03-20"},
                     {"submitted_on", "2026-04-01"},
                     {"result", "failed"}};
  EXPECT_EQ(refusal(Method::Post, exempt_path, inspection), "year:not-owed");
  inspection["year"] = 2026;
  EXPECT_EQ(refusal(Method::Post, exempt_path, inspection), "year:past-year");

  // 2023 and 2024 were owed and never submitted: the two-year rule (撤销登记) applies.
  const auto detail = context_.call(Method::Get, "/organisations/" + std::to_string(old_pne));
  EXPECT_EQ(detail.body["revocation"]["two_year_rule_year"], 2024);
  const std::string path = "/organisations/" + std::to_string(old_pne) + "/inspections";
  inspection["year"] = 2025;
  json no_sponsor = inspection;
  no_sponsor.erase("sponsor_submitted_on");
  EXPECT_EQ(refusal(Method::Post, path, no_sponsor), "sponsor_submitted_on:sponsor-first");
  const auto recorded = context_.call(Method::Post, path, inspection);
  EXPECT_EQ(recorded.status, 201);
  EXPECT_EQ(recorded.body["sponsor_due"], "2026-03-31");
  EXPECT_EQ(recorded.body["registry_due"], "2026-05-31");
  EXPECT_EQ(recorded.body["late"], false);
  EXPECT_EQ(recorded.body["rectify_due"], "2026-07-10");
  EXPECT_EQ(refusal(Method::Post, path, inspection), "year:one-per-year");
  EXPECT_EQ(
      context_.indicator("inspections_failed", "610902", day("2026-01-01"), day("2026-12-31")), 1);
  EXPECT_EQ(context_.call(Method::Get, "/inspections?year=2025&unrectified=true").body["total"], 1);

  context_.setToday(day("2026-07-11"));
  std::set<std::string> kinds;
  const auto overdue = context_.call(Method::Get, "/overdue").body["items"];
  for (const auto& item : overdue) kinds.insert(item["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"rectification", "two_year_rule"}));
  const std::string rectify =
      "/inspections/" + std::to_string(recorded.body["id"].get<std::int64_t>()) + "/rectification";
  EXPECT_EQ(refusal(Method::Post, rectify, {{"rectified_on", "2026-07-12"}}),
            "rectified_on:date-range");
  EXPECT_EQ(
      context_.call(Method::Post, rectify, {{"rectified_on", "2026-07-11"}}).body["rectified_on"],
      "2026-07-11");
  EXPECT_EQ(refusal(Method::Post, rectify, {{"rectified_on", "2026-07-11"}}),
            "rectified_on:awaiting-rectification");
}

TEST_F(SocialOrgsTest, AFoundationReportsToTheRegistryOnlyByMarch) {
  context_.setToday(day("2024-05-01"));
  const auto id = registered(foundation());
  context_.setToday(day("2025-04-01"));
  const std::string path = "/organisations/" + std::to_string(id) + "/inspections";
  json body = {{"year", 2024},
               {"sponsor_submitted_on", "2025-03-01"},
               {"submitted_on", "2025-04-01"},
               {"result", "passed"}};
  EXPECT_EQ(refusal(Method::Post, path, body), "sponsor_submitted_on:no-sponsor-step");
  body.erase("sponsor_submitted_on");
  const auto recorded = context_.call(Method::Post, path, body);
  EXPECT_EQ(recorded.body["registry_due"], "2025-03-31");
  EXPECT_EQ(recorded.body["late"], true);
  EXPECT_TRUE(recorded.body["rectify_due"].is_null());
}

TEST_F(SocialOrgsTest, ASocialGroupInactiveForAYearIsListedUntilItsFirstActivity) {
  context_.setToday(day("2025-03-02"));
  const auto id = registered(group());
  context_.setToday(day("2026-03-01"));
  EXPECT_TRUE(context_.call(Method::Get, "/overdue").body["items"].empty());
  context_.setToday(day("2026-03-02"));
  const auto items = context_.call(Method::Get, "/overdue").body["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["kind"], "inactive");
  EXPECT_EQ(items[0]["due"], "2026-03-02");
  context_.call(Method::Patch, "/organisations/" + std::to_string(id),
                {{"first_activity_on", "2025-06-01"}});
  EXPECT_TRUE(context_.call(Method::Get, "/overdue").body["items"].empty());
}

TEST_F(SocialOrgsTest, LiquidationThenDeregistrationWithinFifteenDaysAndTheAnnouncement) {
  context_.setToday(day("2024-01-10"));
  const auto id = registered(group());
  registered(pne());
  context_.setToday(day("2026-03-02"));
  context_.call(Method::Patch, "/organisations/" + std::to_string(id),
                {{"first_activity_on", "2024-02-01"}});
  const std::string base = "/organisations/" + std::to_string(id);
  context_.setCaller({"approver1", "approver", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, base + "/deregistration", {{"announced_on", "2026-03-02"}}),
            "id:liquidated-first");
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, base + "/liquidation", {{"ended_on", "2026-03-03"}}),
            "ended_on:date-range");
  const auto liquidating =
      context_.call(Method::Post, base + "/liquidation", {{"ended_on", "2026-03-02"}});
  EXPECT_EQ(liquidating.body["status"], "liquidating");
  EXPECT_EQ(liquidating.body["deregistration_due"], "2026-03-17");
  context_.setToday(day("2026-03-18"));
  const auto overdue = context_.call(Method::Get, "/overdue").body["items"];
  ASSERT_FALSE(overdue.empty());
  EXPECT_EQ(overdue[0]["kind"], "deregistration");
  EXPECT_EQ(
      context_.indicator("overdue_deregistrations", "610902", day("2026-03-01"), day("2026-03-31")),
      1);
  context_.setCaller({"approver1", "approver", {"610902"}, {}});
  EXPECT_EQ(refusal(Method::Post, base + "/deregistration", {{"announced_on", "2026-03-17"}}),
            "announced_on:announcement-date");
  const auto done =
      context_.call(Method::Post, base + "/deregistration", {{"announced_on", "2026-03-20"}});
  EXPECT_EQ(done.body["status"], "deregistered");
  EXPECT_EQ(done.body["deregistered_on"], "2026-03-18");
  EXPECT_EQ(context_.indicator("deregistered", "610902", day("2026-01-01"), day("2026-12-31")), 1);
  EXPECT_EQ(
      context_.indicator("organisations_group", "610902", day("2026-01-01"), day("2026-12-31")), 0);
  EXPECT_EQ(context_.indicator("organisations_pne", "610902", day("2026-01-01"), day("2026-12-31")),
            1);
  const auto by_township = indicatorByTownship(context_, "organisations_pne", "610902",
                                               day("2026-01-01"), day("2026-12-31"));
  EXPECT_EQ(by_township.at("老城街道"), 1);
}

}  // namespace
}  // namespace civ::plugins::social_orgs

namespace civ::plugins::social_orgs {
namespace {

TEST_F(SocialOrgsTest, AGradeExpiresAfterFiveYearsAndADowngradeBarsANewApplicationForTwo) {
  context_.setToday(day("2022-01-03"));
  const auto id = registered(foundation());
  const std::string base = "/organisations/" + std::to_string(id);
  const auto approver = [&] { context_.setCaller({"approver1", "approver", {"610902"}, {}}); };
  const auto inspect = [&](int year) {  // the foundation's papers, in on 20 March
    context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
    const auto on = *sdk::Date::fromParts(year + 1, 3, 20);
    context_.setToday(on);
    context_.call(Method::Post, base + "/inspections",
                  {{"year", year}, {"submitted_on", on.toString()}, {"result", "passed"}});
    approver();
  };
  const auto grade = [&](json body) { return refusal(Method::Post, base + "/grades", body); };
  inspect(2022);
  inspect(2023);
  EXPECT_EQ(grade({{"action", "downgrade"}, {"grade", 2}}), "action:grade-in-force");
  EXPECT_EQ(grade({{"action", "award"}}), "grade:grade-required");
  context_.setToday(day("2024-01-02"));  // one day short of two full years
  EXPECT_EQ(grade({{"action", "award"}, {"grade", 4}}), "applied_on:registered-two-years");
  context_.setToday(day("2024-03-21"));
  const auto awarded =
      context_.call(Method::Post, base + "/grades", {{"action", "award"}, {"grade", 4}});
  EXPECT_EQ(awarded.status, 201);
  EXPECT_EQ(awarded.body["valid_until"], "2029-03-20");
  auto detail = context_.call(Method::Get, base).body["grade"];
  EXPECT_EQ(detail["grade"], 4);
  EXPECT_EQ(detail["priority_purchase"], true);
  EXPECT_EQ(detail["simpler_inspection"], true);

  // Downgraded to 3A in 2025: still priority, no simpler inspection; the same end date.
  inspect(2024);
  context_.setToday(day("2025-04-01"));
  EXPECT_EQ(grade({{"action", "downgrade"}, {"grade", 4}}), "grade:lower-than-current");
  const auto downgraded =
      context_.call(Method::Post, base + "/grades", {{"action", "downgrade"}, {"grade", 3}});
  EXPECT_EQ(downgraded.body["valid_until"], "2029-03-20");
  detail = context_.call(Method::Get, base).body["grade"];
  EXPECT_EQ(detail["grade"], 3);
  EXPECT_EQ(detail["priority_purchase"], true);
  EXPECT_EQ(detail["simpler_inspection"], false);
  // No new application within two years of the downgrade.
  inspect(2025);
  inspect(2026);
  context_.setToday(day("2027-03-31"));
  EXPECT_EQ(grade({{"action", "award"}, {"grade", 5}}), "grade:downgrade-bar");
  context_.setToday(day("2027-04-01"));
  EXPECT_EQ(context_.call(Method::Post, base + "/grades", {{"action", "award"}, {"grade", 5}})
                .body["valid_until"],
            "2032-03-31");
  // A cancellation ends the grade and bars a new one for three years.
  EXPECT_EQ(grade({{"action", "cancel"}, {"grade", 1}}), "grade:no-grade-on-cancel");
  context_.call(Method::Post, base + "/grades", {{"action", "cancel"}});
  EXPECT_TRUE(context_.call(Method::Get, base).body["grade"]["grade"].is_null());
  inspect(2027);
  inspect(2028);
  inspect(2029);
  context_.setToday(day("2030-03-31"));
  EXPECT_EQ(grade({{"action", "award"}, {"grade", 5}}), "grade:cancellation-bar");
  context_.setToday(day("2030-04-01"));
  EXPECT_EQ(
      context_.call(Method::Post, base + "/grades", {{"action", "award"}, {"grade", 2}}).status,
      201);
  EXPECT_EQ(context_.call(Method::Get, "/grades?action=award").body["total"], 3);
  EXPECT_EQ(context_.indicator("grades_awarded", "610902", day("2024-01-01"), day("2024-12-31")),
            1);
}

TEST_F(SocialOrgsTest, AGradeExpiresFiveYearsAfterItsAward) {
  context_.setToday(day("2020-01-02"));
  const auto id = registered(foundation());
  const std::string base = "/organisations/" + std::to_string(id);
  for (int year : {2020, 2021}) {
    const auto on = *sdk::Date::fromParts(year + 1, 3, 20);
    context_.setToday(on);
    context_.call(Method::Post, base + "/inspections",
                  {{"year", year}, {"submitted_on", on.toString()}, {"result", "passed"}});
  }
  context_.setCaller({"approver1", "approver", {"610902"}, {}});
  context_.call(Method::Post, base + "/grades", {{"action", "award"}, {"grade", 3}});
  context_.setToday(day("2027-03-19"));
  EXPECT_EQ(context_.call(Method::Get, base).body["grade"]["grade"], 3);
  context_.setToday(day("2027-03-20"));
  EXPECT_TRUE(context_.call(Method::Get, base).body["grade"]["grade"].is_null());
}

}  // namespace
}  // namespace civ::plugins::social_orgs

namespace civ::plugins::social_orgs {
namespace {

TEST_F(SocialOrgsTest, TheOverdueQueueIsReadInTheSameStatementsWhateverItsOrganisations) {
  // Each organisation registered in 2024, on the abnormal list and with its 2024 inspection
  // failed and not rectified: every check of the queue has rows to read for each of them.
  const auto add = [&](int n) {
    context_.setToday(day("2024-01-05"));
    const std::string name = "汉滨区茶叶协会" + std::to_string(n);
    const auto id = registered(group(name.c_str(), citizenId("19700101", 10 + 2 * n).c_str()));
    const std::string base = "/organisations/" + std::to_string(id);
    context_.setToday(day("2025-04-10"));
    EXPECT_EQ(context_
                  .call(Method::Post, base + "/inspections",
                        {{"year", 2024},
                         {"sponsor_submitted_on", "2025-03-20"},
                         {"submitted_on", "2025-04-01"},
                         {"result", "failed"}})
                  .status,
              201);
    context_.setCaller({"approver1", "approver", {"610902"}, {}});
    EXPECT_EQ(
        context_
            .call(Method::Post, base + "/listings",
                  {{"list", "abnormal"}, {"cause", "unreachable"}, {"cause_on", "2025-04-10"}})
            .status,
        201);
    context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  };
  const auto read = [&](int* statements) {
    context_.setToday(day("2027-06-01"));
    StatementCounter counter(context_.db());
    const auto items = context_.call(Method::Get, "/overdue").body["items"];
    *statements = counter.count();
    std::set<std::string> kinds;
    for (const auto& item : items) kinds.insert(item["kind"].get<std::string>());
    return std::make_pair(kinds, counter.listing());
  };
  add(1);
  int with_one = 0, with_four = 0;
  const auto [kinds_one, sql_one] = read(&with_one);
  for (int n = 2; n <= 4; ++n) add(n);
  const auto [kinds_four, sql_four] = read(&with_four);
  EXPECT_EQ(with_one, with_four) << "one organisation:\n" << sql_one << "four:\n" << sql_four;
  // What the statements read still reaches the answer: the listing two years old, the
  // rectification owed, the 2026 inspection absent, no activity in the first year (a social
  // group: the two-year rule is for 民办非企业单位 only).
  const std::set<std::string> expected{"serious_listing", "rectification", "inspection",
                                       "inactive"};
  EXPECT_EQ(kinds_one, expected);
  EXPECT_EQ(kinds_four, expected);
}

TEST_F(SocialOrgsTest, TheAbnormalListWithinFiveWorkingDaysThenTheSeriousListAfterTwoYears) {
  // 2026: 10-01..10-07 national day holiday, 10-10 (Saturday) a make-up working day.
  std::vector<sdk::Date> holidays;
  for (unsigned d = 1; d <= 7; ++d) holidays.push_back(*sdk::Date::fromParts(2026, 10, d));
  context_.mutableCalendar().addYear(2026, holidays, {day("2026-10-10")});
  context_.setToday(day("2026-01-05"));
  const auto id = registered(group());
  const std::string base = "/organisations/" + std::to_string(id);
  context_.setCaller({"approver1", "approver", {"610902"}, {}});
  context_.setToday(day("2026-10-12"));
  EXPECT_EQ(
      refusal(Method::Post, base + "/listings",
              {{"list", "abnormal"}, {"cause", "court_defaulter"}, {"cause_on", "2026-09-29"}}),
      "cause:abnormal-cause");
  EXPECT_EQ(refusal(Method::Post, base + "/listings",
                    {{"list", "abnormal"}, {"cause", "unreachable"}, {"cause_on", "2026-10-13"}}),
            "cause_on:not-in-future");
  EXPECT_EQ(
      refusal(Method::Post, base + "/listings",
              {{"list", "serious"}, {"cause", "abnormal_two_years"}, {"cause_on", "2026-10-12"}}),
      "cause:two-years-on-abnormal");
  // Cause on Tuesday 09-29: the 5th working day is 10-12 (the holiday skipped, 10-10 worked).
  const auto listed =
      context_.call(Method::Post, base + "/listings",
                    {{"list", "abnormal"}, {"cause", "unreachable"}, {"cause_on", "2026-09-29"}});
  EXPECT_EQ(listed.status, 201);
  EXPECT_EQ(listed.body["entry_due"], "2026-10-12");
  EXPECT_EQ(listed.body["late"], false);
  EXPECT_EQ(
      refusal(Method::Post, base + "/listings",
              {{"list", "abnormal"}, {"cause", "no_annual_report"}, {"cause_on", "2026-10-12"}}),
      "list:already-listed");
  context_.setToday(day("2028-10-11"));
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  auto kinds = [&] {
    std::set<std::string> found;
    const auto items = context_.call(Method::Get, "/overdue").body["items"];
    for (const auto& item : items) found.insert(item["kind"].get<std::string>());
    return found;
  };
  EXPECT_EQ(kinds().count("serious_listing"), 0u);
  context_.setToday(day("2028-10-12"));
  EXPECT_EQ(kinds().count("serious_listing"), 1u);
  context_.setCaller({"approver1", "approver", {"610902"}, {}});
  EXPECT_EQ(
      refusal(Method::Post, base + "/listings",
              {{"list", "serious"}, {"cause", "abnormal_two_years"}, {"cause_on", "2028-10-11"}}),
      "cause:two-years-on-abnormal");
  EXPECT_EQ(
      context_
          .call(Method::Post, base + "/listings",
                {{"list", "serious"}, {"cause", "abnormal_two_years"}, {"cause_on", "2028-10-12"}})
          .status,
      201);
  context_.setCaller({"clerk1", "clerk", {"610902"}, {}});
  EXPECT_EQ(kinds().count("serious_listing"), 0u);
  EXPECT_EQ(context_.call(Method::Get, "/listings?list=serious").body["total"], 1);
}

}  // namespace
}  // namespace civ::plugins::social_orgs

namespace civ::plugins::social_orgs {
namespace {

// --- Administrative penalties and bans -------------------------------------------------------

class PenaltyTest : public SocialOrgsTest {
 protected:
  void approver(const char* user = "approver1") {
    context_.setCaller({user, "approver", {"610902"}, {}});
  }
  void clerk() { context_.setCaller({"clerk1", "clerk", {"610902"}, {}}); }

  /// A case filed by the clerk on the organisation today; its id.
  std::int64_t opened(std::int64_t organisation, const char* ground = "profit_making") {
    clerk();
    const auto answer =
        context_.call(Method::Post, "/organisations/" + std::to_string(organisation) + "/penalties",
                      {{"ground", ground}, {"facts", "以协会名义收取会员培训费"}});
    EXPECT_EQ(answer.status, 201);
    return answer.body["id"];
  }

  std::string path(std::int64_t penalty, const char* tail = "") {
    return "/penalties/" + std::to_string(penalty) + tail;
  }

  std::string audited(const char* action) {
    std::string changes;
    const std::string named = action;  // SOCI runs the statement after a temporary is gone
    context_.db() << "SELECT summary FROM civ_audit WHERE action = :a ORDER BY id DESC LIMIT 1",
        soci::into(changes), soci::use(named);
    return changes;
  }
};

TEST_F(PenaltyTest, ACaseIsDecidedWithinNinetyDaysOrListedAsOverdue) {
  const auto org = registered(group());
  clerk();
  const std::string cases = "/organisations/" + std::to_string(org) + "/penalties";
  EXPECT_EQ(refusal(Method::Post, cases,
                    {{"ground", "beyond_scope"}, {"facts", "x"}, {"opened_on", "2026-03-03"}}),
            "opened_on:date-range");
  EXPECT_EQ(refusal(Method::Post, cases,
                    {{"ground", "beyond_scope"}, {"facts", "x"}, {"opened_on", "2026-03-01"}}),
            "opened_on:date-range");  // before the registration (2026-03-02)
  const auto id = opened(org);
  const auto filed =
      context_.call(Method::Get, "/penalties?organisation_id=" + std::to_string(org));
  ASSERT_EQ(filed.body["total"], 1);
  EXPECT_EQ(filed.body["items"][0]["decision_due"], "2026-05-31");
  EXPECT_EQ(filed.body["items"][0]["status"], "open");
  EXPECT_EQ(filed.body["items"][0]["opened_by"], "clerk1");

  context_.setToday(day("2026-05-31"));
  EXPECT_TRUE(context_.call(Method::Get, "/overdue").body["items"].empty());
  EXPECT_EQ(context_.call(Method::Get, "/penalties?overdue=true").body["total"], 0);
  context_.setToday(day("2026-06-01"));
  const auto overdue = context_.call(Method::Get, "/overdue").body["items"];
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0]["kind"], "penalty_decision");
  EXPECT_EQ(overdue[0]["due"], "2026-05-31");
  EXPECT_EQ(overdue[0]["organisation_id"], org);
  EXPECT_EQ(context_.call(Method::Get, "/penalties?overdue=true").body["total"], 1);
  EXPECT_EQ(context_.indicator("overdue_penalties", "610902", day("2026-06-01"), day("2026-06-30")),
            1);
  EXPECT_EQ(context_.indicator("overdue_penalties", "610902", day("2026-05-01"), day("2026-05-31")),
            0);

  // The user who filed the case does not decide it, even as an approver.
  approver("clerk1");
  EXPECT_THROW(context_.call(Method::Post, path(id, "/decision"), {{"kind", "warning"}}),
               sdk::Forbidden);
  approver();
  const auto decided = context_.call(Method::Post, path(id, "/decision"), {{"kind", "warning"}});
  EXPECT_EQ(decided.body["status"], "decided");
  EXPECT_EQ(decided.body["decided_on"], "2026-06-01");
  EXPECT_EQ(decided.body["late"], true);
  EXPECT_EQ(decided.body["decided_by"], "approver1");
  EXPECT_THROW(context_.call(Method::Post, path(id, "/decision"), {{"kind", "warning"}}),
               sdk::Conflict);
  EXPECT_TRUE(context_.call(Method::Get, "/overdue").body["items"].empty());
  EXPECT_EQ(context_.indicator("penalties", "610902", day("2026-06-01"), day("2026-06-30")), 1);
  EXPECT_EQ(context_.call(Method::Get, "/penalties?kind=warning&status=decided").body["total"], 1);
}

TEST_F(PenaltyTest, AFineWithinItsMultiplesAfterTheHearingNoticeAndTheHearing) {
  const auto org = registered(group());
  const auto id = opened(org);
  approver();
  const json fine = {{"kind", "fine"}, {"fine", "60000.00"}, {"illegal_turnover", "20000.00"}};
  // 60000 is a large amount (≥ 50000): the party is told of its right to a hearing first.
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"), fine), "kind:hearing-notice");
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"),
                    {{"kind", "fine"}, {"fine", "60000.01"}, {"illegal_turnover", "20000.00"}}),
            "fine:fine-range");
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"),
                    {{"kind", "fine"}, {"fine", "19999.99"}, {"illegal_turnover", "20000.00"}}),
            "fine:fine-range");
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"), {{"kind", "fine"}, {"fine", "100.00"}}),
            "illegal_turnover:fine-base");
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"), {{"kind", "warning"}, {"fine", "100.00"}}),
            "fine:fine-only");

  clerk();
  EXPECT_EQ(refusal(Method::Post, path(id, "/hearing"), {{"notified_on", "2026-03-03"}}),
            "notified_on:date-range");
  EXPECT_EQ(refusal(Method::Post, path(id, "/hearing"),
                    {{"notified_on", "2026-03-02"}, {"held_on", "2026-03-02"}}),
            "held_on:requested-first");
  const auto notice =
      context_.call(Method::Post, path(id, "/hearing"), {{"notified_on", "2026-03-02"}});
  // Five working days (行政处罚法 §85): Monday 03-02 + 5 = Monday 03-09.
  EXPECT_EQ(notice.body["hearing_request_deadline"], "2026-03-09");
  EXPECT_EQ(notice.body["hearing_requested"], false);
  EXPECT_EQ(refusal(Method::Post, path(id, "/hearing"), {{"notified_on", "2026-03-02"}}),
            "notified_on:unchanged");
  approver();
  context_.setToday(day("2026-03-09"));  // the five working days to ask are still open
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"), fine), "kind:hearing-window");
  clerk();
  context_.setToday(day("2026-03-10"));
  EXPECT_EQ(refusal(Method::Post, path(id, "/hearing"),
                    {{"notified_on", "2026-03-02"}, {"requested_on", "2026-03-10"}}),
            "requested_on:request-within-five-days");
  context_.call(Method::Post, path(id, "/hearing"),
                {{"notified_on", "2026-03-02"}, {"requested_on", "2026-03-06"}});
  approver();
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"), fine), "kind:hearing-held");
  clerk();
  context_.setToday(day("2026-03-17"));
  // Seven working days' notice of the hearing: after a request on Friday 03-06, 03-17 at the
  // earliest.
  EXPECT_EQ(refusal(Method::Post, path(id, "/hearing"),
                    {{"notified_on", "2026-03-02"},
                     {"requested_on", "2026-03-06"},
                     {"held_on", "2026-03-16"}}),
            "held_on:seven-days-notice");
  // The request recorded before is kept when the hearing is recorded without it.
  const auto held = context_.call(Method::Post, path(id, "/hearing"),
                                  {{"notified_on", "2026-03-02"}, {"held_on", "2026-03-17"}});
  EXPECT_EQ(held.body["hearing_requested"], true);
  EXPECT_EQ(held.body["hearing_requested_on"], "2026-03-06");
  const auto hearing_audit = json::parse(audited("penalty.hearing"));
  EXPECT_TRUE(hearing_audit["hearing_held_on"]["old"].is_null());
  EXPECT_EQ(hearing_audit["hearing_held_on"]["new"], "2026-03-17");
  approver();
  const auto decided = context_.call(Method::Post, path(id, "/decision"), fine);
  EXPECT_EQ(decided.body["fine"], "60000.00");
  EXPECT_EQ(decided.body["illegal_turnover"], "20000.00");
  EXPECT_EQ(decided.body["late"], false);
  EXPECT_EQ(context_.indicator("penalty_fines", "610902", day("2026-03-01"), day("2026-03-31")),
            6000000);
  clerk();
  EXPECT_EQ(refusal(Method::Post, path(id, "/hearing"), {{"notified_on", "2026-03-03"}}),
            "id:undecided-case");

  // A fine below the large amount needs no hearing notice.
  const auto small = opened(org, "unlawful_charges");
  approver();
  const auto answer = context_.call(Method::Post, path(small, "/decision"),
                                    {{"kind", "fine"},
                                     {"fine", "15000.50"},
                                     {"illegal_income", "5000.10"},
                                     {"confiscated", "5000.10"}});
  EXPECT_EQ(answer.body["fine"], "15000.50");
  EXPECT_EQ(answer.body["confiscated"], "5000.10");
  EXPECT_EQ(context_.indicator("penalty_fines", "610902", day("2026-03-01"), day("2026-03-31")),
            7500050);
}

TEST_F(PenaltyTest, ARevocationEndsTheRegistrationAndAPenaltyLastYearBarsAGrade) {
  context_.setToday(day("2022-01-03"));
  const auto org = registered(foundation());
  const auto inspect = [&](int year) {
    clerk();
    const auto on = *sdk::Date::fromParts(year + 1, 3, 20);
    context_.setToday(on);
    context_.call(Method::Post, "/organisations/" + std::to_string(org) + "/inspections",
                  {{"year", year}, {"submitted_on", on.toString()}, {"result", "passed"}});
  };
  for (int year : {2022, 2023, 2024}) inspect(year);
  context_.setToday(day("2025-06-02"));
  const auto warning = opened(org, "refused_supervision");
  approver();
  context_.call(Method::Post, path(warning, "/decision"), {{"kind", "warning"}});
  inspect(2025);
  approver();
  context_.setToday(day("2026-04-01"));
  EXPECT_EQ(refusal(Method::Post, "/organisations/" + std::to_string(org) + "/grades",
                    {{"action", "award"}, {"grade", 3}}),
            "penalties:no-penalty-last-year");
  context_.setToday(day("2027-01-04"));
  clerk();
  context_.call(Method::Post, "/organisations/" + std::to_string(org) + "/inspections",
                {{"year", 2026}, {"submitted_on", "2027-01-04"}, {"result", "passed"}});
  approver();
  EXPECT_EQ(context_
                .call(Method::Post, "/organisations/" + std::to_string(org) + "/grades",
                      {{"action", "award"}, {"grade", 3}})
                .status,
            201);

  const auto revocation = opened(org, "misused_assets");
  approver();
  EXPECT_EQ(refusal(Method::Post, path(revocation, "/decision"), {{"kind", "revocation"}}),
            "kind:hearing-notice");
  clerk();
  context_.call(Method::Post, path(revocation, "/hearing"), {{"notified_on", "2027-01-04"}});
  context_.setToday(day("2027-01-12"));  // the party did not ask within five working days
  approver();
  const auto decided =
      context_.call(Method::Post, path(revocation, "/decision"), {{"kind", "revocation"}});
  EXPECT_EQ(decided.body["kind"], "revocation");
  const auto organisation = context_.call(Method::Get, "/organisations/" + std::to_string(org));
  EXPECT_EQ(organisation.body["status"], "revoked");
  EXPECT_EQ(organisation.body["revoked_on"], "2027-01-12");
  EXPECT_EQ(organisation.body["deregistered_on"], "2027-01-12");
  EXPECT_EQ(context_.call(Method::Get, "/organisations?status=revoked").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/organisations?status=deregistered").body["total"], 0);
  const auto revoked_audit = json::parse(audited("organisation.revoke"));
  EXPECT_EQ(revoked_audit["status"]["old"], "registered");
  EXPECT_EQ(revoked_audit["status"]["new"], "revoked");
  EXPECT_EQ(context_.indicator("revoked", "610902", day("2027-01-01"), day("2027-12-31")), 1);
  EXPECT_EQ(context_.indicator("deregistered", "610902", day("2027-01-01"), day("2027-12-31")), 0);
  EXPECT_EQ(context_.indicator("organisations_foundation", "610902", day("2027-01-01"),
                               day("2027-12-31")),
            0);
  // A revoked organisation has no registration left to penalise.
  clerk();
  EXPECT_EQ(refusal(Method::Post, "/organisations/" + std::to_string(org) + "/penalties",
                    {{"ground", "other"}, {"facts", "x"}}),
            "id:registered-organisation");
}

TEST_F(PenaltyTest, ASuspensionHasItsDatesAndACorrectionMovesTheDueDay) {
  const auto org = registered(group());
  context_.setToday(day("2026-04-01"));
  const auto id = opened(org);
  EXPECT_EQ(refusal(Method::Patch, path(id), {{"opened_on", "2026-03-01"}}),
            "opened_on:date-range");
  EXPECT_EQ(refusal(Method::Patch, path(id), {{"ground", "profit_making"}}), "ground:unchanged");
  EXPECT_EQ(refusal(Method::Patch, path(id), json::object()), "(body):at-least-one");
  const auto corrected =
      context_.call(Method::Patch, path(id), {{"opened_on", "2026-03-20"}, {"facts", "更正事实"}});
  EXPECT_EQ(corrected.body["decision_due"], "2026-06-18");
  const auto changes = json::parse(audited("penalty.correct"));
  EXPECT_EQ(changes["opened_on"]["old"], "2026-04-01");
  EXPECT_EQ(changes["opened_on"]["new"], "2026-03-20");
  EXPECT_EQ(changes["decision_due"]["old"], "2026-06-30");
  EXPECT_EQ(changes["decision_due"]["new"], "2026-06-18");
  context_.call(Method::Post, path(id, "/hearing"), {{"notified_on", "2026-04-01"}});
  // Five working days from Wednesday 04-01 across 清明 (04-04..04-06): to 04-08.
  context_.setToday(day("2026-04-09"));
  approver();
  EXPECT_EQ(refusal(Method::Post, path(id, "/decision"),
                    {{"kind", "suspension"},
                     {"suspended_from", "2026-04-08"},
                     {"suspended_until", "2026-07-06"}}),
            "suspended_from:suspension-dates");
  const auto decided = context_.call(Method::Post, path(id, "/decision"),
                                     {{"kind", "suspension"},
                                      {"suspended_from", "2026-04-09"},
                                      {"suspended_until", "2026-07-06"}});
  EXPECT_EQ(decided.body["suspended_until"], "2026-07-06");
  EXPECT_EQ(context_.call(Method::Get, "/organisations/" + std::to_string(org)).body["status"],
            "registered");
}

TEST_F(PenaltyTest, BansOfIllegalOrganisationsAreRecordedListedAndCorrected) {
  registered(group());
  const json ban = {{"name", "汉滨区国学研究会"},
                    {"acted_as", "group"},
                    {"ground", "unregistered"},
                    {"persons_in_charge", "赵六"},
                    {"address", "汉滨区老城街道9号"},
                    {"township", "老城街道"},
                    {"facts", "未经登记以社团名义收取会费"},
                    {"decided_on", "2026-03-02"}};
  approver();
  auto future = ban;
  future["decided_on"] = "2026-03-03";
  EXPECT_EQ(refusal(Method::Post, "/bans", future), "decided_on:not-in-future");
  auto registered_name = ban;
  registered_name["name"] = "汉滨区茶叶协会";
  EXPECT_EQ(refusal(Method::Post, "/bans", registered_name), "name:registered-organisation");
  const auto created = context_.call(Method::Post, "/bans", ban);
  EXPECT_EQ(created.status, 201);
  auto other = ban;
  other["name"] = "汉滨区易经协会";
  other["township"] = "江北街道";
  other["ground"] = "beyond_preparation";
  context_.call(Method::Post, "/bans", other);
  EXPECT_EQ(context_.call(Method::Get, "/bans").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/bans?ground=unregistered").body["total"], 1);
  EXPECT_EQ(context_.call(Method::Get, "/bans?name=%E5%9B%BD%E5%AD%A6").body["total"], 1);  // 国学
  EXPECT_EQ(context_.call(Method::Get, "/bans?decided_from=2026-03-03").body["total"], 0);
  const auto by_township =
      indicatorByTownship(context_, "bans", "610902", day("2026-01-01"), day("2026-12-31"));
  EXPECT_EQ(by_township.at("老城街道"), 1);
  EXPECT_EQ(by_township.at("江北街道"), 1);
  EXPECT_EQ(context_.indicator("bans", "610902", day("2026-01-01"), day("2026-12-31")), 2);

  const std::string ban_path = "/bans/" + std::to_string(created.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Patch, ban_path, {{"persons_in_charge", "赵六"}}),
            "persons_in_charge:unchanged");
  const auto corrected =
      context_.call(Method::Patch, ban_path, {{"persons_in_charge", "赵六、钱七"}});
  EXPECT_EQ(corrected.body["persons_in_charge"], "赵六、钱七");
  const auto changes = json::parse(audited("ban.correct"));
  EXPECT_EQ(changes["persons_in_charge"]["old"], "赵六");

  // A township-scoped user sees its own township's bans only.
  context_.setCaller({"clerk2", "clerk", {"610902"}, {}, {"江北街道"}});
  EXPECT_EQ(context_.call(Method::Get, "/bans").body["total"], 1);
  context_.setCaller({"approver2", "approver", {"610902"}, {}, {"江北街道"}});
  EXPECT_THROW(context_.call(Method::Patch, ban_path, {{"facts", "x"}}), sdk::Error);
}

TEST_F(PenaltyTest, InspectionParticipationAndPassRatesInPermille) {
  context_.setToday(day("2024-03-01"));
  const auto tea = registered(group());
  const auto school = registered(pne());
  registered(foundation());
  context_.setToday(day("2025-04-10"));
  clerk();
  context_.call(Method::Post, "/organisations/" + std::to_string(tea) + "/inspections",
                {{"year", 2024},
                 {"sponsor_submitted_on", "2025-03-20"},
                 {"submitted_on", "2025-04-01"},
                 {"result", "passed"}});
  context_.call(Method::Post, "/organisations/" + std::to_string(school) + "/inspections",
                {{"year", 2024},
                 {"sponsor_submitted_on", "2025-03-20"},
                 {"submitted_on", "2025-04-01"},
                 {"result", "basic"}});
  // 2 of the 3 that owed the 2024 inspection: 666.7‰, half up 667; 1 of 2 results 合格: 500‰.
  EXPECT_EQ(context_.indicator("inspection_participation_permille", "610902", day("2025-01-01"),
                               day("2025-12-31")),
            667);
  EXPECT_EQ(context_.indicator("inspection_pass_permille", "610902", day("2025-01-01"),
                               day("2025-12-31")),
            500);
  const auto participation = indicatorByTownship(context_, "inspection_participation_permille",
                                                 "610902", day("2025-01-01"), day("2025-12-31"));
  EXPECT_EQ(participation.at("江北街道"), 1000);
  EXPECT_EQ(participation.at("新城街道"), 0);
  const auto pass = indicatorByTownship(context_, "inspection_pass_permille", "610902",
                                        day("2025-01-01"), day("2025-12-31"));
  EXPECT_EQ(pass.at("老城街道"), 0);
  EXPECT_EQ(pass.at("江北街道"), 1000);
  // Before the period, no result was recorded yet.
  EXPECT_EQ(context_.indicator("inspection_participation_permille", "610902", day("2025-01-01"),
                               day("2025-03-31")),
            0);
}

}  // namespace
}  // namespace civ::plugins::social_orgs

namespace civ::plugins::social_orgs {
namespace {

// --- Change registration, charter approval, filings ------------------------------------------

class ChangeTest : public PenaltyTest {};

TEST_F(ChangeTest, AChangeIsCheckedLikeARegistrationAndAppliedWhenApproved) {
  const auto org = registered(group());
  registered(group("汉滨区魔芋协会", "610902198808080018"));
  context_.setToday(day("2026-04-20"));
  clerk();
  const std::string changes = "/organisations/" + std::to_string(org) + "/changes";
  const json approved = {{"kind", "change"}, {"sponsor_approved_on", "2026-03-10"}};
  const auto with = [&](json items) {
    json body = approved;
    body["changes"] = std::move(items);
    return body;
  };
  EXPECT_EQ(refusal(Method::Post, changes, approved), "changes:at-least-one");
  EXPECT_EQ(refusal(Method::Post, changes,
                    {{"kind", "change"}, {"changes", {{"address", "汉滨区江北街道5号"}}}}),
            "sponsor_approved_on:sponsor-approval");
  auto late_approval = with({{"address", "汉滨区江北街道5号"}});
  late_approval["sponsor_approved_on"] = "2026-04-21";
  EXPECT_EQ(refusal(Method::Post, changes, late_approval),
            "sponsor_approved_on:approved-before-application");
  EXPECT_EQ(refusal(Method::Post, changes, with({{"name", "中国茶叶协会"}})),
            "name:local-name-prefix");
  EXPECT_EQ(refusal(Method::Post, changes, with({{"name", "汉滨区魔芋协会"}})),
            "changes.name:unique-name");
  EXPECT_EQ(refusal(Method::Post, changes,
                    with({{"legal_representative",
                           {{"citizen_id", "610902198808080018"}, {"name", "周八"}}}})),
            "legal_representative.citizen_id:one-group-per-representative");
  EXPECT_EQ(refusal(Method::Post, changes, with({{"address", "汉滨区江北街道1号"}})),
            "changes:unchanged");
  EXPECT_EQ(refusal(Method::Post, changes, with({{"funds", "29999.99"}})), "funds:minimum-funds");

  const auto applied = context_.call(
      Method::Post, changes,
      with({{"name", "汉滨区茶业协会"},
            {"legal_representative", {{"citizen_id", "610902197505050036"}, {"name", "王五"}}},
            {"funds", "45000"},
            {"business_scope", "茶叶种植技术推广"}}));
  ASSERT_EQ(applied.status, 201);
  EXPECT_EQ(applied.body["apply_due"], "2026-04-09");  // 30 days after the sponsor's approval
  EXPECT_EQ(applied.body["applied_late"], true);
  EXPECT_EQ(applied.body["decision_due"], "2026-05-20");
  EXPECT_EQ(applied.body["changes"]["funds"], "45000.00");
  const std::int64_t id = applied.body["id"];
  const std::string change = "/changes/" + std::to_string(id);

  context_.setToday(day("2026-05-21"));
  std::set<std::string> kinds;
  const auto overdue = context_.call(Method::Get, "/overdue").body["items"];
  for (const auto& item : overdue) kinds.insert(item["kind"].get<std::string>());
  EXPECT_EQ(kinds.count("change_decision"), 1u);
  EXPECT_EQ(context_.indicator("overdue_changes", "610902", day("2026-05-01"), day("2026-05-31")),
            1);
  EXPECT_EQ(context_.call(Method::Get, "/changes?overdue=true").body["total"], 1);

  approver();
  EXPECT_EQ(refusal(Method::Post, change + "/decision", {{"decision", "refuse"}}),
            "refusal_reason:reason-required");
  const auto decided = context_.call(Method::Post, change + "/decision", {{"decision", "approve"}});
  EXPECT_EQ(decided.body["status"], "approved");
  EXPECT_THROW(context_.call(Method::Post, change + "/decision", {{"decision", "approve"}}),
               sdk::Conflict);
  const auto organisation = context_.call(Method::Get, "/organisations/" + std::to_string(org));
  EXPECT_EQ(organisation.body["name"], "汉滨区茶业协会");
  EXPECT_EQ(organisation.body["funds"], "45000.00");
  EXPECT_EQ(organisation.body["business_scope"], "茶叶种植技术推广");
  EXPECT_EQ(organisation.body["legal_representative"]["citizen_id"], "610902197505050036");
  const auto audit = json::parse(audited("organisation.change"));
  EXPECT_EQ(audit["name"]["old"], "汉滨区茶叶协会");
  EXPECT_EQ(audit["name"]["new"], "汉滨区茶业协会");
  EXPECT_EQ(audit["funds"]["old"], "30000.00");
  EXPECT_EQ(audit["funds"]["new"], "45000.00");
  EXPECT_EQ(context_.indicator("changes_approved", "610902", day("2026-05-01"), day("2026-05-31")),
            1);
  clerk();
  EXPECT_EQ(refusal(Method::Patch, change, {{"applied_on", "2026-04-19"}}),
            "id:undecided-application");
}

TEST_F(ChangeTest, ACharterApprovalIsAppliedForCorrectedAndRefusedWithAReason) {
  const auto org = registered(group());
  context_.setToday(day("2026-04-01"));
  clerk();
  const std::string changes = "/organisations/" + std::to_string(org) + "/changes";
  EXPECT_EQ(
      refusal(Method::Post, changes, {{"kind", "charter"}, {"sponsor_approved_on", "2026-03-20"}}),
      "charter_note:charter-note-required");
  const auto applied = context_.call(Method::Post, changes,
                                     {{"kind", "charter"},
                                      {"charter_note", "理事会任期由四年改为五年"},
                                      {"sponsor_approved_on", "2026-03-20"}});
  EXPECT_EQ(applied.body["applied_late"], false);
  const std::string change = "/changes/" + std::to_string(applied.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Patch, change, {{"applied_on", "2026-04-02"}}),
            "applied_on:date-range");
  EXPECT_EQ(refusal(Method::Patch, change, {{"charter_note", "理事会任期由四年改为五年"}}),
            "charter_note:unchanged");
  const auto corrected = context_.call(Method::Patch, change, {{"applied_on", "2026-03-25"}});
  EXPECT_EQ(corrected.body["decision_due"], "2026-04-24");
  EXPECT_EQ(json::parse(audited("change.correct"))["applied_on"]["old"], "2026-04-01");
  approver();
  const auto refused =
      context_.call(Method::Post, change + "/decision",
                    {{"decision", "refuse"}, {"refusal_reason", "章程草案未经会员大会通过"}});
  EXPECT_EQ(refused.body["status"], "refused");
  EXPECT_EQ(context_.call(Method::Get, "/organisations/" + std::to_string(org)).body["name"],
            "汉滨区茶叶协会");
  EXPECT_EQ(context_.call(Method::Get, "/changes?kind=charter&status=refused").body["total"], 1);
}

TEST_F(ChangeTest, SealAndBankAccountFilingsAreRecordedListedAndCorrected) {
  const auto org = registered(group());
  context_.setToday(day("2026-03-10"));
  clerk();
  const std::string filings = "/organisations/" + std::to_string(org) + "/filings";
  EXPECT_EQ(refusal(Method::Post, filings,
                    {{"kind", "seal"}, {"description", "协会公章"}, {"filed_on", "2026-03-11"}}),
            "filed_on:date-range");
  EXPECT_EQ(refusal(Method::Post, filings,
                    {{"kind", "seal"}, {"description", "协会公章"}, {"filed_on", "2026-03-01"}}),
            "filed_on:date-range");
  const auto seal =
      context_.call(Method::Post, filings,
                    {{"kind", "seal"}, {"description", "协会公章"}, {"filed_on", "2026-03-05"}});
  EXPECT_EQ(seal.status, 201);
  context_.call(Method::Post, filings,
                {{"kind", "bank_account"},
                 {"description", "安康农商银行 6230123412341234"},
                 {"filed_on", "2026-03-06"}});
  EXPECT_EQ(
      context_.call(Method::Get, "/filings?organisation_id=" + std::to_string(org)).body["total"],
      2);
  EXPECT_EQ(context_.call(Method::Get, "/filings?kind=bank_account").body["total"], 1);
  const std::string path = "/filings/" + std::to_string(seal.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Patch, path, {{"description", "协会公章"}}), "description:unchanged");
  const auto corrected =
      context_.call(Method::Patch, path, {{"description", "协会公章、财务专用章"}});
  EXPECT_EQ(corrected.body["description"], "协会公章、财务专用章");
  EXPECT_EQ(json::parse(audited("filing.correct"))["description"]["old"], "协会公章");
}

}  // namespace
}  // namespace civ::plugins::social_orgs

namespace civ::plugins::social_orgs {
namespace {

// --- Removal from the credit lists; corrections of inspections, grades and listings -----------

class CorrectionTest : public PenaltyTest {};

TEST_F(CorrectionTest, ARemovalTakesTheOrganisationOffTheListAndAnEntryIsCorrected) {
  const auto org = registered(group());
  context_.setToday(day("2026-05-04"));
  approver();
  const auto listed =
      context_.call(Method::Post, "/organisations/" + std::to_string(org) + "/listings",
                    {{"list", "abnormal"}, {"cause", "unreachable"}, {"cause_on", "2026-04-20"}});
  EXPECT_EQ(listed.body["entry_due"], "2026-04-27");
  EXPECT_EQ(listed.body["late"], true);
  const std::string path = "/listings/" + std::to_string(listed.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Patch, path, {{"cause", "court_defaulter"}}), "cause:abnormal-cause");
  EXPECT_EQ(refusal(Method::Patch, path, {{"cause_on", "2026-05-05"}}), "cause_on:date-range");
  EXPECT_EQ(refusal(Method::Patch, path, {{"cause", "unreachable"}}), "cause:unchanged");
  const auto corrected = context_.call(Method::Patch, path, {{"cause_on", "2026-04-21"}});
  EXPECT_EQ(corrected.body["entry_due"], "2026-04-28");
  EXPECT_EQ(corrected.body["late"], true);
  EXPECT_EQ(json::parse(audited("listing.correct"))["cause_on"]["old"], "2026-04-20");

  EXPECT_EQ(refusal(Method::Post, path + "/removal",
                    {{"removed_on", "2026-05-03"}, {"reason", "已恢复联系"}}),
            "removed_on:date-range");
  const auto removed = context_.call(Method::Post, path + "/removal",
                                     {{"removed_on", "2026-05-04"}, {"reason", "已恢复联系"}});
  EXPECT_EQ(removed.body["removed_on"], "2026-05-04");
  EXPECT_EQ(refusal(Method::Post, path + "/removal",
                    {{"removed_on", "2026-05-04"}, {"reason", "已恢复联系"}}),
            "id:on-the-list");
  EXPECT_EQ(context_.call(Method::Get, "/listings?current=true").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/listings?current=false").body["total"], 1);
  // Off the list, it may be entered again; two years there count from the new entry.
  context_.setToday(day("2026-06-01"));
  EXPECT_EQ(
      context_
          .call(Method::Post, "/organisations/" + std::to_string(org) + "/listings",
                {{"list", "abnormal"}, {"cause", "no_annual_report"}, {"cause_on", "2026-05-29"}})
          .status,
      201);
  context_.setToday(day("2028-05-05"));  // two years after the removed entry, not the new one
  clerk();
  const auto serious = [&] {
    int found = 0;
    const auto items = context_.call(Method::Get, "/overdue").body["items"];
    for (const auto& item : items)
      if (item["kind"] == "serious_listing") ++found;
    return found;
  };
  EXPECT_EQ(serious(), 0);
  context_.setToday(day("2028-06-01"));
  EXPECT_EQ(serious(), 1);
}

TEST_F(CorrectionTest, AnInspectionResultCorrectedOwesRectificationOrNoLonger) {
  context_.setToday(day("2025-01-06"));
  const auto org = registered(group());
  context_.setToday(day("2026-04-10"));
  clerk();
  const auto recorded =
      context_.call(Method::Post, "/organisations/" + std::to_string(org) + "/inspections",
                    {{"year", 2025},
                     {"sponsor_submitted_on", "2026-03-20"},
                     {"submitted_on", "2026-04-01"},
                     {"result", "passed"}});
  const std::string path =
      "/inspections/" + std::to_string(recorded.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Patch, path, {{"submitted_on", "2025-12-31"}}),
            "submitted_on:after-the-year");
  EXPECT_EQ(refusal(Method::Patch, path, {{"sponsor_submitted_on", "2026-04-02"}}),
            "sponsor_submitted_on:sponsor-first");
  EXPECT_EQ(refusal(Method::Patch, path, {{"result", "passed"}}), "result:unchanged");
  const auto failed = context_.call(Method::Patch, path, {{"result", "failed"}});
  EXPECT_EQ(failed.body["rectify_due"], "2026-07-10");  // three months after the result's day
  const auto audit = json::parse(audited("inspection.correct"));
  EXPECT_EQ(audit["result"]["old"], "passed");
  EXPECT_EQ(audit["result"]["new"], "failed");
  const auto passed = context_.call(Method::Patch, path, {{"result", "passed"}});
  EXPECT_TRUE(passed.body["rectify_due"].is_null());
  EXPECT_EQ(
      context_.indicator("inspections_passed", "610902", day("2026-01-01"), day("2026-12-31")), 1);
}

TEST_F(CorrectionTest, AGradeIsCorrectedAndADowngradeStaysBelowTheGradeItLowered) {
  context_.setToday(day("2022-01-03"));
  const auto org = registered(foundation());
  for (int year : {2022, 2023}) {
    const auto on = *sdk::Date::fromParts(year + 1, 3, 20);
    context_.setToday(on);
    clerk();
    context_.call(Method::Post, "/organisations/" + std::to_string(org) + "/inspections",
                  {{"year", year}, {"submitted_on", on.toString()}, {"result", "passed"}});
  }
  approver();
  const std::string grades = "/organisations/" + std::to_string(org) + "/grades";
  const auto award = context_.call(Method::Post, grades, {{"action", "award"}, {"grade", 4}});
  context_.setToday(day("2024-06-03"));
  const auto downgrade =
      context_.call(Method::Post, grades, {{"action", "downgrade"}, {"grade", 2}});
  const std::string award_path = "/grades/" + std::to_string(award.body["id"].get<std::int64_t>());
  const std::string downgrade_path =
      "/grades/" + std::to_string(downgrade.body["id"].get<std::int64_t>());
  EXPECT_EQ(refusal(Method::Patch, downgrade_path, {{"grade", 4}}), "grade:lower-than-current");
  EXPECT_EQ(refusal(Method::Patch, downgrade_path, {{"grade", 2}}), "grade:unchanged");
  EXPECT_EQ(context_.call(Method::Patch, downgrade_path, {{"grade", 3}}).body["grade"], 3);
  EXPECT_EQ(
      context_.call(Method::Get, "/organisations/" + std::to_string(org)).body["grade"]["grade"],
      3);
  EXPECT_EQ(context_.call(Method::Patch, award_path, {{"grade", 5}}).body["grade"], 5);
  const auto audit = json::parse(audited("grade.correct"));
  EXPECT_EQ(audit["grade"]["old"], 4);
  EXPECT_EQ(audit["grade"]["new"], 5);
  context_.call(Method::Post, grades, {{"action", "cancel"}});
  const auto cancel = context_.call(Method::Get, "/grades?action=cancel").body["items"][0];
  EXPECT_EQ(refusal(Method::Patch, "/grades/" + std::to_string(cancel["id"].get<std::int64_t>()),
                    {{"grade", 1}}),
            "grade:no-grade-on-cancel");
}

}  // namespace
}  // namespace civ::plugins::social_orgs
