// A calendar date (no time, no zone), ISO-8601 "YYYY-MM-DD" on the wire.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include <civ/sdk/abi.h>

namespace civ::sdk {

/// A valid Gregorian date. Construction from parts or text is checked; an invalid date
/// (2025-02-30) cannot exist as a Date.
class CIV_SDK_API Date {
 public:
  /// 1970-01-01; prefer the factories.
  constexpr Date() = default;
  /// nullopt unless year/month/day form a real date (years 1..9999).
  static std::optional<Date> fromParts(int year, unsigned month, unsigned day);
  /// Parses exactly "YYYY-MM-DD"; nullopt when malformed or not a real date.
  static std::optional<Date> parse(std::string_view iso_text);
  static constexpr Date fromSysDays(std::chrono::sys_days days) { return Date(days); }

  std::string toString() const;  ///< "YYYY-MM-DD"
  int year() const;
  unsigned month() const;
  unsigned day() const;
  /// 1 = Monday ... 7 = Sunday (ISO).
  unsigned isoWeekday() const;
  constexpr std::chrono::sys_days sysDays() const { return days_; }
  std::chrono::year_month_day ymd() const { return std::chrono::year_month_day{days_}; }

  constexpr Date addDays(int days) const { return Date(days_ + std::chrono::days{days}); }
  /// Whole calendar days from this date to `later` (negative when `later` is earlier).
  constexpr int daysUntil(Date later) const { return (later.days_ - days_).count(); }
  /// The same day `months` months later, clamped to the month's last day (Jan 31 + 1 = Feb 28).
  Date addMonths(int months) const;
  /// Completed years of age on `on` for someone born on this date (birthday counts).
  int yearsUntil(Date on) const;

  constexpr auto operator<=>(const Date&) const = default;

 private:
  constexpr explicit Date(std::chrono::sys_days days) : days_(days) {}
  std::chrono::sys_days days_{};
};

}  // namespace civ::sdk
