#include <cstdio>

#include <civ/sdk/date.h>

namespace civ::sdk {

namespace chr = std::chrono;

std::optional<Date> Date::fromParts(int y, unsigned m, unsigned d) {
  if (y < 1 || y > 9999) return std::nullopt;
  const chr::year_month_day ymd{chr::year{y}, chr::month{m}, chr::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return Date(chr::sys_days{ymd});
}

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const int starts[3] = {0, 5, 8};
  const int lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < lengths[p]; ++i) {
      const char c = text[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  return fromParts(parts[0], static_cast<unsigned>(parts[1]), static_cast<unsigned>(parts[2]));
}

std::string Date::toString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", year(), month(), day());
  return buffer;
}

int Date::year() const { return static_cast<int>(ymd().year()); }
unsigned Date::month() const { return static_cast<unsigned>(ymd().month()); }
unsigned Date::day() const { return static_cast<unsigned>(ymd().day()); }
unsigned Date::isoWeekday() const { return chr::weekday{days_}.iso_encoding(); }

Date Date::addMonths(int months) const {
  const chr::year_month_day current = ymd();
  const chr::year_month shifted =
      chr::year_month{current.year(), current.month()} + chr::months{months};
  const auto last =
      chr::year_month_day_last{shifted.year(), chr::month_day_last{shifted.month()}}.day();
  const auto target_day = current.day() > last ? last : current.day();
  return Date(chr::sys_days{chr::year_month_day{shifted.year(), shifted.month(), target_day}});
}

int Date::yearsUntil(Date on) const {
  const chr::year_month_day birth = ymd();
  const chr::year_month_day then = on.ymd();
  int years = static_cast<int>(then.year()) - static_cast<int>(birth.year());
  if (chr::month_day{then.month(), then.day()} < chr::month_day{birth.month(), birth.day()})
    --years;
  return years;
}

}  // namespace civ::sdk
