// The divorce cooling-off period (民法典 §1077) in dates: counted from the day after receipt;
// a period whose last day is a statutory holiday or rest day ends on the next working day.
#pragma once

#include <string>
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

/// What a divorce application is on `today`, from its stored status ("received", "withdrawn",
/// "registered") and its dates: "cooling_off" to withdraw_until, "awaiting_certificate" to
/// collect_until, "lapsed" after. Lapse is derived on every read, never stored.
std::string divorceStatusOn(const std::string& stored, sdk::Date withdraw_until,
                            sdk::Date collect_until, sdk::Date today);

}  // namespace civ::plugins::marriage
