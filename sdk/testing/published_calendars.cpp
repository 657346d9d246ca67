#include <utility>
#include <vector>

#include <civ/sdk/testing/published_calendars.h>

namespace civ::sdk::testing {

namespace {

Date day(const char* text) { return *Date::parse(text); }

std::vector<Date> spans(const std::vector<std::pair<const char*, const char*>>& ranges) {
  std::vector<Date> days;
  for (const auto& [from, to] : ranges)
    for (Date d = day(from); d <= day(to); d = d.addDays(1)) days.push_back(d);
  return days;
}

}  // namespace

WorkingDayCalendar publishedCalendar() {
  WorkingDayCalendar calendar;
  calendar.addYear(2025,
                   spans({{"2025-01-01", "2025-01-01"},
                          {"2025-01-28", "2025-02-04"},
                          {"2025-04-04", "2025-04-06"},
                          {"2025-05-01", "2025-05-05"},
                          {"2025-05-31", "2025-06-02"},
                          {"2025-10-01", "2025-10-08"}}),
                   {day("2025-01-26"), day("2025-02-08"), day("2025-04-27"), day("2025-09-28"),
                    day("2025-10-11")});
  calendar.addYear(2026,
                   spans({{"2026-01-01", "2026-01-03"},
                          {"2026-02-15", "2026-02-23"},
                          {"2026-04-04", "2026-04-06"},
                          {"2026-05-01", "2026-05-05"},
                          {"2026-06-19", "2026-06-21"},
                          {"2026-09-25", "2026-09-27"},
                          {"2026-10-01", "2026-10-07"}}),
                   {day("2026-01-04"), day("2026-02-14"), day("2026-02-28"), day("2026-05-09"),
                    day("2026-09-20"), day("2026-10-10")});
  return calendar;
}

}  // namespace civ::sdk::testing
