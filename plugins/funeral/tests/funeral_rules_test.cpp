// The funeral decisions that need no database: approval authorities, plot areas and use
// periods, and who is exempt on what evidence.
#include "../src/funeral_rules.h"

#include <gtest/gtest.h>

#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::funeral {
namespace {

using sdk::testing::day;

sdk::CoverageAnswer answered(std::vector<std::string> programs,
                             std::vector<std::string> covered = {}) {
  sdk::CoverageAnswer answer;
  answer.answered_programs = std::move(programs);
  for (auto& program : covered)
    answer.covered.push_back(
        {program, "social_assistance", "DB610902-2026-000001", day("2026-04-01"), std::nullopt});
  return answer;
}

TEST(FuneralRules, EachFacilityKindHasItsApprovingAuthority) {
  EXPECT_EQ(approvingAuthority("funeral_home", ""), "county_government");
  EXPECT_EQ(approvingAuthority("crematorium", ""), "county_government");
  EXPECT_EQ(approvingAuthority("ash_hall", ""), "county_civil_affairs");
  EXPECT_EQ(approvingAuthority("cemetery", "commercial"), "province");
  EXPECT_EQ(approvingAuthority("cemetery", "public_welfare"), "county_civil_affairs");
}

TEST(FuneralRules, ACemeterySiteIsNotHeldToAPlotsHundredSquareMetres) {
  EXPECT_EQ(parseSiteArea("12000.5")->hundredths(), 1200050);
  EXPECT_EQ(Area::fromHundredths(1200050).toString(), "12000.50");
  EXPECT_EQ(Area::fromHundredths(8005).toString(), "80.05");
  EXPECT_EQ(parseSiteArea("10000000")->hundredths(), 1000000000);
  EXPECT_FALSE(parseSiteArea("10000000.01"));
  EXPECT_FALSE(parseSiteArea("0"));
  EXPECT_FALSE(parseSiteArea("1.005"));
}

TEST(FuneralRules, PlotAreasInHundredthsOfASquareMetre) {
  EXPECT_EQ(parsePlotArea("1")->hundredths(), 100);
  EXPECT_EQ(parsePlotArea("0.85")->hundredths(), 85);
  EXPECT_EQ(parsePlotArea("4.00")->hundredths(), 400);
  EXPECT_FALSE(parsePlotArea("0.855"));
  EXPECT_FALSE(parsePlotArea("0"));
  EXPECT_FALSE(parsePlotArea("-1"));
  EXPECT_FALSE(parsePlotArea("100.01"));
  EXPECT_EQ(Area::fromHundredths(85).toString(), "0.85");
  EXPECT_EQ(nationalPlotLimit("ashes").hundredths(), 100);
  EXPECT_EQ(nationalPlotLimit("body_single").hundredths(), 400);
  EXPECT_EQ(nationalPlotLimit("body_double").hundredths(), 600);
}

TEST(FuneralRules, APlotLimitIsTheLocalOneNeverAboveTheNationalOne) {
  // Policy holds the limits in m² (a Ratio); the limit is an Area like the plot it bounds.
  EXPECT_EQ(plotAreaLimit("ashes", *sdk::Ratio::parse("0.8")), *parsePlotArea("0.8"));
  EXPECT_EQ(plotAreaLimit("ashes", *sdk::Ratio::parse("1.5")), nationalPlotLimit("ashes"));
  // A limit finer than a hundredth is rounded down, never loosened.
  EXPECT_EQ(plotAreaLimit("body_single", *sdk::Ratio::parse("3.999")).hundredths(), 399);
  EXPECT_LT(*parsePlotArea("3.99"), *parsePlotArea("4"));
}

TEST(FuneralRules, TwentyYearUseEndsTheDayBeforeTheAnniversary) {
  EXPECT_EQ(plotUseUntil(day("2026-03-15"), 20), day("2046-03-14"));
  EXPECT_EQ(plotUseUntil(day("2028-02-29"), 20), day("2048-02-28"));
}

TEST(FuneralRules, CoverageDecidesWhereAModuleAnswers) {
  const std::vector<std::string> enabled = {"tekun", "dibao", "unidentified"};
  const auto covered =
      decideExemption(enabled, answered({"dibao", "tekun"}, {"dibao"}), std::nullopt, false);
  ASSERT_TRUE(covered.category);
  EXPECT_EQ(*covered.category, "dibao");
  EXPECT_EQ(covered.basis, "coverage");
  EXPECT_EQ(covered.evidence, "DB610902-2026-000001");
  // The register says no: a certificate cannot override it.
  const auto overridden = decideExemption(enabled, answered({"dibao", "tekun"}),
                                          CategoryCertificate{"dibao", "No.1", "乡镇"}, false);
  EXPECT_FALSE(overridden.category);
  EXPECT_NE(overridden.refusal.find("cannot decide"), std::string::npos);
}

TEST(FuneralRules, ACertificateDecidesWhereNoModuleAnswers) {
  const std::vector<std::string> enabled = {"tekun", "dibao"};
  const auto decision = decideExemption(
      enabled, answered({}), CategoryCertificate{"dibao", "低保证 0042", "汉滨区民政局"}, false);
  ASSERT_TRUE(decision.category);
  EXPECT_EQ(decision.basis, "certificate");
  EXPECT_NE(decision.note.find("recorded by hand"), std::string::npos);
  EXPECT_FALSE(decideExemption(enabled, answered({}), std::nullopt, false).category);
}

TEST(FuneralRules, UnidentifiedBodiesAndCountiesExemptingEveryone) {
  EXPECT_EQ(*decideExemption({"unidentified"}, answered({}), std::nullopt, true).category,
            "unidentified");
  EXPECT_FALSE(decideExemption({"dibao"}, answered({"dibao"}), std::nullopt, true).category);
  EXPECT_EQ(*decideExemption({"dibao", "all_residents"}, answered({"dibao"}), std::nullopt, false)
                 .category,
            "all_residents");
}

TEST(FuneralRules, AnItemIsExemptUpToItsCap) {
  const auto item = capItem("urn", *sdk::Money::parse("350"), *sdk::Money::parse("200"));
  EXPECT_EQ(item.exempt.fen(), 20000);
  EXPECT_EQ(item.charged.fen(), 35000);
  EXPECT_EQ(capItem("urn", *sdk::Money::parse("150.50"), *sdk::Money::parse("200")).exempt.fen(),
            15050);
}

}  // namespace
}  // namespace civ::plugins::funeral
