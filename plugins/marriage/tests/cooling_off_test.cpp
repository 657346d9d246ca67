// Day counting of the cooling-off period against the published 2026 calendar.
#include "../src/cooling_off.h"

#include <gtest/gtest.h>

#include <civ/sdk/testing/published_calendars.h>
#include <civ/sdk/testing/test_data.h>

namespace civ::plugins::marriage {
namespace {

using sdk::testing::day;

sdk::WorkingDayCalendar calendar2026() { return sdk::testing::publishedCalendar(); }

TEST(CoolingOff, CountsFromTheDayAfterReceipt) {
  // Received Tuesday 2026-03-03: day 30 = Thursday 2026-04-02, day 60 = Saturday 2026-05-02
  // (劳动节, moved to Wednesday 2026-05-06).
  const auto period = coolingOffPeriod(day("2026-03-03"), calendar2026());
  EXPECT_EQ(period.withdraw_until.toString(), "2026-04-02");
  EXPECT_EQ(period.collect_from.toString(), "2026-04-03");
  EXPECT_EQ(period.collect_until.toString(), "2026-05-06");
  EXPECT_TRUE(period.complete);
}

TEST(CoolingOff, Day30OnAHolidayMovesToTheNextWorkingDay) {
  // Received 2026-09-02: day 30 = 2026-10-02 (国庆) → 2026-10-08; collection from 2026-10-09.
  const auto period = coolingOffPeriod(day("2026-09-02"), calendar2026());
  EXPECT_EQ(period.withdraw_until.toString(), "2026-10-08");
  EXPECT_EQ(period.collect_from.toString(), "2026-10-09");
  // Day 60 = 2026-11-01, a Sunday → Monday 2026-11-02.
  EXPECT_EQ(period.collect_until.toString(), "2026-11-02");
}

TEST(CoolingOff, AMakeUpSaturdayIsAWorkingDay) {
  // Received 2026-09-10: day 30 = Saturday 2026-10-10, a make-up working day: no move.
  const auto period = coolingOffPeriod(day("2026-09-10"), calendar2026());
  EXPECT_EQ(period.withdraw_until.toString(), "2026-10-10");
}

TEST(CoolingOff, SaysWhenTheNextYearsCalendarIsNotPublished) {
  const auto period = coolingOffPeriod(day("2026-12-01"), calendar2026());
  EXPECT_EQ(period.withdraw_until.toString(), "2026-12-31");
  EXPECT_EQ(period.collect_until.toString(),
            "2027-02-01");  // day 60 = Saturday 2027-01-30 → Monday
  EXPECT_FALSE(period.complete);
  EXPECT_EQ(period.years_without_calendar, std::vector<int>{2027});
}

}  // namespace
}  // namespace civ::plugins::marriage
