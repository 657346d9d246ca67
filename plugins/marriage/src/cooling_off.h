// The divorce cooling-off period (民法典 §1077) in dates: counted from the day after receipt;
// a period whose last day is a statutory holiday or rest day ends on the next working day.
#pragma once

#include <vector>

#include <civ/sdk/calendar.h>
#include <civ/sdk/date.h>

namespace civ::plugins::marriage {

struct CoolingOffPeriod {
  sdk::Date received_on;
  sdk::Date withdraw_until;  ///< last day either party may withdraw alone (day 30, moved)
  sdk::Date collect_from;    ///< first day both may apply for the certificate (the day after)
  sdk::Date
      collect_until;     ///< last day to apply (day 60, moved); afterwards the application lapses
  bool complete = true;  ///< false when a year without a published calendar was involved
  std::vector<int> years_without_calendar;
};

CoolingOffPeriod coolingOffPeriod(sdk::Date received_on, const sdk::WorkingDayCalendar& calendar);

}  // namespace civ::plugins::marriage
