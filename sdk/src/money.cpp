#include <charconv>
#include <cstdlib>

#include <civ/sdk/money.h>

namespace civ::sdk {

std::int64_t divideRounded(std::int64_t numerator, std::int64_t denominator, Rounding rounding) {
  std::int64_t quotient = numerator / denominator;
  std::int64_t remainder = numerator % denominator;
  if (remainder == 0) return quotient;
  const std::int64_t away = numerator < 0 ? -1 : 1;
  switch (rounding) {
    case Rounding::Down:
      return quotient;
    case Rounding::Up:
      return quotient + away;
    case Rounding::HalfUp:
      // |remainder| * 2 >= denominator means at least half: round away from zero.
      return std::llabs(remainder) * 2 >= denominator ? quotient + away : quotient;
  }
  return quotient;
}

namespace {

// GCC's 128-bit integer; __extension__ keeps -Wpedantic quiet about it.
__extension__ using Int128 = __int128;

// Parses [-]digits[.digits] with at most `max_decimals` decimals into an integer scaled by
// 10^max_decimals.
std::optional<std::int64_t> parseScaled(std::string_view text, int max_decimals) {
  if (text.empty()) return std::nullopt;
  bool negative = false;
  if (text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 12) return std::nullopt;
  if (dot != std::string_view::npos &&
      (fraction.empty() || static_cast<int>(fraction.size()) > max_decimals))
    return std::nullopt;
  std::int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  for (int i = 0; i < max_decimals; ++i) {
    int digit = 0;
    if (i < static_cast<int>(fraction.size())) {
      const char c = fraction[i];
      if (c < '0' || c > '9') return std::nullopt;
      digit = c - '0';
    }
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

std::string formatScaled(std::int64_t value, std::int64_t scale, int decimals, bool trim) {
  std::string text = value < 0 ? "-" : "";
  const std::uint64_t magnitude = value < 0 ? -static_cast<std::uint64_t>(value) : value;
  text += std::to_string(magnitude / scale);
  std::string fraction = std::to_string(magnitude % scale);
  fraction.insert(0, decimals - fraction.size(), '0');
  if (trim) {
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  }
  if (!fraction.empty()) text += "." + fraction;
  return text;
}

}  // namespace

std::optional<Ratio> Ratio::parse(std::string_view text) {
  auto value = parseScaled(text, 6);
  if (!value) return std::nullopt;
  return Ratio(*value);
}

std::string Ratio::toString() const { return formatScaled(millionths_, kScale, 6, true); }

std::optional<Money> Money::parse(std::string_view yuan_text) {
  auto value = parseScaled(yuan_text, 2);
  if (!value) return std::nullopt;
  return Money(*value);
}

std::string Money::toString() const { return formatScaled(fen_, 100, 2, false); }

Money Money::times(Ratio ratio, Rounding rounding) const {
  // fen * millionths can overflow int64 above ~9.2e12 fen * 1e6; use 128-bit intermediates.
  const Int128 product = static_cast<Int128>(fen_) * ratio.millionths();
  const Int128 scale = Ratio::kScale;
  Int128 quotient = product / scale;
  const Int128 remainder = product % scale;
  if (remainder != 0) {
    const int away = product < 0 ? -1 : 1;
    const Int128 magnitude = remainder < 0 ? -remainder : remainder;
    if (rounding == Rounding::Up || (rounding == Rounding::HalfUp && magnitude * 2 >= scale))
      quotient += away;
  }
  return Money(static_cast<std::int64_t>(quotient));
}

Money Money::dividedBy(std::int64_t divisor, Rounding rounding) const {
  return Money(divideRounded(fen_, divisor, rounding));
}

Money Money::roundedToYuan(Rounding rounding) const {
  return Money(divideRounded(fen_, 100, rounding) * 100);
}

}  // namespace civ::sdk
