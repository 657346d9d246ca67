#include <gtest/gtest.h>

#include <civ/sdk/calendar.h>
#include <civ/sdk/testing/published_calendars.h>

namespace civ::sdk {
namespace {

Date d(const char* text) { return *Date::parse(text); }

// The published 2025/2026 schedules (holidays.md).
WorkingDayCalendar calendar2026() { return testing::publishedCalendar(); }

TEST(WorkingDayCalendar, HolidaysAreOffAndMakeUpDaysAreWorked) {
  const auto calendar = calendar2026();
  EXPECT_FALSE(calendar.isWorkingDay(d("2026-10-05")));  // 国庆, a Monday
  EXPECT_TRUE(calendar.isWorkingDay(d("2026-10-10")));   // make-up Saturday
  EXPECT_TRUE(calendar.isWorkingDay(d("2026-02-14")));   // make-up Saturday before 春节
  EXPECT_FALSE(calendar.isWorkingDay(d("2026-11-22")));  // an ordinary Sunday
  EXPECT_TRUE(calendar.isWorkingDay(d("2026-11-23")));
}

TEST(WorkingDayCalendar, AddsWorkingDaysAcrossTheNationalDayHoliday) {
  const auto calendar = calendar2026();
  // Received Wednesday 2026-09-30; working days after it: Oct 8 (Thu), Oct 9 (Fri), Oct 10 (make-up
  // Sat).
  const auto third = calendar.addWorkingDays(d("2026-09-30"), 3);
  EXPECT_EQ(third.date.toString(), "2026-10-10");
  EXPECT_TRUE(third.complete);
  EXPECT_EQ(calendar.workingDaysBetween(d("2026-09-30"), d("2026-10-10")).days, 3);
}

TEST(WorkingDayCalendar, APeriodEndingOnAHolidayMovesToTheNextWorkingDay) {
  const auto calendar = calendar2026();
  EXPECT_EQ(calendar.onOrNextWorkingDay(d("2026-10-03")).date.toString(), "2026-10-08");
  EXPECT_EQ(calendar.onOrNextWorkingDay(d("2026-11-23")).date.toString(), "2026-11-23");
}

TEST(WorkingDayCalendar, AYearWithoutACalendarCountsWeekendsOnlyAndSaysSo) {
  const auto calendar = calendar2026();
  const auto result = calendar.addWorkingDays(d("2026-12-30"), 3);
  // Dec 31 (Thu); 2027: Jan 1 (Fri) counted as working (no 2027 data), Jan 4 (Mon).
  EXPECT_EQ(result.date.toString(), "2027-01-04");
  EXPECT_FALSE(result.complete);
  EXPECT_EQ(result.years_without_calendar, std::vector<int>{2027});
}

TEST(WorkingDayCalendar, CopiesDoNotSeeLaterYears) {
  WorkingDayCalendar calendar;
  const WorkingDayCalendar before = calendar;
  calendar.addYear(2026, {d("2026-01-01")}, {});
  EXPECT_TRUE(calendar.hasYear(2026));
  EXPECT_FALSE(before.hasYear(2026));
  EXPECT_TRUE(before.isWorkingDay(d("2026-01-01")));
}

}  // namespace
}  // namespace civ::sdk
