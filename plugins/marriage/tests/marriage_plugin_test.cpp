// The marriage module on the fake Context: refusal grounds, certificates, remarriage,
// replacement, court outcomes and the divorce cooling-off period, day by day.
#include "../src/marriage_plugin.h"

#include <memory>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>
#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::marriage {
namespace {

using nlohmann::json;
using sdk::Method;
using namespace sdk::testing;  // FakeContext and test_data.h

// Valid citizen IDs (GB 11643 check characters computed): odd sequence = man, even = woman.
constexpr const char* kMan1990 = "610902199003150116";
constexpr const char* kWoman1992 = "610902199207080228";
constexpr const char* kMan2005 = "610902200501010314";    // 21 in 2026
constexpr const char* kWoman2007 = "350502200706010427";  // 19 in 2026
constexpr const char* kMan1985 = "35050219850220051X";    // X check character
constexpr const char* kWoman1995 = "610902199505050828";
constexpr const char* kWoman1988 = "350502198811110622";

json couple(const std::string& husband, const char* husband_name, const std::string& wife,
            const char* wife_name, const char* office = "HB01") {
  return {{"office_code", office},
          {"husband", {{"citizen_id", husband}, {"name", husband_name}}},
          {"wife", {{"citizen_id", wife}, {"name", wife_name}}},
          {"declared_relationship", "none"},
          {"statement_signed", true}};
}

const json kDivorceApplication = {
    {"office_code", "HB01"},
    {"agreement", {{"children", "无"}, {"property", "各自所有"}, {"debts", "无"}}},
    {"full_capacity", {{"husband", true}, {"wife", true}}}};

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
      return sdk::testing::fieldRules(error);
    }
    return {};
  }

  std::int64_t married(const json& body, const char* county = "610902") {
    return context_.call(Method::Post, "/marriages", body, county).body["id"].get<std::int64_t>();
  }

  MarriagePlugin plugin_;
  FakeContext context_{"marriage", day("2026-03-03")};
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
  context_.persons().markDeceased(context_.db(), husband->id, day("2026-03-01"));
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
  context_.setToday(day("2026-04-02"));  // day 30: too early for the certificate
  try {
    context_.call(Method::Post, base + "/certificate", {{"both_present", true}});
    FAIL() << "certificate issued in the cooling-off period";
  } catch (const sdk::ValidationError& error) {
    EXPECT_NE(error.detail().find("from 2026-04-03 (day 31) to 2026-05-06 (day 60)"),
              std::string::npos)
        << error.detail();
  }
  context_.setToday(day("2026-04-03"));  // day 31
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
  EXPECT_EQ(context_.indicator("remarriages", "610902", day("2026-01-01"), day("2026-12-31")), 1);
  EXPECT_EQ(context_.indicator("divorces_registry", "610902", day("2026-01-01"), day("2026-12-31")),
            1);
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
  context_.setToday(day("2026-04-02"));  // day 30
  auto result = context_.call(
      Method::Post,
      "/divorce-applications/" + std::to_string(withdrawn.body["id"].get<int>()) + "/withdraw",
      {{"party", "husband"}});
  EXPECT_EQ(result.body["status"], "withdrawn");
  context_.setToday(day("2026-05-07"));  // the day after day 60 (moved to 05-06)
  const std::string lapsed =
      "/divorce-applications/" + std::to_string(lapsing.body["id"].get<int>());
  EXPECT_EQ(context_.call(Method::Get, lapsed).body["status"], "lapsed");
  EXPECT_THROW(context_.call(Method::Post, lapsed + "/certificate", {{"both_present", true}}),
               sdk::Conflict);
  EXPECT_EQ(
      context_.indicator("cooling_off_withdrawn", "610902", day("2026-04-01"), day("2026-04-30")),
      1);
  EXPECT_EQ(
      context_.indicator("cooling_off_lapsed", "610902", day("2026-05-01"), day("2026-05-31")), 1);
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
  // The agreement covers the children, the property and the debts (民法典 §1076): "无" says
  // there are none; an empty text says nothing.
  apply["agreement"]["children"] = "";
  try {
    context_.call(
        Method::Post,
        "/marriages/" + std::to_string(married.body["id"].get<int>()) + "/divorce-applications",
        apply);
    FAIL() << "an agreement silent on the children";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].field, "agreement.children");
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
  EXPECT_EQ(context_.indicator("divorces_court", "610902", day("2026-03-01"), day("2026-03-31")),
            1);
  EXPECT_THROW(context_.call(Method::Post, "/certificates/NOPE/replacement"), sdk::NotFound);
}

// A divorce dissolves a marriage in force: a court's divorce or a party's death during the
// cooling-off period ends it first, and a marriage a death has ended takes no application.
TEST_F(MarriagePluginTest, NoDivorceCertificateForAMarriageACourtOrADeathHasEnded) {
  const json apply = {
      {"office_code", "HB01"},
      {"agreement", {{"children", "无"}, {"property", "各自所有"}, {"debts", "无"}}},
      {"full_capacity", {{"husband", true}, {"wife", true}}}};
  const auto applyFor = [&](const json& married) {
    const std::string id = std::to_string(married["id"].get<int>());
    auto application =
        context_.call(Method::Post, "/marriages/" + id + "/divorce-applications", apply);
    return "/divorce-applications/" + std::to_string(application.body["id"].get<int>());
  };
  auto judged = context_.call(Method::Post, "/marriages", marriage(kMan1990, kWoman1992));
  auto widowed = context_.call(Method::Post, "/marriages", marriage(kMan1985, kWoman1995));
  const std::string judged_application = applyFor(judged.body);
  const std::string widowed_application = applyFor(widowed.body);
  context_.setToday(day("2026-03-10"));
  context_.call(Method::Post,
                "/marriages/" + std::to_string(judged.body["id"].get<int>()) + "/court-outcomes",
                {{"kind", "divorce"},
                 {"document_number", "(2026)陕0902民初7号"},
                 {"court", "汉滨区人民法院"},
                 {"judgment_date", "2026-03-10"}});
  context_.setToday(day("2026-03-12"));
  auto husband = context_.persons().findByCitizenId(context_.db(), kMan1985);
  context_.persons().markDeceased(context_.db(), husband->id, day("2026-03-12"));
  context_.setToday(day("2026-04-03"));  // day 31 of both
  EXPECT_THROW(
      context_.call(Method::Post, judged_application + "/certificate", {{"both_present", true}}),
      sdk::Conflict);
  EXPECT_THROW(
      context_.call(Method::Post, widowed_application + "/certificate", {{"both_present", true}}),
      sdk::Conflict);
  auto marriage_after =
      context_.call(Method::Get, "/marriages/" + std::to_string(judged.body["id"].get<int>()));
  EXPECT_EQ(marriage_after.body["ended_by"], "court:(2026)陕0902民初7号");
  EXPECT_EQ(context_.call(Method::Get, std::string("/persons/") + kWoman1995 + "/marital-status")
                .body["marital_status"],
            "widowed");
  long long certificates = 0;
  context_.db() << "SELECT COUNT(*) FROM marriage_certificates WHERE kind = 'divorce'",
      soci::into(certificates);
  EXPECT_EQ(certificates, 0);
  // The widow's marriage takes no new application either.
  EXPECT_THROW(context_.call(Method::Post,
                             "/marriages/" + std::to_string(widowed.body["id"].get<int>()) +
                                 "/divorce-applications",
                             apply),
               sdk::Conflict);
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
  context_.setPolicyValue("appointment_daily_quota", "1", day("2026-01-01"), "610902");
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
  // Nor may a correction date it before a party's birth (the wife's, 1988).
  try {
    context_.call(Method::Post, path + "/corrections",
                  {{"field", "registered_on"}, {"value", "1987-06-19"}, {"reason", "x"}});
    FAIL() << "a marriage dated before the wife's birth";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors()[0].rule, "before_birth");
  }
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

