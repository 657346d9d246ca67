#include <gtest/gtest.h>

#include <civ/sdk/money.h>

namespace civ::sdk {
namespace {

TEST(Money, ParsesYuanIntoExactFen) {
  EXPECT_EQ(Money::parse("780")->fen(), 78000);
  EXPECT_EQ(Money::parse("780.5")->fen(), 78050);
  EXPECT_EQ(Money::parse("780.05")->fen(), 78005);
  EXPECT_EQ(Money::parse("-12.03")->fen(), -1203);
  EXPECT_EQ(Money::parse("0.01")->fen(), 1);
}

TEST(Money, RefusesMalformedAmounts) {
  for (const char* text : {"", "1.234", "1,000", "¥5", "1.", ".5", "abc", "1e3", "--1", "12 "})
    EXPECT_FALSE(Money::parse(text).has_value()) << text;
}

TEST(Money, FormatsWithTwoDecimals) {
  EXPECT_EQ(Money::fromFen(78000).toString(), "780.00");
  EXPECT_EQ(Money::fromFen(-5).toString(), "-0.05");
  EXPECT_EQ(Money::fromFen(123456789).toString(), "1234567.89");
}

TEST(Money, TimesRatioRoundsHalfUpToTheFen) {
  // 780.00 yuan × 0.35 = 273.00; 333.33 × 0.5 = 166.665 → 166.67 (half up)
  EXPECT_EQ(Money::parse("780")->times(*Ratio::parse("0.35")).fen(), 27300);
  EXPECT_EQ(Money::parse("333.33")->times(*Ratio::parse("0.5")).fen(), 16667);
  EXPECT_EQ(Money::parse("333.33")->times(*Ratio::parse("0.5"), Rounding::Down).fen(), 16666);
  EXPECT_EQ(Money::parse("-333.33")->times(*Ratio::parse("0.5")).fen(), -16667);
  // 1.5 × standard is the 低保边缘 line: 1.5 × 780.00 = 1170.00
  EXPECT_EQ(Money::parse("780")->times(*Ratio::parse("1.5")).toString(), "1170.00");
}

TEST(Money, DividesByMembersWithTheStatedRounding) {
  // 1000.00 yuan over 3 members = 333.333... → 333.33 (half up), 333.34 (up)
  EXPECT_EQ(Money::parse("1000")->dividedBy(3).fen(), 33333);
  EXPECT_EQ(Money::parse("1000")->dividedBy(3, Rounding::Up).fen(), 33334);
  EXPECT_EQ(Money::fromFen(5).dividedBy(2).fen(), 3);
  EXPECT_EQ(Money::fromFen(-5).dividedBy(2).fen(), -3);
}

TEST(Money, RoundsToWholeYuan) {
  EXPECT_EQ(Money::parse("273.50")->roundedToYuan().fen(), 27400);
  EXPECT_EQ(Money::parse("273.49")->roundedToYuan().fen(), 27300);
  EXPECT_EQ(Money::parse("273.01")->roundedToYuan(Rounding::Up).fen(), 27400);
}

TEST(Money, LargeAmountsTimesRatioDoNotOverflow) {
  const Money large = Money::fromFen(9'000'000'000'000'000LL);  // 90 trillion yuan
  EXPECT_EQ(large.times(*Ratio::parse("0.5")).fen(), 4'500'000'000'000'000LL);
}

TEST(Ratio, ParsesAndPrintsExactDecimals) {
  EXPECT_EQ(Ratio::parse("1.5")->millionths(), 1'500'000);
  EXPECT_EQ(Ratio::parse("0.000001")->millionths(), 1);
  EXPECT_EQ(Ratio::parse("0.35")->toString(), "0.35");
  EXPECT_EQ(Ratio::parse("2")->toString(), "2");
  EXPECT_FALSE(Ratio::parse("0.0000001").has_value());
}

}  // namespace
}  // namespace civ::sdk
