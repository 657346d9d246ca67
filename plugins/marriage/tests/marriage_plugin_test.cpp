// The marriage module on the fake Context: refusal grounds, certificates, remarriage,
// replacement, court outcomes and the divorce cooling-off period, day by day.
#include "../src/marriage_plugin.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/published_calendars.h>

namespace civ::plugins::marriage {
namespace {

using nlohmann::json;
using sdk::Method;
using sdk::testing::FakeContext;

// Valid citizen IDs (GB 11643 check characters computed): odd sequence = man, even = woman.
constexpr const char* kMan1990 = "610902199003150116";
constexpr const char* kWoman1992 = "610902199207080228";
constexpr const char* kMan2005 = "610902200501010314";    // 21 in 2026
constexpr const char* kWoman2007 = "350502200706010427";  // 19 in 2026
constexpr const char* kMan1985 = "35050219850220051X";    // X check character
constexpr const char* kWoman1995 = "610902199505050828";
constexpr const char* kWoman1988 = "350502198811110622";

sdk::Date d(const char* text) { return *sdk::Date::parse(text); }

json marriage(const char* husband, const char* wife, const char* office = "HB01") {
  return {{"office_code", office},
          {"husband", {{"citizen_id", husband}, {"name", "男方"}}},
          {"wife", {{"citizen_id", wife}, {"name", "女方"}}},
          {"declared_relationship", "none"},
          {"statement_signed", true}};
}

class MarriagePluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.mutableCalendar() = sdk::testing::publishedCalendar();
    context_.start(plugin_);
    context_.setCaller({"admin1", "admin", {"610902", "350502"}, {}});
    context_.call(Method::Post, "/offices", {{"code", "HB01"}, {"name", "汉滨区婚姻登记处"}},
                  "610902");
    context_.call(Method::Post, "/offices", {{"code", "LC01"}, {"name", "鲤城区婚姻登记处"}},
                  "350502");
    context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}});
  }

  std::set<std::string> refusal(const json& body, const char* county = "610902") {
    try {
      context_.call(Method::Post, "/marriages", body, county);
    } catch (const sdk::ValidationError& error) {
      std::set<std::string> rules;
      for (const auto& e : error.fieldErrors()) rules.insert(e.field + ":" + e.rule);
      return rules;
    }
    return {};
  }

  FakeContext context_{"marriage", d("2026-03-03")};
  MarriagePlugin plugin_;
};

TEST_F(MarriagePluginTest, RegistersAndIssuesACertificateTheSameDay) {
  auto created = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  ASSERT_EQ(created.status, 201);
  EXPECT_EQ(created.body["status"], "married");
  EXPECT_EQ(created.body["registered_on"], "2026-03-03");
  ASSERT_EQ(created.body["certificates"].size(), 1u);
  EXPECT_EQ(created.body["certificates"][0]["number"], "JHB01-2026-000001");
  auto second = context_.call(Method::Post, "/marriages", marriage(kMan1985, kWoman1995));
  EXPECT_EQ(second.body["certificates"][0]["number"], "JHB01-2026-000002");
  auto status =
      context_.call(Method::Get, std::string("/persons/") + kWoman1992 + "/marital-status");
  EXPECT_EQ(status.body["marital_status"], "married");
}

TEST_F(MarriagePluginTest, NamesEachRefusalGround) {
  EXPECT_EQ(refusal(marriage(kMan2005, kWoman1992)),
            (std::set<std::string>{"husband.citizen_id:under_age"}));
  EXPECT_EQ(refusal(marriage(kMan1990, kWoman2007)),
            (std::set<std::string>{"wife.citizen_id:under_age"}));
  EXPECT_EQ(refusal(marriage(kMan1990, kMan1985)),
            (std::set<std::string>{"wife.citizen_id:same_sex"}));
  auto kin = marriage(kMan1990, kWoman1992);
  kin["declared_relationship"] = "collateral_within_third_degree";
  EXPECT_EQ(refusal(kin), (std::set<std::string>{"declared_relationship:prohibited_kinship"}));
  auto unsigned_statement = marriage(kMan1990, kWoman1992);
  unsigned_statement["statement_signed"] = false;
  EXPECT_EQ(refusal(unsigned_statement),
            (std::set<std::string>{"statement_signed:statement_required"}));
  long long records = -1;
  context_.db() << "SELECT COUNT(*) FROM marriage_records", soci::into(records);
  EXPECT_EQ(records, 0);
}

TEST_F(MarriagePluginTest, ADeceasedPartyIsRefusedAndTheSurvivorMayMarry) {
  context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  auto husband = context_.persons().findByCitizenId(context_.db(), kMan1990);
  context_.persons().markDeceased(context_.db(), husband->id, d("2026-03-01"));
  // The dead man cannot marry (and his own record still names a living wife).
  EXPECT_EQ(
      refusal(marriage(kMan1990, kWoman1995)),
      (std::set<std::string>{"husband.citizen_id:deceased", "husband.citizen_id:already_married"}));
  auto status =
      context_.call(Method::Get, std::string("/persons/") + kWoman1992 + "/marital-status");
  EXPECT_EQ(status.body["marital_status"], "widowed");
  EXPECT_EQ(context_.call(Method::Post, "/marriages", marriage(kMan1985, kWoman1992)).status, 201);
}

