// The marriage module through a real civhost with the test clock: the cooling-off days, bigamy
// across counties, remarriage and replacement.
#include <gtest/gtest.h>

#include "tests/support/civhost_process.h"
#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kHanbin = "/api/v1/counties/610902/marriage";
const std::string kLicheng = "/api/v1/counties/350502/marriage";

std::string marriageBody(const char* office, const char* husband, const char* wife) {
  return json{{"office_code", office},
              {"husband", {{"citizen_id", husband}, {"name", "男方"}}},
              {"wife", {{"citizen_id", wife}, {"name", "女方"}}},
              {"declared_relationship", "none"},
              {"statement_signed", true}}
      .dump();
}

TEST(MarriageEndToEnd, CoolingOffBigamyRemarriageAndReplacementWithTheTestClock) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite, /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  today("2026-09-02");
  ASSERT_EQ(httpRequest(port, "POST", kHanbin + "/offices",
                        R"({"code":"HB01","name":"汉滨区婚姻登记处"})", admin)
                .status,
            201);
  ASSERT_EQ(httpRequest(port, "POST", kLicheng + "/offices",
                        R"({"code":"LC01","name":"鲤城区婚姻登记处"})", admin)
                .status,
            201);

  auto married =
      httpRequest(port, "POST", kHanbin + "/marriages",
                  marriageBody("HB01", "610902199003150116", "610902199207080228"), clerk);
  ASSERT_EQ(married.status, 201) << married.body;
  const int marriage_id = married.json()["id"];
  // Bigamy attempted in the other county.
  auto bigamy =
      httpRequest(port, "POST", kLicheng + "/marriages",
                  marriageBody("LC01", "610902199003150116", "350502198811110622"), clerk);
  EXPECT_EQ(bigamy.status, 422);
  EXPECT_EQ(bigamy.json()["errors"][0]["rule"], "already_married");

  // Divorce received 2026-09-02: day 30 is 10-02 (国庆), moved to 10-08; day 60 is Sunday 11-01 →
  // 11-02.
  auto application = httpRequest(
      port, "POST", kHanbin + "/marriages/" + std::to_string(marriage_id) + "/divorce-applications",
      R"({"office_code":"HB01","agreement":{"children":"无","property":"各自所有","debts":"无"},"full_capacity":{"husband":true,"wife":true}})",
      clerk);
  ASSERT_EQ(application.status, 201) << application.body;
  EXPECT_EQ(application.json()["withdraw_until"], "2026-10-08");
  EXPECT_EQ(application.json()["collect_until"], "2026-11-02");
  const std::string base =
      kHanbin + "/divorce-applications/" + std::to_string(application.json()["id"].get<int>());
  today("2026-10-08");  // day 30 after the holiday move: still cooling off
  auto early = httpRequest(port, "POST", base + "/certificate", R"({"both_present":true})", clerk);
  EXPECT_EQ(early.status, 422);
  EXPECT_NE(early.json()["detail"].get<std::string>().find("from 2026-10-09"), std::string::npos);
  today("2026-10-09");
  auto divorced =
      httpRequest(port, "POST", base + "/certificate", R"({"both_present":true})", clerk);
  ASSERT_EQ(divorced.status, 200) << divorced.body;
  EXPECT_EQ(divorced.json()["status"], "registered");

  // Remarriage of the same pair, and a replacement of the first certificate.
  auto again = httpRequest(port, "POST", kHanbin + "/marriages",
                           marriageBody("HB01", "610902199003150116", "610902199207080228"), clerk);
  ASSERT_EQ(again.status, 201);
  EXPECT_EQ(again.json()["remarriage_of"], marriage_id);
  const std::string first_number = married.json()["certificates"][0]["number"];
  auto replacement = httpRequest(
      port, "POST", kHanbin + "/certificates/" + first_number + "/replacement", "", clerk);
  EXPECT_EQ(replacement.status, 201);
  EXPECT_EQ(replacement.json()["replaces"], first_number);

  auto indicators = httpRequest(
      port, "GET", "/api/v1/counties/610902/indicators?from=2026-01-01&to=2026-12-31", "", clerk);
  ASSERT_EQ(indicators.status, 200);
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["marriages"], 2);
  EXPECT_EQ(values["remarriages"], 1);
  EXPECT_EQ(values["divorces_registry"], 1);
  // Husband born 1990-03-15 (36), wife 1992-07-08 (34), married twice in 2026.
  EXPECT_EQ(values["marriage_age_35_plus"], 2);
  EXPECT_EQ(values["marriage_age_30_34"], 2);
}

