#include <civ/sdk/month.h>

namespace civ::sdk {

std::optional<Month> Month::parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto date = Date::parse(std::string(text) + "-01");
  if (!date) return std::nullopt;
  return Month(date->year(), date->month());
}

Month Month::of(Date date) { return Month(date.year(), date.month()); }

std::string Month::toString() const { return firstDay().toString().substr(0, 7); }

Date Month::firstDay() const { return *Date::fromParts(year_, month_, 1); }

Date Month::lastDay() const { return plus(1).firstDay().addDays(-1); }

Month Month::plus(int months) const {
  const int index = year_ * 12 + static_cast<int>(month_) - 1 + months;
  return Month(index / 12, static_cast<unsigned>(index % 12) + 1);
}

int Month::monthsUntil(Month later) const {
  return (later.year_ * 12 + static_cast<int>(later.month_)) -
         (year_ * 12 + static_cast<int>(month_));
}

}  // namespace civ::sdk
