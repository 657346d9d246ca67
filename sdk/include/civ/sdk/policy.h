// Policy parameters: what a plugin declares (type, unit, default, bounds) and how it reads the
// value in force for a county on a date. Values live at province, prefecture and county level
// (config/policy/<prefix>.yaml) with effective dates; history is never rewritten.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>
#include <civ/sdk/localized_text.h>
#include <civ/sdk/money.h>

namespace civ::sdk {

enum class ParameterType : std::int32_t {
  Money,    ///< yuan with up to two decimals, e.g. "780.00"
  Ratio,    ///< exact decimal, e.g. "1.5"
  Integer,  ///< whole number, e.g. "30"
  Days,     ///< whole number of days (the unit says calendar or working days)
  Bool,     ///< "true" / "false"
  Enum,     ///< one of `allowed`
  Date,     ///< "YYYY-MM-DD"
};

/// One parameter a plugin reads. Append-only: new fields go at the end; `struct_size` lets the
/// host tell a declaration compiled against an older SDK minor.
struct ParameterDeclaration {
  std::uint32_t struct_size = sizeof(ParameterDeclaration);
  /// Key within the plugin, dotted snake_case: "dibao.standard.urban". The host stores it as
  /// "<plugin>.<key>" in config files and the admin API.
  std::string key;
  ParameterType type = ParameterType::Integer;
  std::string unit;                    ///< "yuan/month", "working_days", "ratio" ...
  std::string default_value;           ///< canonical text; must satisfy the bounds
  std::optional<std::string> minimum;  ///< inclusive, same text form as the value
  std::optional<std::string> maximum;  ///< inclusive
  std::vector<std::string> allowed;    ///< Enum only
  LocalizedText description;
};

/// Reads the value in force. Thread-safe; the host's instance reflects config files and (later)
/// values set through the admin API.
///
/// Resolution: the most specific level (county 6 digits, prefecture 4, province 2) that has a
/// value effective on or before `as_of` wins, with its latest such value; else the declared
/// default.
class CIV_SDK_API PolicyReader {
 public:
  virtual ~PolicyReader();

  /// Canonical text of the value. Throws std::logic_error when the plugin did not declare
  /// `key` (a bug: the host answers 500 and logs it).
  virtual std::string value(std::string_view county, std::string_view key, Date as_of) const = 0;

  /// Typed helpers over value(); they throw as above, and Conflict when the value is not of
  /// the type asked for.
  Money money(std::string_view county, std::string_view key, Date as_of) const;
  Ratio ratio(std::string_view county, std::string_view key, Date as_of) const;
  std::int64_t integer(std::string_view county, std::string_view key, Date as_of) const;
  bool flag(std::string_view county, std::string_view key, Date as_of) const;
  Date date(std::string_view county, std::string_view key, Date as_of) const;
};

/// Checks `text` against a declaration and returns its canonical form ("780" -> "780.00"),
/// or the reason it is not acceptable (naming the bound or the expected form).
struct ParameterCheck {
  std::optional<std::string> canonical;
  std::string problem;
};
CIV_SDK_API ParameterCheck checkParameterValue(const ParameterDeclaration& declaration,
                                               std::string_view text);

CIV_SDK_API std::string_view toString(ParameterType type);

}  // namespace civ::sdk
