#include <gtest/gtest.h>

#include <civ/sdk/clock.h>
#include <civ/sdk/date.h>

namespace civ::sdk {
namespace {

TEST(Date, ParsesOnlyRealIsoDates) {
  EXPECT_EQ(Date::parse("2024-02-29")->toString(), "2024-02-29");
  EXPECT_FALSE(Date::parse("2025-02-29"));
  EXPECT_FALSE(Date::parse("2025-13-01"));
  EXPECT_FALSE(Date::parse("2025-1-01"));
  EXPECT_FALSE(Date::parse("2025/01/01"));
  EXPECT_FALSE(Date::parse("0000-01-01"));
  EXPECT_FALSE(Date::parse("２０２５-01-01"));
}

TEST(Date, CountsCalendarDays) {
  const Date receipt = *Date::parse("2026-01-10");
  EXPECT_EQ(receipt.addDays(30).toString(), "2026-02-09");
  EXPECT_EQ(receipt.daysUntil(*Date::parse("2026-02-09")), 30);
  EXPECT_EQ(Date::parse("2026-03-01")->daysUntil(*Date::parse("2026-02-28")), -1);
}

TEST(Date, AddsMonthsClampingToTheMonthsEnd) {
  EXPECT_EQ(Date::parse("2026-01-31")->addMonths(1).toString(), "2026-02-28");
  EXPECT_EQ(Date::parse("2024-01-31")->addMonths(1).toString(), "2024-02-29");
  EXPECT_EQ(Date::parse("2026-11-15")->addMonths(3).toString(), "2027-02-15");
}

TEST(Date, AgeCountsTheBirthdayItself) {
  const Date birth = *Date::parse("2004-05-10");
  EXPECT_EQ(birth.yearsUntil(*Date::parse("2026-05-09")), 21);
  EXPECT_EQ(birth.yearsUntil(*Date::parse("2026-05-10")), 22);
  // Born on 29 February: the age changes on 1 March in common years.
  EXPECT_EQ(Date::parse("2004-02-29")->yearsUntil(*Date::parse("2026-02-28")), 21);
  EXPECT_EQ(Date::parse("2004-02-29")->yearsUntil(*Date::parse("2026-03-01")), 22);
}

TEST(Date, KnowsTheIsoWeekday) {
  EXPECT_EQ(Date::parse("2026-11-23")->isoWeekday(), 1u);  // a Monday
  EXPECT_EQ(Date::parse("2026-11-29")->isoWeekday(), 7u);
}

TEST(Clock, TodayIsTheDateInChinaStandardTime) {
  // 2026-03-01T17:30:00Z is 2026-03-02T01:30 in Beijing.
  const auto instant = std::chrono::sys_days{std::chrono::year{2026} / 3 / 1} +
                       std::chrono::hours{17} + std::chrono::minutes{30};
  FixedClock clock{std::chrono::system_clock::time_point(instant)};
  EXPECT_EQ(clock.today().toString(), "2026-03-02");
  EXPECT_EQ(FixedClock(*Date::parse("2026-03-02")).today().toString(), "2026-03-02");
}

}  // namespace
}  // namespace civ::sdk
