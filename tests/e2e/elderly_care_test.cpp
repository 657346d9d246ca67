// The elderly_care module through a real civhost with the test clock, on both engines: the
// filing deadline across the National Day holiday, the notice and the receipt, a hazard past its
// deadline, a death registered by the funeral module discharging the resident, and a month's
// operating subsidy prepared by one approver, confirmed by another and rolled.
#include <chrono>
#include <cstdio>
#include <thread>

#include <gtest/gtest.h>

#include <civ/sdk/citizen_id.h>

#include "tests/support/http_client.h"
#include "tests/support/served_civhost.h"
#include "tests/support/test_database.h"

namespace civ {
namespace {

using nlohmann::json;
using testing::httpRequest;

const std::string kCare = "/api/v1/counties/610902/elderly_care";
const std::string kFuneral = "/api/v1/counties/610902/funeral";

std::string citizenId(const char* birth_yyyymmdd, int sequence) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "610902%s%03d", birth_yyyymmdd, sequence);
  return std::string(first17) + sdk::CitizenId::checkCharacter(first17);
}

json admission(long long institution, const std::string& citizen_id, const char* bed,
               const char* care, const char* funding) {
  return {{"institution_id", institution},
          {"citizen_id", citizen_id},
          {"name", "入住老人"},
          {"admitted_on", "2026-09-28"},
          {"bed_number", bed},
          {"dimensions",
           {{"daily_living", "moderate"},
            {"mental_state", "mild"},
            {"perception_communication", "intact"},
            {"social_participation", "mild"}}},
          {"care_level", care},
          {"agreement_number", std::string("HT-") + bed},
          {"agreement_signed_on", "2026-09-27"},
          {"emergency_contact", {{"name", "儿子"}, {"phone", "13900000000"}}},
          {"funding", funding}};
}

class ElderlyCareEndToEnd : public ::testing::TestWithParam<sdk::Dialect> {};

