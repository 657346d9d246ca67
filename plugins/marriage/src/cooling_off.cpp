#include "cooling_off.h"

#include <algorithm>

namespace civ::plugins::marriage {

namespace {
void merge(CoolingOffPeriod& period, const sdk::CalendarResult& result) {
  if (result.complete) return;
  period.complete = false;
  for (int year : result.years_without_calendar)
    if (std::find(period.years_without_calendar.begin(), period.years_without_calendar.end(),
                  year) == period.years_without_calendar.end())
      period.years_without_calendar.push_back(year);
}
}  // namespace

CoolingOffPeriod coolingOffPeriod(sdk::Date received_on, const sdk::WorkingDayCalendar& calendar) {
  CoolingOffPeriod period;
  period.received_on = received_on;
  // Day 1 is the day after receipt, so day 30 is receipt + 30.
  const auto withdraw = calendar.onOrNextWorkingDay(received_on.addDays(30));
  merge(period, withdraw);
  period.withdraw_until = withdraw.date;
  period.collect_from = withdraw.date.addDays(1);
  const auto collect = calendar.onOrNextWorkingDay(received_on.addDays(60));
  merge(period, collect);
  period.collect_until = std::max(collect.date, period.collect_from);
  return period;
}

std::string divorceStatusOn(const std::string& stored, sdk::Date withdraw_until,
                            sdk::Date collect_until, sdk::Date today) {
  if (stored != "received") return stored;
  if (today <= withdraw_until) return "cooling_off";
  if (today <= collect_until) return "awaiting_certificate";
  return "lapsed";
}

}  // namespace civ::plugins::marriage