TEST_F(MarriagePluginTest, BigamyIsRefusedAcrossCounties) {
  context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992), "610902");
  EXPECT_EQ(refusal(marriage(kMan1990, kWoman1995, "LC01"), "350502"),
            (std::set<std::string>{"husband.citizen_id:already_married"}));
}

TEST_F(MarriagePluginTest, DivorceFollowsTheCoolingOffCalendar) {
  auto married = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  const std::string id = std::to_string(married.body["id"].get<int>());
  const json apply = {
      {"office_code", "HB01"},
      {"agreement", {{"children", "无"}, {"property", "各自所有"}, {"debts", "无"}}},
      {"full_capacity", {{"husband", true}, {"wife", true}}}};
  auto application =
      context_.call(Method::Post, "/marriages/" + id + "/divorce-applications", apply);
  ASSERT_EQ(application.status, 201);
  EXPECT_EQ(application.body["withdraw_until"], "2026-04-02");
  EXPECT_EQ(application.body["collect_until"], "2026-05-06");
  const std::string base =
      "/divorce-applications/" + std::to_string(application.body["id"].get<int>());
  context_.setToday(d("2026-04-02"));  // day 30: too early for the certificate
  try {
    context_.call(Method::Post, base + "/certificate", {{"both_present", true}});
    FAIL() << "certificate issued in the cooling-off period";
  } catch (const sdk::ValidationError& error) {
    EXPECT_NE(error.detail().find("from 2026-04-03 (day 31) to 2026-05-06 (day 60)"),
              std::string::npos)
        << error.detail();
  }
  context_.setToday(d("2026-04-03"));  // day 31
  EXPECT_THROW(context_.call(Method::Post, base + "/withdraw", {{"party", "wife"}}), sdk::Conflict);
  auto divorced = context_.call(Method::Post, base + "/certificate", {{"both_present", true}});
  EXPECT_EQ(divorced.body["status"], "registered");
  EXPECT_EQ(divorced.body["certificate_number"], "LHB01-2026-000002");
  auto status = context_.call(Method::Get, std::string("/persons/") + kMan1990 + "/marital-status");
  EXPECT_EQ(status.body["marital_status"], "divorced");
  EXPECT_EQ(context_.deliverEvents(),
            0);  // no subscriber in this test; the outbox holds both events
  long long events = 0;
  context_.db() << "SELECT COUNT(*) FROM civ_outbox", soci::into(events);
  EXPECT_EQ(events, 2);

  // Remarriage of the same pair links the new record to the old one.
  auto again = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  EXPECT_EQ(again.body["remarriage_of"], married.body["id"]);
  EXPECT_EQ(context_.indicator("remarriages", "610902", d("2026-01-01"), d("2026-12-31")), 1);
  EXPECT_EQ(context_.indicator("divorces_registry", "610902", d("2026-01-01"), d("2026-12-31")), 1);
}

TEST_F(MarriagePluginTest, WithdrawnOnDay30AndLapsedOnDay61) {
  auto first = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  auto second = context_.call(Method::Post, "/marriages", marriage(kMan1985, kWoman1995));
  const json apply = {{"office_code", "HB01"},
                      {"agreement", {{"children", "无"}, {"property", "无"}, {"debts", "无"}}},
                      {"full_capacity", {{"husband", true}, {"wife", true}}}};
  const auto path = [](const json& m) {
    return "/marriages/" + std::to_string(m["id"].get<int>()) + "/divorce-applications";
  };
  auto withdrawn = context_.call(Method::Post, path(first.body), apply);
  auto lapsing = context_.call(Method::Post, path(second.body), apply);
  context_.setToday(d("2026-04-02"));  // day 30
  auto result = context_.call(
      Method::Post,
      "/divorce-applications/" + std::to_string(withdrawn.body["id"].get<int>()) + "/withdraw",
      {{"party", "husband"}});
  EXPECT_EQ(result.body["status"], "withdrawn");
  context_.setToday(d("2026-05-07"));  // the day after day 60 (moved to 05-06)
  const std::string lapsed =
      "/divorce-applications/" + std::to_string(lapsing.body["id"].get<int>());
  EXPECT_EQ(context_.call(Method::Get, lapsed).body["status"], "lapsed");
  EXPECT_THROW(context_.call(Method::Post, lapsed + "/certificate", {{"both_present", true}}),
               sdk::Conflict);
  EXPECT_EQ(context_.indicator("cooling_off_withdrawn", "610902", d("2026-04-01"), d("2026-04-30")),
            1);
  EXPECT_EQ(context_.indicator("cooling_off_lapsed", "610902", d("2026-05-01"), d("2026-05-31")),
            1);
}

