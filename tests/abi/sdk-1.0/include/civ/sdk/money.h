// Money as an integer number of fen (分), and exact ratios. Never a float.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <civ/sdk/abi.h>

namespace civ::sdk {

/// How a computed amount is brought to a whole unit. The rule of the SDK: every computation
/// that divides or multiplies by a ratio names its rounding; HalfUp (四舍五入, half away from
/// zero) is the default because it is what the bureau's payment rules state.
enum class Rounding : std::int32_t {
  HalfUp,  ///< 四舍五入: 0.5 and above away from zero
  Up,      ///< 进位: any remainder away from zero
  Down,    ///< 舍去: remainder dropped (toward zero)
};

/// An exact decimal ratio with six decimal places (e.g. 0.35, 1.5, 0.001).
class CIV_SDK_API Ratio {
 public:
  static constexpr std::int64_t kScale = 1'000'000;

  constexpr Ratio() = default;
  static constexpr Ratio fromMillionths(std::int64_t millionths) { return Ratio(millionths); }
  /// Parses "0.35", "1.5", "2", "-0.1"; at most six decimals. nullopt when malformed.
  static std::optional<Ratio> parse(std::string_view text);

  constexpr std::int64_t millionths() const { return millionths_; }
  /// Shortest exact decimal form, e.g. "0.35", "1.5", "2".
  std::string toString() const;

  constexpr auto operator<=>(const Ratio&) const = default;

 private:
  constexpr explicit Ratio(std::int64_t millionths) : millionths_(millionths) {}
  std::int64_t millionths_ = 0;
};

/// An amount of money in fen (1 yuan = 100 fen). Arithmetic is exact; overflow of int64 fen
/// (about 9.2e16 yuan) is not checked.
class CIV_SDK_API Money {
 public:
  constexpr Money() = default;
  static constexpr Money fromFen(std::int64_t fen) { return Money(fen); }
  static constexpr Money fromYuan(std::int64_t yuan) { return Money(yuan * 100); }
  /// Parses a yuan amount: "780", "780.5", "780.50", "-12.03". At most two decimals; no
  /// thousands separators, no currency sign. nullopt when malformed.
  static std::optional<Money> parse(std::string_view yuan_text);

  constexpr std::int64_t fen() const { return fen_; }
  /// Yuan with exactly two decimals, e.g. "780.00", "-0.05".
  std::string toString() const;

  /// This amount times a ratio, rounded to the fen.
  Money times(Ratio ratio, Rounding rounding = Rounding::HalfUp) const;
  /// This amount divided by a positive integer (e.g. members of a household), to the fen.
  Money dividedBy(std::int64_t divisor, Rounding rounding = Rounding::HalfUp) const;
  /// Rounded to whole yuan (低保 amounts are often paid in whole yuan).
  Money roundedToYuan(Rounding rounding = Rounding::HalfUp) const;

  constexpr Money operator+(Money other) const { return Money(fen_ + other.fen_); }
  constexpr Money operator-(Money other) const { return Money(fen_ - other.fen_); }
  constexpr Money operator*(std::int64_t factor) const { return Money(fen_ * factor); }
  constexpr Money operator-() const { return Money(-fen_); }
  constexpr Money& operator+=(Money other) {
    fen_ += other.fen_;
    return *this;
  }
  constexpr Money& operator-=(Money other) {
    fen_ -= other.fen_;
    return *this;
  }
  constexpr auto operator<=>(const Money&) const = default;

 private:
  constexpr explicit Money(std::int64_t fen) : fen_(fen) {}
  std::int64_t fen_ = 0;
};

/// numerator / denominator rounded to an integer by the given rule (denominator > 0).
CIV_SDK_API std::int64_t divideRounded(std::int64_t numerator, std::int64_t denominator,
                                       Rounding rounding);

}  // namespace civ::sdk