TEST_F(MarriagePluginTest, PagingThroughMarriagesReturnsEachRecordOnceInEveryOrder) {
  std::vector<std::int64_t> all;
  const char* names[] = {"张伟", "李强", "王磊", "刘洋", "陈杰"};
  for (int i = 0; i < 5; ++i) {
    auto body = couple(citizenId("19850101", 11 + 2 * i), names[i],
                       citizenId("19880101", 12 + 2 * i), "某女");
    // Registered on different days (back-entered), so the order by date differs from the ids'.
    const std::string day = "2010-0" + std::to_string(5 - i) + "-01";
    body["back_entry"] = {{"registered_on", day}, {"certificate_number", "档" + day}};
    all.push_back(married(body));
  }
  married(couple(kMan1985, "陈强", kWoman1988, "林美", "LC01"), "350502");  // another county
  EXPECT_EQ(sorted(everyItem(context_, "/marriages?limit=2", 5)), sorted(all));
  EXPECT_EQ(sorted(everyItem(context_, "/marriages?limit=2&sort=id", 5)), sorted(all));
  EXPECT_EQ(sorted(everyItem(context_, "/marriages?limit=2&sort=-registered_on", 5)), sorted(all));
  auto by_date = context_.call(Method::Get, "/marriages?sort=registered_on&limit=5");
  EXPECT_EQ(itemIds(by_date), std::vector<std::int64_t>(all.rbegin(), all.rend()));
  auto newest = context_.call(Method::Get, "/marriages?limit=2");
  EXPECT_EQ(newest.body["items"][0]["id"], all.back());  // newest first by default
  EXPECT_EQ(newest.body["items"][0]["husband"]["name"], "陈杰");
  EXPECT_EQ(newest.body["limit"], 2);
}

TEST_F(MarriagePluginTest, MarriageFiltersNarrowTheList) {
  const auto first = married(couple(kMan1990, "李明", kWoman1992, "王芳芳"));
  const auto second = married(couple(kMan1985, "陈强", kWoman1995, "刘丽"));
  auto body = couple(citizenId("19600505", 121), "赵德明", citizenId("19620606", 132), "孙秀兰");
  body["back_entry"] = {{"registered_on", "1986-06-18"}, {"certificate_number", "陕汉结字第86号"}};
  const auto third = married(body);
  // Either party's citizen ID.
  EXPECT_EQ(itemIds(context_.call(Method::Get, std::string("/marriages?citizen_id=") + kWoman1992)),
            std::vector<std::int64_t>{first});
  EXPECT_EQ(itemIds(context_.call(Method::Get, std::string("/marriages?citizen_id=") + kMan1985)),
            std::vector<std::int64_t>{second});
  // A name, as a substring of either party's; a corrected name is found, and shown.
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/marriages?name=芳芳")),
            std::vector<std::int64_t>{first});
  context_.call(Method::Post, "/marriages/" + std::to_string(second) + "/corrections",
                {{"field", "wife_name"}, {"value", "刘晓丽"}, {"reason", "笔误"}});
  auto corrected = context_.call(Method::Get, "/marriages?name=%E6%99%93");  // 晓
  ASSERT_EQ(itemIds(corrected), std::vector<std::int64_t>{second});
  EXPECT_EQ(corrected.body["items"][0]["wife"]["name"], "刘晓丽");
  // LIKE wildcards are taken literally.
  EXPECT_EQ(context_.call(Method::Get, "/marriages?name=%25").body["total"], 0);
  EXPECT_EQ(context_.call(Method::Get, "/marriages?name=_").body["total"], 0);
  // The registration period, inclusive, on the corrected date.
  EXPECT_EQ(itemIds(context_.call(
                Method::Get, "/marriages?registered_from=1986-06-18&registered_to=1986-06-18")),
            std::vector<std::int64_t>{third});
  context_.call(Method::Post, "/marriages/" + std::to_string(third) + "/corrections",
                {{"field", "registered_on"}, {"value", "1986-06-19"}, {"reason", "档案核对"}});
  EXPECT_EQ(context_.call(Method::Get, "/marriages?registered_to=1986-06-18").body["total"], 0);
  EXPECT_EQ(sorted(itemIds(context_.call(Method::Get, "/marriages?registered_from=2026-03-03"))),
            sorted({first, second}));
  EXPECT_THROW(
      context_.call(Method::Get, "/marriages?registered_from=2026-03-03&registered_to=2026-03-02"),
      sdk::ValidationError);
  // Status and office.
  context_.call(Method::Post, "/marriages/" + std::to_string(third) + "/court-outcomes",
                {{"kind", "divorce"},
                 {"document_number", "(2026)陕0902民初1号"},
                 {"court", "汉滨区人民法院"},
                 {"judgment_date", "2026-03-01"}});
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/marriages?status=divorced")),
            std::vector<std::int64_t>{third});
  EXPECT_EQ(context_.call(Method::Get, "/marriages?office=HB01&status=married").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, "/marriages?office=LC01").body["total"], 0);
}

