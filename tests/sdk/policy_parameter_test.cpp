#include <gtest/gtest.h>

#include <civ/sdk/policy.h>

namespace civ::sdk {
namespace {

ParameterDeclaration money(const char* minimum, const char* maximum) {
  ParameterDeclaration declaration;
  declaration.key = "dibao.standard.urban";
  declaration.type = ParameterType::Money;
  declaration.default_value = "0";
  declaration.minimum = minimum;
  declaration.maximum = maximum;
  return declaration;
}

TEST(ParameterCheck, CanonicalisesMoney) {
  auto check = checkParameterValue(money("0", "5000"), "780");
  ASSERT_TRUE(check.canonical);
  EXPECT_EQ(*check.canonical, "780.00");
}

TEST(ParameterCheck, RefusesValuesOutsideTheBoundsNamingTheBound) {
  auto check = checkParameterValue(money("100", "5000"), "5000.01");
  EXPECT_FALSE(check.canonical);
  EXPECT_EQ(check.problem, "5000.01 is above the maximum 5000");
  check = checkParameterValue(money("100", "5000"), "99.99");
  EXPECT_EQ(check.problem, "99.99 is below the minimum 100");
}

TEST(ParameterCheck, RefusesTheWrongType) {
  auto check = checkParameterValue(money("0", "5000"), "780.001");
  EXPECT_FALSE(check.canonical);
  EXPECT_NE(check.problem.find("(type money)"), std::string::npos);
  ParameterDeclaration flag;
  flag.type = ParameterType::Bool;
  EXPECT_FALSE(checkParameterValue(flag, "yes").canonical);
  EXPECT_TRUE(checkParameterValue(flag, "true").canonical);
  ParameterDeclaration choice;
  choice.type = ParameterType::Enum;
  choice.allowed = {"calendar_days", "working_days"};
  EXPECT_EQ(checkParameterValue(choice, "weeks").problem,
            "'weeks' is not one of: calendar_days, working_days");
}

TEST(ParameterCheck, ComparesDatesAndRatiosByValue) {
  ParameterDeclaration ratio;
  ratio.type = ParameterType::Ratio;
  ratio.minimum = "1";
  ratio.maximum = "2";
  EXPECT_EQ(*checkParameterValue(ratio, "1.50").canonical, "1.5");
  EXPECT_FALSE(checkParameterValue(ratio, "2.000001").canonical);
  ParameterDeclaration date;
  date.type = ParameterType::Date;
  date.minimum = "2025-05-10";
  EXPECT_FALSE(checkParameterValue(date, "2025-05-09").canonical);
  EXPECT_TRUE(checkParameterValue(date, "2025-05-10").canonical);
}

}  // namespace
}  // namespace civ::sdk
