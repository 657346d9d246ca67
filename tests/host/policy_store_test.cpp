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