TEST_F(MarriagePluginTest, DivorceIsRefusedWithoutCapacityOrARegisteredMarriage) {
  auto married = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  json apply = {{"office_code", "HB01"},
                {"agreement", {{"children", "无"}, {"property", "无"}, {"debts", "无"}}},
                {"full_capacity", {{"husband", true}, {"wife", false}}}};
  try {
    context_.call(
        Method::Post,
        "/marriages/" + std::to_string(married.body["id"].get<int>()) + "/divorce-applications",
        apply);
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].rule, "full_capacity");
  }
  apply["full_capacity"]["wife"] = true;
  try {
    context_.call(Method::Post, "/marriages/999/divorce-applications", apply);
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].rule, "registered_marriage");
  }
}

TEST_F(MarriagePluginTest, ReplacementAndCourtOutcome) {
  auto married = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  auto replacement = context_.call(Method::Post, "/certificates/JHB01-2026-000001/replacement");
  EXPECT_EQ(replacement.body["number"], "BJHB01-2026-000002");
  EXPECT_EQ(replacement.body["replaces"], "JHB01-2026-000001");
  const std::string id = std::to_string(married.body["id"].get<int>());
  auto judged = context_.call(Method::Post, "/marriages/" + id + "/court-outcomes",
                              {{"kind", "divorce"},
                               {"document_number", "(2026)陕0902民初123号"},
                               {"court", "汉滨区人民法院"},
                               {"judgment_date", "2026-03-03"}});
  EXPECT_EQ(judged.body["status"], "divorced");
  EXPECT_EQ(context_.indicator("divorces_court", "610902", d("2026-03-01"), d("2026-03-31")), 1);
  EXPECT_THROW(context_.call(Method::Post, "/certificates/NOPE/replacement"), sdk::NotFound);
}

TEST_F(MarriagePluginTest, ARecordRegisteredInCivKeepsItsDate) {
  auto married = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  const std::string path =
      "/marriages/" + std::to_string(married.body["id"].get<int>()) + "/corrections";
  try {
    context_.call(Method::Post, path,
                  {{"field", "registered_on"}, {"value", "2026-03-01"}, {"reason", "x"}});
    FAIL();
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].rule, "back_entered_only");
  }
  auto renamed = context_.call(Method::Post, path,
                               {{"field", "wife_name"}, {"value", "王芳"}, {"reason", "笔误"}});
  EXPECT_EQ(renamed.body["wife"]["name"], "王芳");
}

TEST_F(MarriagePluginTest, AppointmentsRespectTheDailyQuota) {
  context_.setPolicyValue("appointment_daily_quota", "1", d("2026-01-01"), "610902");
  const json booking = {{"office_code", "HB01"},
                        {"date", "2026-03-10"},
                        {"party_a", {{"citizen_id", kMan1990}, {"name", "甲"}}},
                        {"party_b", {{"citizen_id", kWoman1992}, {"name", "乙"}}}};
  EXPECT_EQ(context_.call(Method::Post, "/appointments", booking).status, 201);
  EXPECT_THROW(context_.call(Method::Post, "/appointments", booking), sdk::Conflict);
}

TEST_F(MarriagePluginTest, BackEntryKeepsTheOriginalDateAndNumber) {
  auto body = marriage(kMan1985, kWoman1988);
  body["back_entry"] = {{"registered_on", "2008-06-18"},
                        {"certificate_number", "陕汉结字第08-0456号"}};
  auto entered = context_.call(Method::Post, "/marriages", body);
  EXPECT_EQ(entered.body["registered_on"], "2008-06-18");
  EXPECT_TRUE(entered.body["back_entered"].get<bool>());
  EXPECT_EQ(entered.body["certificates"][0]["number"], "陕汉结字第08-0456号");
  // The age rule of the time is not applied (the wife was 19), but a date before a birth is.
  auto impossible = marriage(kMan2005, kWoman1992);
  impossible["back_entry"] = {{"registered_on", "2004-06-18"},
                              {"certificate_number", "陕汉结字第04-0001号"}};
  EXPECT_EQ(refusal(impossible), (std::set<std::string>{"husband.citizen_id:before_birth"}));
  // A correction is a new record linked to the archived one; the archive keeps the original.
  const std::string path = "/marriages/" + std::to_string(entered.body["id"].get<int>());
  auto corrected = context_.call(
      Method::Post, path + "/corrections",
      {{"field", "registered_on"}, {"value", "2008-06-19"}, {"reason", "原始档案日期核对"}});
  EXPECT_EQ(corrected.body["registered_on"], "2008-06-19");
  ASSERT_EQ(corrected.body["corrections"].size(), 1u);
  EXPECT_EQ(corrected.body["corrections"][0]["old"], "2008-06-18");
  std::string archived;
  context_.db() << "SELECT registered_on FROM marriage_records WHERE id = " +
                       std::to_string(entered.body["id"].get<int>()),
      soci::into(archived);
  EXPECT_EQ(archived, "2008-06-18");
  // Bigamy is still checked for back-entered records.
  EXPECT_EQ(refusal(marriage(kMan1985, kWoman1992)),
            (std::set<std::string>{"husband.citizen_id:already_married"}));
}

}  // namespace
}  // namespace civ::plugins::marriage