TEST_F(MarriagePluginTest, ABadSortLimitOrCursorIsRefusedNamingTheParameter) {
  EXPECT_EQ(refusedParameter(context_, "/marriages?sort=husband"), "sort");
  EXPECT_EQ(refusedParameter(context_, "/marriages?limit=0"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/marriages?limit=201"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/marriages?cursor=zz"), "cursor");
  EXPECT_EQ(refusedParameter(context_, "/marriages?sort=registered_on&cursor=k5"), "cursor");
  EXPECT_EQ(refusedParameter(context_, "/divorce-applications?sort=status"), "sort");
  EXPECT_EQ(refusedParameter(context_, "/certificates?limit=1000"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/appointments?sort=-office"), "sort");
  EXPECT_EQ(refusedParameter(context_, "/offices?limit=-1"), "limit");
  EXPECT_EQ(refusedParameter(context_, "/marriages?citizen_id=610902199003150117"), "citizen_id");
  EXPECT_EQ(refusedParameter(context_, "/marriages?husband=张"), "husband");
}

TEST_F(MarriagePluginTest, AMarriageShowsItsDivorceApplicationsAndTheyCanBeFound) {
  const auto first = married(couple(kMan1990, "李明", kWoman1992, "王芳"));
  const auto second = married(couple(kMan1985, "陈强", kWoman1995, "刘丽"));
  const std::string path = "/marriages/" + std::to_string(first);
  EXPECT_EQ(context_.call(Method::Get, path).body["divorce_applications"], json::array());
  auto withdrawn =
      context_.call(Method::Post, path + "/divorce-applications", kDivorceApplication).body;
  context_.setToday(day("2026-03-10"));
  context_.call(Method::Post,
                "/divorce-applications/" + std::to_string(withdrawn["id"].get<int>()) + "/withdraw",
                {{"party", "wife"}});
  auto again =
      context_.call(Method::Post, path + "/divorce-applications", kDivorceApplication).body;
  auto other =
      context_
          .call(Method::Post, "/marriages/" + std::to_string(second) + "/divorce-applications",
                kDivorceApplication)
          .body;
  auto record = context_.call(Method::Get, path).body;
  ASSERT_EQ(record["divorce_applications"].size(), 2u);
  EXPECT_EQ(record["divorce_applications"][0]["id"], withdrawn["id"]);
  EXPECT_EQ(record["divorce_applications"][0]["status"], "withdrawn");
  EXPECT_EQ(record["divorce_applications"][0]["withdrawn_on"], "2026-03-10");
  EXPECT_EQ(record["divorce_applications"][1]["status"], "cooling_off");
  EXPECT_EQ(record["divorce_applications"][1]["received_on"], "2026-03-10");
  EXPECT_TRUE(record["divorce_applications"][1]["registered_on"].is_null());

  EXPECT_EQ(sorted(everyItem(context_, "/divorce-applications?limit=1", 3)),
            sorted({withdrawn["id"].get<std::int64_t>(), again["id"].get<std::int64_t>(),
                    other["id"].get<std::int64_t>()}));
  EXPECT_EQ(context_.call(Method::Get, "/divorce-applications?marriage_id=" + std::to_string(first))
                .body["total"],
            2);
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/divorce-applications?status=withdrawn")),
            std::vector<std::int64_t>{withdrawn["id"].get<std::int64_t>()});
  EXPECT_EQ(context_.call(Method::Get, "/divorce-applications?status=cooling_off").body["total"],
            2);
  EXPECT_EQ(
      itemIds(context_.call(Method::Get, "/divorce-applications?from=2026-03-04&to=2026-03-31")),
      (std::vector<std::int64_t>{other["id"].get<std::int64_t>(),
                                 again["id"].get<std::int64_t>()}));
  // The status of a received application follows the calendar, in the list and on the record.
  context_.setToday(day("2026-04-11"));  // after day 30 of both March 10 applications
  EXPECT_EQ(
      context_.call(Method::Get, "/divorce-applications?status=awaiting_certificate").body["total"],
      2);
  EXPECT_EQ(context_.call(Method::Get, "/divorce-applications?status=cooling_off").body["total"],
            0);
  context_.setToday(day("2026-06-01"));
  EXPECT_EQ(context_.call(Method::Get, "/divorce-applications?status=lapsed").body["total"], 2);
  EXPECT_EQ(context_.call(Method::Get, path).body["divorce_applications"][1]["status"], "lapsed");
}

TEST_F(MarriagePluginTest, OfficesAppointmentsAndCertificatesAreLists) {
  context_.setCaller({"admin1", "admin", {"610902"}, {}, {}});
  context_.call(Method::Post, "/offices", {{"code", "HB02"}, {"name", "汉滨区第二婚姻登记处"}});
  context_.setCaller({"clerk1", "clerk", {"610902", "350502"}, {}, {}});
  auto offices = context_.call(Method::Get, "/offices");
  ASSERT_EQ(offices.body["items"].size(), 2u);
  EXPECT_EQ(offices.body["items"][0]["code"], "HB01");
  EXPECT_EQ(context_.call(Method::Get, "/offices?sort=-code").body["items"][0]["code"], "HB02");
  EXPECT_EQ(context_.call(Method::Get, "/offices", nullptr, "350502").body["total"], 1);

  const auto book = [this](const char* office, const char* date, const std::string& a,
                           const char* a_name, const std::string& b, const char* b_name) {
    return context_
        .call(Method::Post, "/appointments",
              {{"office_code", office},
               {"date", date},
               {"party_a", {{"citizen_id", a}, {"name", a_name}}},
               {"party_b", {{"citizen_id", b}, {"name", b_name}}}})
        .body["id"]
        .get<std::int64_t>();
  };
  const auto a1 = book("HB01", "2026-03-12", kMan1990, "李明", kWoman1992, "王芳");
  const auto a2 = book("HB02", "2026-03-10", kMan1985, "陈强", kWoman1995, "刘丽");
  const auto a3 =
      book("HB01", "2026-03-10", citizenId("19900101", 31), "甲", citizenId("19910101", 42), "乙");
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/appointments")),
            (std::vector<std::int64_t>{a2, a3, a1}));  // by date, then id
  EXPECT_EQ(sorted(everyItem(context_, "/appointments?limit=1", 3)), sorted({a1, a2, a3}));
  EXPECT_EQ(itemIds(context_.call(Method::Get, "/appointments?date=2026-03-10&office=HB01")),
            std::vector<std::int64_t>{a3});
  auto found = context_.call(Method::Get, std::string("/appointments?citizen_id=") + kWoman1995);
  ASSERT_EQ(itemIds(found), std::vector<std::int64_t>{a2});
  EXPECT_EQ(found.body["items"][0]["party_b"]["citizen_id"], kWoman1995);
  EXPECT_EQ(found.body["items"][0]["office_code"], "HB02");

  const auto marriage = married(couple(kMan1990, "李明", kWoman1992, "王芳"));
  married(couple(kMan1985, "陈强", kWoman1995, "刘丽", "HB02"));
  context_.call(Method::Post, "/certificates/JHB01-2026-000001/replacement");
  EXPECT_EQ(sorted(everyItem(context_, "/certificates?limit=2", 3)).size(), 3u);
  auto of_marriage =
      context_.call(Method::Get, "/certificates?sort=id&marriage_id=" + std::to_string(marriage));
  ASSERT_EQ(of_marriage.body["total"], 2);
  EXPECT_TRUE(of_marriage.body["items"][0]["replaces"].is_null());
  EXPECT_EQ(of_marriage.body["items"][1]["number"], "BJHB01-2026-000002");
  EXPECT_EQ(of_marriage.body["items"][1]["replaces"], "JHB01-2026-000001");
  auto by_number = context_.call(Method::Get, "/certificates?number=JHB02-2026-000001");
  ASSERT_EQ(by_number.body["total"], 1);
  EXPECT_EQ(by_number.body["items"][0]["kind"], "marriage");
  EXPECT_EQ(context_.call(Method::Get, "/certificates?kind=divorce").body["total"], 0);
}

TEST_F(MarriagePluginTest, ACitizenIdUsedAsAFilterIsNotLogged) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000);
  context_.logger()->sinks().push_back(sink);
  context_.logger()->set_level(spdlog::level::trace);
  married(couple(kMan1990, "李明", kWoman1992, "王芳"));
  context_.call(Method::Get, std::string("/marriages?citizen_id=") + kWoman1992);
  context_.call(Method::Get, std::string("/appointments?citizen_id=") + kWoman1992);
  for (const auto& line : sink->last_formatted())
    EXPECT_EQ(line.find(kWoman1992), std::string::npos) << line;
}

}  // namespace
}  // namespace civ::plugins::marriage
