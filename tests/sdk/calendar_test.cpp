#include <gtest/gtest.h>

#include <civ/sdk/calendar.h>

namespace civ::sdk {
namespace {

Date d(const char* text) { return *Date::parse(text); }

std::vector<Date> range(const char* from, const char* to) {
  std::vector<Date> days;
  for (Date day = d(from); day <= d(to); day = day.addDays(1)) days.push_back(day);
  return days;
}

// 2026 as published on 2025-11-04 (holidays.md).
WorkingDayCalendar calendar2026() {
  WorkingDayCalendar calendar;
  std::vector<Date> holidays;
  for (auto [from, to] :
       std::vector<std::pair<const char*, const char*>>{{"2026-01-01", "2026-01-03"},
                                                        {"2026-02-15", "2026-02-23"},
                                                        {"2026-04-04", "2026-04-06"},
                                                        {"2026-05-01", "2026-05-05"},
                                                        {"2026-06-19", "2026-06-21"},
                                                        {"2026-09-25", "2026-09-27"},
                                                        {"2026-10-01", "2026-10-07"}}) {
    auto days = range(from, to);
    holidays.insert(holidays.end(), days.begin(), days.end());
  }
  calendar.addYear(2026, holidays,
                   {d("2026-01-04"), d("2026-02-14"), d("2026-02-28"), d("2026-05-09"),
                    d("2026-09-20"), d("2026-10-10")});
  return calendar;
}

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
