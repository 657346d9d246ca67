// The working-day calendar (工作日): weekends and statutory holidays off, make-up days (调休)
// on. Most legal time limits are in working days; public notices are in calendar days.
#pragma once

#include <memory>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>

namespace civ::sdk {

/// A date computed over the calendar, and whether every year it touched had published data.
/// When `complete` is false the years in `years_without_calendar` were counted on weekends
/// only; show that to the user ("计算未含 2027 年节假日安排").
struct CalendarResult {
  Date date;
  bool complete = true;
  std::vector<int> years_without_calendar;
};

/// A count of working days and whether every year it touched had published data.
struct WorkingDayCount {
  int days = 0;
  bool complete = true;
  std::vector<int> years_without_calendar;
};

/// The national working-day calendar. The host loads it from config/calendar/<year>.yaml;
/// tests build one with addYear(). Immutable once shared; cheap to copy.
class CIV_SDK_API WorkingDayCalendar {
 public:
  WorkingDayCalendar();
  ~WorkingDayCalendar();
  WorkingDayCalendar(const WorkingDayCalendar&);
  WorkingDayCalendar& operator=(const WorkingDayCalendar&);

  /// Declares a year's published schedule: statutory days off and weekend make-up days.
  void addYear(int year, const std::vector<Date>& holidays, const std::vector<Date>& makeup_days);
  bool hasYear(int year) const;
  std::vector<int> years() const;

  /// Holidays are off, make-up days are on, otherwise Monday to Friday are working days.
  /// A year without data uses the weekend rule only.
  bool isWorkingDay(Date date) const;
  /// The n-th working day after `start` (n >= 1; `start` itself is not counted): the deadline
  /// of "within n working days" counted from the day after receipt.
  CalendarResult addWorkingDays(Date start, int n) const;
  /// Working days in (from, to]: how many working days have passed since `from` by `to`.
  /// Negative when `to` is before `from`.
  WorkingDayCount workingDaysBetween(Date from, Date to) const;
  /// `date` if it is a working day, else the next working day (a period ending on a holiday
  /// moves to the next working day).
  CalendarResult onOrNextWorkingDay(Date date) const;

 private:
  struct Data;
  std::shared_ptr<Data> data_;
};

}  // namespace civ::sdk