TEST(MarriageEndToEnd, RefusalGroundsWithdrawalOnDay30AndLapseOnDay61) {
  testing::ServedCivhost served(sdk::Dialect::Sqlite, /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902");
  const auto clerk = served.token("wang", "clerk", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  today("2026-03-03");
  ASSERT_EQ(httpRequest(port, "POST", kHanbin + "/offices",
                        R"({"code":"HB01","name":"汉滨区婚姻登记处"})", admin)
                .status,
            201);
  const auto ground = [&](const std::string& body) {
    auto reply = httpRequest(port, "POST", kHanbin + "/marriages", body, clerk);
    EXPECT_EQ(reply.status, 422) << reply.body;
    return reply.json()["errors"][0]["rule"].get<std::string>();
  };
  EXPECT_EQ(ground(marriageBody("HB01", "610902200501010314", "610902199207080228")), "under_age");
  EXPECT_EQ(ground(marriageBody("HB01", "610902199003150116", "35050219850220051X")), "same_sex");
  auto kin = json::parse(marriageBody("HB01", "610902199003150116", "610902199207080228"));
  kin["declared_relationship"] = "direct_blood";
  EXPECT_EQ(ground(kin.dump()), "prohibited_kinship");

  const auto marry = [&](const char* husband, const char* wife) {
    auto reply = httpRequest(port, "POST", kHanbin + "/marriages",
                             marriageBody("HB01", husband, wife), clerk);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return reply.json()["id"].get<int>();
  };
  const auto apply = [&](int marriage_id) {
    auto reply = httpRequest(
        port, "POST",
        kHanbin + "/marriages/" + std::to_string(marriage_id) + "/divorce-applications",
        R"({"office_code":"HB01","agreement":{"children":"无","property":"无","debts":"无"},"full_capacity":{"husband":true,"wife":true}})",
        clerk);
    EXPECT_EQ(reply.status, 201) << reply.body;
    return kHanbin + "/divorce-applications/" + std::to_string(reply.json()["id"].get<int>());
  };
  const std::string withdrawn = apply(marry("610902199003150116", "610902199207080228"));
  const std::string lapsing = apply(marry("35050219850220051X", "350502198811110622"));
  // Received 2026-03-03: day 30 = 04-02; day 60 = Saturday 05-02 in the 劳动节 holiday → 05-06.
  today("2026-04-02");
  auto result = httpRequest(port, "POST", withdrawn + "/withdraw", R"({"party":"wife"})", clerk);
  EXPECT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.json()["status"], "withdrawn");
  today("2026-05-06");  // the moved day 60: still open
  EXPECT_EQ(httpRequest(port, "GET", lapsing, "", clerk).json()["status"], "awaiting_certificate");
  today("2026-05-07");  // day 61 after the move
  EXPECT_EQ(httpRequest(port, "GET", lapsing, "", clerk).json()["status"], "lapsed");
  auto late =
      httpRequest(port, "POST", lapsing + "/certificate", R"({"both_present":true})", clerk);
  EXPECT_EQ(late.status, 409);
  EXPECT_NE(late.json()["detail"].get<std::string>().find("lapsed"), std::string::npos);
}

}  // namespace
}  // namespace civ
