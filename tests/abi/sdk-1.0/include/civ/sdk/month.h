// A calendar month ("2026-03"): the unit of payments, assessments and monthly reports.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>

namespace civ::sdk {

class CIV_SDK_API Month {
 public:
  /// 1970-01; prefer the factories.
  constexpr Month() = default;
  /// Parses exactly "YYYY-MM" (years 1..9999, months 01..12); nullopt otherwise.
  static std::optional<Month> parse(std::string_view text);
  /// The month a date lies in.
  static Month of(Date date);

  std::string toString() const;  ///< "YYYY-MM"
  int year() const { return year_; }
  unsigned month() const { return month_; }
  Date firstDay() const;
  Date lastDay() const;
  /// `months` later (earlier when negative).
  Month plus(int months) const;
  /// Whole months from this one to `later` (negative when `later` is earlier).
  int monthsUntil(Month later) const;

  constexpr auto operator<=>(const Month&) const = default;

 private:
  constexpr Month(int year, unsigned month) : year_(year), month_(month) {}
  int year_ = 1970;
  unsigned month_ = 1;
};

}  // namespace civ::sdk