TEST_P(ElderlyCareEndToEnd, FilingAcrossTheHolidayHazardDeathAndAMonthsSubsidyRoll) {
  testing::ServedCivhost served(GetParam(), /*test_clock=*/true);
  const int port = served.port();
  const auto admin = served.token("root", "admin", "610902,350502");
  const auto clerk = served.token("wang", "clerk", "610902,350502");
  const auto approver = served.token("li", "approver", "610902");
  const auto second = served.token("zhao", "approver", "610902");
  const auto today = [&](const char* date) { ASSERT_TRUE(served.setToday(admin, date)); };
  const auto post = [&](const std::string& path, const json& body, const std::string& token) {
    return httpRequest(port, "POST", path, body.is_null() ? "" : body.dump(), token);
  };
  const auto get = [&](const std::string& path) {
    return httpRequest(port, "GET", path, "", clerk);
  };

  today("2026-09-28");
  auto created = post(kCare + "/institutions",
                      {{"name", "汉滨区社会福利中心"},
                       {"uscc", "52610902MJ0000018R"},
                       {"profit", "non_profit"},
                       {"ownership", "public"},
                       {"registration_authority", "civil_affairs"},
                       {"address", "汉滨区江北大道1号"},
                       {"township", "江北街道"},
                       {"legal_representative", "李主任"},
                       {"beds", 120},
                       {"nursing_beds", 66},
                       {"floor_area_m2", 8600},
                       {"grade", 3},
                       {"registered_on", "2026-09-01"}},
                      clerk);
  ASSERT_EQ(created.status, 201) << created.body;
  const long long institution = created.json()["id"];
  const std::string path = kCare + "/institutions/" + std::to_string(institution);
  auto few = post(kCare + "/institutions",
                  {{"name", "小院"},
                   {"uscc", "52610902MJ0000026L"},
                   {"profit", "non_profit"},
                   {"ownership", "private"},
                   {"registration_authority", "civil_affairs"},
                   {"address", "某村"},
                   {"township", "关庙镇"},
                   {"legal_representative", "张"},
                   {"beds", 9},
                   {"nursing_beds", 0},
                   {"floor_area_m2", 300}},
                  clerk);
  EXPECT_EQ(few.status, 422);
  EXPECT_EQ(few.json()["errors"][0]["field"], "beds");
  EXPECT_EQ(few.json()["errors"][0]["rule"], "min-beds");

  // Not a 特困 person: social_assistance answers for 特困 here, so 特困 funding would be refused.
  const auto elder = citizenId("19400312", 11);
  auto not_tekun =
      post(kCare + "/residents", admission(institution, elder, "A101", "nursing", "tekun"), clerk);
  EXPECT_EQ(not_tekun.status, 422);
  EXPECT_EQ(not_tekun.json()["errors"][0]["rule"], "tekun-covered");
  auto first = post(kCare + "/residents",
                    admission(institution, elder, "A101", "nursing", "self_paid"), clerk);
  ASSERT_EQ(first.status, 201) << first.body;
  const long long resident = first.json()["id"];
  auto second_resident = post(
      kCare + "/residents",
      admission(institution, citizenId("19380805", 22), "A102", "self_care", "self_paid"), clerk);
  ASSERT_EQ(second_resident.status, 201) << second_resident.body;
  auto same_bed = post(
      kCare + "/residents",
      admission(institution, citizenId("19420101", 33), "A101", "nursing", "self_paid"), clerk);
  EXPECT_EQ(same_bed.status, 409);
  EXPECT_NE(same_bed.body.find("one-resident-per-bed"), std::string::npos);

  // First admission Monday 09-28: 09-29, 09-30, 国庆 10-01..07 off, 10-08, 10-09, 10-10 (make-up
  // Saturday), 10-12..16 → due Friday 10-16 (without the holiday: 10-12).
  EXPECT_EQ(get(path).json()["filing_due"], "2026-10-16");
  today("2026-10-16");
  EXPECT_EQ(get(kCare + "/filings/overdue").json()["total"], 0);
  today("2026-10-17");
  auto overdue = get(kCare + "/filings/overdue").json();
  ASSERT_EQ(overdue["total"], 1);
  EXPECT_EQ(overdue["items"][0]["filing_due"], "2026-10-16");
  auto notice =
      post(path + "/filings", {{"materials", {"application_form", "fire_safety"}}}, clerk);
  ASSERT_EQ(notice.status, 201) << notice.body;
  EXPECT_FALSE(notice.json()["complete"]);
  EXPECT_EQ(notice.json()["missing"].size(), 4u);
  auto receipt = post(path + "/filings",
                      {{"materials",
                        {"application_form", "registration_certificate", "premises_proof",
                         "fire_safety", "legal_representative", "compliance_pledge"}}},
                      clerk);
  ASSERT_EQ(receipt.status, 201) << receipt.body;
  EXPECT_EQ(receipt.json()["receipt_number"], "BA610902-2026-000001");
  EXPECT_EQ(get(kCare + "/filings/overdue").json()["total"], 0);

  // An inspection finds a hazard with a deadline; a week later it is past it.
  today("2026-10-19");
  auto inspection = post(path + "/inspections",
                         {{"inspected_on", "2026-10-19"},
                          {"inspectors", "王某、张某"},
                          {"findings", "浴室无防滑设施"}},
                         clerk);
  ASSERT_EQ(inspection.status, 201) << inspection.body;
  auto hazard = post(
      kCare + "/inspections/" + std::to_string(inspection.json()["id"].get<long long>()) +
          "/hazards",
      {{"category", "fall"}, {"description", "浴室无防滑垫"}, {"deadline", "2026-10-23"}}, clerk);
  ASSERT_EQ(hazard.status, 201) << hazard.body;
  today("2026-10-26");
  auto hazards = get(kCare + "/hazards?overdue=true").json();
  ASSERT_EQ(hazards["total"], 1);
  EXPECT_EQ(hazards["items"][0]["deadline"], "2026-10-23");

  // The funeral module registers the resident's death: the resident is discharged that day.
  auto death = post(kFuneral + "/deaths",
                    {{"citizen_id", elder},
                     {"name", "入住老人"},
                     {"death_date", "2026-10-25"},
                     {"place", "汉滨区社会福利中心"},
                     {"township", "江北街道"},
                     {"manner", "normal"},
                     {"certificate_number", "YX-2026-1025"},
                     {"certificate_issuer", "medical"}},
                    clerk);
  ASSERT_EQ(death.status, 201) << death.body;
  json shown;
  for (int i = 0; i < 200; ++i) {
    shown = get(kCare + "/residents/" + std::to_string(resident)).json();
    if (shown["status"] == "deceased") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(shown["status"], "deceased");
  EXPECT_EQ(shown["discharged_on"], "2026-10-25");

  // October's operating subsidy (config/policy/6109.yaml: nursing 200, self-care 100 per
  // resident-month): both residents were in residence in October → 300.00.
  today("2026-11-02");
  auto run = post(kCare + "/subsidy-runs", {{"month", "2026-10"}}, approver);
  ASSERT_EQ(run.status, 201) << run.body;
  EXPECT_EQ(run.json()["total"], "300.00");
  EXPECT_EQ(post(kCare + "/subsidy-runs", {{"month", "2026-10"}}, approver).status, 200);
  EXPECT_EQ(httpRequest(port, "GET", kCare + "/subsidy-runs/2026-10/roll.csv", "", approver).status,
            409);
  EXPECT_EQ(post(kCare + "/subsidy-runs/2026-10/confirmation", nullptr, approver).status, 403);
  auto confirmed = post(kCare + "/subsidy-runs/2026-10/confirmation", nullptr, second);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json()["status"], "confirmed");
  auto roll = httpRequest(port, "GET", kCare + "/subsidy-runs/2026-10/roll.csv", "", approver);
  ASSERT_EQ(roll.status, 200);
  EXPECT_NE(roll.body.find(",total,,,,300.00"), std::string::npos) << roll.body;

  auto indicators = httpRequest(
      port, "GET", "/api/v1/counties/610902/indicators?from=2026-10-01&to=2026-10-31", "", clerk);
  ASSERT_EQ(indicators.status, 200) << indicators.body;
  std::map<std::string, long long> values;
  const json listed = indicators.json()["indicators"];
  for (const auto& indicator : listed)
    values[indicator["id"].get<std::string>()] = indicator["value"].get<long long>();
  EXPECT_EQ(values["beds"], 120);
  EXPECT_EQ(values["nursing_bed_share_permille"], 550);  // 66 / 120
  EXPECT_EQ(values["hazards_overdue"], 1);
  // 09-28..10-31 excluded the death: the survivor 31 days, the deceased 10-01..10-24 = 24.
  EXPECT_EQ(values["resident_days"], 55);
  EXPECT_EQ(values["occupancy_permille"], 8);  // 1 / 120 = 8.3‰
  // The other demo county has the module too.
  EXPECT_EQ(get("/api/v1/counties/350502/elderly_care/institutions").status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, ElderlyCareEndToEnd,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ
