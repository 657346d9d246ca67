// Policy parameters: what a plugin declares (type, unit, default, bounds) and how it reads the
// value in force for a county on a date. Values live at province, prefecture and county level
// (config/policy/<prefix>.yaml) with effective dates; history is never rewritten.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
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
  List,     ///< several texts, each one of `allowed` when it is non-empty; canonical "a,b,c"
};

/// The most specific level at which a parameter may be set. A national table is set by the
/// province (the level above the county that civ knows), a county's own standard by the county.
enum class ParameterLevel : std::int32_t { Province, Prefecture, County };

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
  std::vector<std::string> allowed;    ///< Enum and List: the codes allowed
  LocalizedText description;
  /// Labels of `allowed`, in the same order (what the console and the admin API show).
  std::vector<LocalizedText> allowed_labels;
  /// The most specific level that may set a value; a value at a lower level is refused.
  ParameterLevel lowest_level = ParameterLevel::County;
};

/// A parameter's value in force, parsed once when it is loaded (never on each read). Frozen for
/// ABI major 1 (returned by value across the boundary): a new parameter type reuses one of
/// these alternatives.
using ParameterValue =
    std::variant<Money, Ratio, std::int64_t, bool, Date, std::string, std::vector<std::string>>;

/// The C++ type a ParameterType reads as.
template <ParameterType kType>
struct ParameterValueType;
template <>
struct ParameterValueType<ParameterType::Money> {
  using type = Money;
};
template <>
struct ParameterValueType<ParameterType::Ratio> {
  using type = Ratio;
};
template <>
struct ParameterValueType<ParameterType::Integer> {
  using type = std::int64_t;
};
template <>
struct ParameterValueType<ParameterType::Days> {
  using type = std::int64_t;
};
template <>
struct ParameterValueType<ParameterType::Bool> {
  using type = bool;
};
template <>
struct ParameterValueType<ParameterType::Enum> {
  using type = std::string;
};
template <>
struct ParameterValueType<ParameterType::Date> {
  using type = Date;
};
template <>
struct ParameterValueType<ParameterType::List> {
  using type = std::vector<std::string>;
};

/// One allowed value of an Enum or List parameter with its labels.
struct ParameterOption {
  const char* code;
  const char* zh;
  const char* en;
};

/// A policy parameter declared once, as a typed constant, and read through that constant:
///
///   constexpr sdk::ParameterOption kUnits[] = {{"year", "按年", "per year"},
///                                              {"month", "按月", "per month"}};
///   constexpr sdk::Parameter<sdk::ParameterType::Money> kUrbanStandard{
///       "dibao.standard.urban", "yuan/person/month", "780.00",
///       {"城市低保标准", "Urban dibao standard"}, "0.00", "100000.00"};
///   constexpr sdk::Parameter<sdk::ParameterType::Enum> kRuralUnit{
///       "dibao.standard.rural_unit", "", "year", {"农村标准单位", "Unit"}, nullptr, nullptr,
///       kUnits};
///   declarations.parameter(kUrbanStandard);                      // in Plugin::declare
///   Money standard = policy.get(kUrbanStandard, county, as_of);  // in a handler
///
/// The key is written once; the type is part of the constant, so reading it as another type
/// does not compile; values are checked against type, bounds and allowed codes when they are
/// loaded (a bad value is a configuration error, never a silent default). Constant-initialised
/// (only pointers and numbers), so it does no work in a static initialiser.
struct ParameterLabel {
  const char* zh;
  const char* en;
};

template <ParameterType kType>
struct Parameter {
  using Value = typename ParameterValueType<kType>::type;
  const char* key;
  const char* unit;
  const char* default_value;  ///< canonical text; List: codes separated by ","
  ParameterLabel description;
  const char* minimum = nullptr;  ///< inclusive, same text form as the value
  const char* maximum = nullptr;
  std::span<const ParameterOption> options = {};
  ParameterLevel lowest_level = ParameterLevel::County;

  /// The declaration the host validates values against.
  ParameterDeclaration declaration() const {
    ParameterDeclaration declared;
    declared.key = key;
    declared.type = kType;
    declared.unit = unit != nullptr ? unit : "";
    declared.default_value = default_value != nullptr ? default_value : "";
    if (minimum != nullptr) declared.minimum = minimum;
    if (maximum != nullptr) declared.maximum = maximum;
    for (const auto& option : options) {
      declared.allowed.emplace_back(option.code);
      declared.allowed_labels.push_back({option.zh, option.en});
    }
    declared.description = {description.zh, description.en};
    declared.lowest_level = lowest_level;
    return declared;
  }
};

/// The typed constants by type, so a module's parameters.h names each type once, the same way in
/// every module: `inline constexpr sdk::MoneyParameter kUrbanStandard{...};`.
using MoneyParameter = Parameter<ParameterType::Money>;
using RatioParameter = Parameter<ParameterType::Ratio>;
using IntegerParameter = Parameter<ParameterType::Integer>;
using DaysParameter = Parameter<ParameterType::Days>;
using BoolParameter = Parameter<ParameterType::Bool>;
using EnumParameter = Parameter<ParameterType::Enum>;
using DateParameter = Parameter<ParameterType::Date>;
using ListParameter = Parameter<ParameterType::List>;

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

  /// The value in force, as parsed when it was loaded. Throws std::logic_error when `key` is
  /// not declared or is declared with another type than `type` (a bug).
  virtual ParameterValue typedValue(std::string_view county, std::string_view key,
                                    ParameterType type, Date as_of) const = 0;

  /// The value of a typed constant in force for the county on `as_of`.
  template <ParameterType kType>
  typename Parameter<kType>::Value get(const Parameter<kType>& parameter, std::string_view county,
                                       Date as_of) const {
    return std::get<typename Parameter<kType>::Value>(
        typedValue(county, parameter.key, kType, as_of));
  }

  /// Typed helpers over value() for code that reads a key by name; they throw as above, and
  /// Conflict when the value is not of the type asked for. Prefer the typed constants.
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
CIV_SDK_API std::string_view toString(ParameterLevel level);

/// Why `level` (a region prefix of 2, 4 or 6 digits) may not carry a value of this parameter
/// (it is more specific than declaration.lowest_level), or nullopt when it may.
CIV_SDK_API std::optional<std::string> checkParameterLevel(const ParameterDeclaration& declaration,
                                                           std::string_view level);

/// Parses a value that checkParameterValue() accepted (its canonical text) into its type.
CIV_SDK_API ParameterValue parseParameterValue(ParameterType type, std::string_view canonical);

}  // namespace civ::sdk
