#include "host/policy/policy_store.h"

#include <gtest/gtest.h>

namespace civ::host {
namespace {

sdk::Date d(const char* text) { return *sdk::Date::parse(text); }

class PolicyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sdk::ParameterDeclaration standard;
    standard.key = "dibao.standard.urban";
    standard.type = sdk::ParameterType::Money;
    standard.default_value = "500.00";
    store_.declare("social_assistance", standard);
    // Shaanxi sets 780 from 2025 and 810 from April 2026; Ankang 800 from 2026; Hanbin nothing.
    add("61", "2025-01-01", "780.00");
    add("61", "2026-04-01", "810.00");
    add("6109", "2026-01-01", "800.00");
  }
  void add(const char* level, const char* from, const char* value) {
    store_.addValue(kKey, PolicyValue{level, d(from), value, "test"});
  }
  std::string valueFor(const char* county, const char* date) {
    return *store_.valueInForce(county, kKey, d(date));
  }

  static constexpr const char* kKey = "social_assistance.dibao.standard.urban";
  PolicyStore store_;
};

TEST_F(PolicyStoreTest, TheMostSpecificLevelWithAValueInForceWins) {
  EXPECT_EQ(valueFor("610902", "2026-03-15"), "800.00");  // prefecture beats province
  EXPECT_EQ(valueFor("610902", "2025-06-01"), "780.00");  // prefecture not yet in force
  EXPECT_EQ(valueFor("610102", "2026-06-01"), "810.00");  // another prefecture: province
  EXPECT_EQ(valueFor("350502", "2026-06-01"), "500.00");  // another province: the default
}

TEST_F(PolicyStoreTest, AMarchComputationStaysReproducibleAfterTheAprilRaise) {
  add("610902", "2026-04-01", "850.00");
  EXPECT_EQ(valueFor("610902", "2026-03-31"), "800.00");
  EXPECT_EQ(valueFor("610902", "2026-04-01"), "850.00");
  const auto source = store_.resolve("610902", kKey, d("2026-04-01"));
  ASSERT_TRUE(source);
  EXPECT_EQ(source->level, "610902");
}

TEST_F(PolicyStoreTest, ValuesAddedOutOfOrderResolveByDate) {
  add("6109", "2025-07-01", "790.00");
  EXPECT_EQ(valueFor("610902", "2025-08-01"), "790.00");
  EXPECT_EQ(valueFor("610902", "2026-08-01"), "800.00");
  EXPECT_EQ(store_.history(kKey).size(), 4u);
}

TEST_F(PolicyStoreTest, AnUndeclaredKeyHasNoValue) {
  EXPECT_FALSE(store_.valueInForce("610902", "social_assistance.nope", d("2026-01-01")));
  PluginPolicyReader reader(store_, "social_assistance");
  EXPECT_THROW(reader.value("610902", "nope", d("2026-01-01")), std::logic_error);
  EXPECT_EQ(reader.money("610902", "dibao.standard.urban", d("2026-03-15")).fen(), 80000);
}

}  // namespace
}  // namespace civ::host

namespace civ::host {
namespace {

TEST_F(PolicyStoreTest, ValuesAreReadParsedAndAStoredValueThatNoLongerFitsIsReportedNotApplied) {
  EXPECT_EQ(std::get<sdk::Money>(store_.typedValueInForce("610902", kKey, sdk::ParameterType::Money,
                                                          d("2026-05-01")))
                .fen(),
            80000);  // Ankang's 800.00 (the prefecture) over Shaanxi's 810.00
  // Read as another type than declared: a bug, never a silent conversion.
  EXPECT_THROW(store_.typedValueInForce("610902", kKey, sdk::ParameterType::Ratio, d("2026-05-01")),
               std::logic_error);
  // The admin API stored one good and one bad value (the module later narrowed its type): the
  // good one applies, the bad one is reported, and nothing else is lost.
  const auto problems = store_.replaceApiValues(
      {{kKey, PolicyValue{"610902", d("2026-06-01"), "850.00", "admin API", true}},
       {kKey, PolicyValue{"610902", d("2026-07-01"), "eight hundred", "admin API", true}}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("eight hundred"), std::string::npos) << problems[0];
  EXPECT_EQ(valueFor("610902", "2026-07-15"), "850.00");
  EXPECT_EQ(valueFor("610902", "2026-05-15"), "800.00");
}

TEST_F(PolicyStoreTest, ADefaultIsMadeCanonicalOnDeclarationAndABadOneChangesNothing) {
  sdk::ParameterDeclaration programs;
  programs.key = "exempt";
  programs.type = sdk::ParameterType::List;
  programs.allowed = {"dibao", "tekun"};
  programs.default_value = "dibao, tekun";
  store_.declare("funeral", programs);
  EXPECT_EQ(*store_.valueInForce("610902", "funeral.exempt", d("2026-01-01")), "dibao,tekun");
  programs.default_value = "wubao";
  EXPECT_THROW(store_.declare("funeral", programs), std::invalid_argument);
  EXPECT_EQ(*store_.valueInForce("610902", "funeral.exempt", d("2026-01-01")), "dibao,tekun");
}

}  // namespace
}  // namespace civ::host
