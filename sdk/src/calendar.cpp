#include <algorithm>
#include <set>

#include <civ/sdk/calendar.h>

namespace civ::sdk {

struct WorkingDayCalendar::Data {
  std::set<int> years;
  std::set<Date> holidays;
  std::set<Date> makeup_days;
};

WorkingDayCalendar::WorkingDayCalendar() : data_(std::make_shared<Data>()) {}
WorkingDayCalendar::~WorkingDayCalendar() = default;
WorkingDayCalendar::WorkingDayCalendar(const WorkingDayCalendar&) = default;
WorkingDayCalendar& WorkingDayCalendar::operator=(const WorkingDayCalendar&) = default;

void WorkingDayCalendar::addYear(int year, const std::vector<Date>& holidays,
                                 const std::vector<Date>& makeup_days) {
  // Copy on write: a calendar already handed out stays as it was.
  auto data = std::make_shared<Data>(*data_);
  data->years.insert(year);
  data->holidays.insert(holidays.begin(), holidays.end());
  data->makeup_days.insert(makeup_days.begin(), makeup_days.end());
  data_ = std::move(data);
}

bool WorkingDayCalendar::hasYear(int year) const { return data_->years.count(year) != 0; }

std::vector<int> WorkingDayCalendar::years() const {
  return {data_->years.begin(), data_->years.end()};
}

bool WorkingDayCalendar::isWorkingDay(Date date) const {
  if (data_->holidays.count(date) != 0) return false;
  if (data_->makeup_days.count(date) != 0) return true;
  return date.isoWeekday() <= 5;
}

namespace {
void noteYear(const WorkingDayCalendar& calendar, Date date, bool& complete,
              std::vector<int>& missing) {
  const int year = date.year();
  if (calendar.hasYear(year)) return;
  complete = false;
  if (std::find(missing.begin(), missing.end(), year) == missing.end()) missing.push_back(year);
}
}  // namespace

CalendarResult WorkingDayCalendar::addWorkingDays(Date start, int n) const {
  CalendarResult result;
  Date date = start;
  int counted = 0;
  while (counted < n) {
    date = date.addDays(1);
    noteYear(*this, date, result.complete, result.years_without_calendar);
    if (isWorkingDay(date)) ++counted;
  }
  result.date = date;
  return result;
}

WorkingDayCount WorkingDayCalendar::workingDaysBetween(Date from, Date to) const {
  WorkingDayCount count;
  const bool backwards = to < from;
  Date low = backwards ? to : from;
  const Date high = backwards ? from : to;
  while (low < high) {
    low = low.addDays(1);
    noteYear(*this, low, count.complete, count.years_without_calendar);
    if (isWorkingDay(low)) ++count.days;
  }
  if (backwards) count.days = -count.days;
  return count;
}

CalendarResult WorkingDayCalendar::onOrNextWorkingDay(Date date) const {
  CalendarResult result;
  noteYear(*this, date, result.complete, result.years_without_calendar);
  while (!isWorkingDay(date)) {
    date = date.addDays(1);
    noteYear(*this, date, result.complete, result.years_without_calendar);
  }
  result.date = date;
  return result;
}

}  // namespace civ::sdk
