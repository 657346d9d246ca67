#include <charconv>

#include <civ/sdk/error.h>
#include <civ/sdk/policy.h>

namespace civ::sdk {

PolicyReader::~PolicyReader() = default;

std::string_view toString(ParameterType type) {
  switch (type) {
    case ParameterType::Money:
      return "money";
    case ParameterType::Ratio:
      return "ratio";
    case ParameterType::Integer:
      return "integer";
    case ParameterType::Days:
      return "days";
    case ParameterType::Bool:
      return "bool";
    case ParameterType::Enum:
      return "enum";
    case ParameterType::Date:
      return "date";
    case ParameterType::List:
      return "list";
  }
  return "unknown";
}

std::string_view toString(ParameterLevel level) {
  switch (level) {
    case ParameterLevel::Province:
      return "province";
    case ParameterLevel::Prefecture:
      return "prefecture";
    case ParameterLevel::County:
      return "county";
  }
  return "unknown";
}

namespace {

std::optional<std::int64_t> parseInteger(std::string_view text) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

// A comparable scaled form of a value of an ordered type, used for the bounds.
std::optional<std::int64_t> orderedValue(ParameterType type, std::string_view text) {
  switch (type) {
    case ParameterType::Money: {
      auto money = Money::parse(text);
      return money ? std::optional(money->fen()) : std::nullopt;
    }
    case ParameterType::Ratio: {
      auto ratio = Ratio::parse(text);
      return ratio ? std::optional(ratio->millionths()) : std::nullopt;
    }
    case ParameterType::Integer:
    case ParameterType::Days:
      return parseInteger(text);
    case ParameterType::Date: {
      auto date = Date::parse(text);
      return date ? std::optional<std::int64_t>(date->sysDays().time_since_epoch().count())
                  : std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::string expectedForm(ParameterType type) {
  switch (type) {
    case ParameterType::Money:
      return "an amount in yuan with at most two decimals, e.g. 780.00";
    case ParameterType::Ratio:
      return "a decimal with at most six decimals, e.g. 1.5";
    case ParameterType::Integer:
      return "a whole number";
    case ParameterType::Days:
      return "a whole number of days";
    case ParameterType::Bool:
      return "true or false";
    case ParameterType::Enum:
      return "one of the allowed values";
    case ParameterType::Date:
      return "a date YYYY-MM-DD";
    case ParameterType::List:
      return "a list of allowed codes separated by commas";
  }
  return "a value";
}

}  // namespace

ParameterCheck checkParameterValue(const ParameterDeclaration& declaration, std::string_view text) {
  const ParameterType type = declaration.type;
  std::string canonical;
  switch (type) {
    case ParameterType::Money: {
      auto money = Money::parse(text);
      if (money) canonical = money->toString();
      break;
    }
    case ParameterType::Ratio: {
      auto ratio = Ratio::parse(text);
      if (ratio) canonical = ratio->toString();
      break;
    }
    case ParameterType::Integer:
    case ParameterType::Days: {
      auto value = parseInteger(text);
      if (value) canonical = std::to_string(*value);
      break;
    }
    case ParameterType::Bool:
      if (text == "true" || text == "false") canonical = std::string(text);
      break;
    case ParameterType::Enum:
      for (const auto& allowed : declaration.allowed)
        if (allowed == text) canonical = allowed;
      if (canonical.empty()) {
        std::string list;
        for (const auto& allowed : declaration.allowed)
          list += (list.empty() ? "" : ", ") + allowed;
        return {std::nullopt, "'" + std::string(text) + "' is not one of: " + list};
      }
      break;
    case ParameterType::Date: {
      auto date = Date::parse(text);
      if (date) canonical = date->toString();
      break;
    }
    case ParameterType::List: {
      // Items separated by commas, spaces around them ignored; empty means an empty list.
      std::string_view rest = text;
      std::string list;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty())
          return {std::nullopt, "the list '" + std::string(text) + "' has an empty item"};
        bool known = declaration.allowed.empty();
        for (const auto& allowed : declaration.allowed) known = known || allowed == item;
        if (!known) {
          std::string codes;
          for (const auto& allowed : declaration.allowed)
            codes += (codes.empty() ? "" : ", ") + allowed;
          return {std::nullopt, "'" + std::string(item) + "' is not one of: " + codes};
        }
        list += (list.empty() ? "" : ",") + std::string(item);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      return {list, {}};
    }
  }
  if (canonical.empty())
    return {std::nullopt, "'" + std::string(text) + "' is not " + expectedForm(type) + " (type " +
                              std::string(toString(type)) + ")"};
  if (const auto value = orderedValue(type, canonical)) {
    if (declaration.minimum) {
      const auto minimum = orderedValue(type, *declaration.minimum);
      if (minimum && *value < *minimum)
        return {std::nullopt, canonical + " is below the minimum " + *declaration.minimum};
    }
    if (declaration.maximum) {
      const auto maximum = orderedValue(type, *declaration.maximum);
      if (maximum && *value > *maximum)
        return {std::nullopt, canonical + " is above the maximum " + *declaration.maximum};
    }
  }
  return {canonical, {}};
}

std::optional<std::string> checkParameterLevel(const ParameterDeclaration& declaration,
                                               std::string_view level) {
  const std::size_t most_specific = declaration.lowest_level == ParameterLevel::Province     ? 2
                                    : declaration.lowest_level == ParameterLevel::Prefecture ? 4
                                                                                             : 6;
  if (level.size() <= most_specific) return std::nullopt;
  return "parameter " + declaration.key + " is set at " +
         std::string(toString(declaration.lowest_level)) + " level or above; level " +
         std::string(level) + " is more specific";
}

ParameterValue parseParameterValue(ParameterType type, std::string_view canonical) {
  switch (type) {
    case ParameterType::Money:
      if (auto money = Money::parse(canonical)) return *money;
      break;
    case ParameterType::Ratio:
      if (auto ratio = Ratio::parse(canonical)) return *ratio;
      break;
    case ParameterType::Integer:
    case ParameterType::Days:
      if (auto value = parseInteger(canonical)) return *value;
      break;
    case ParameterType::Bool:
      if (canonical == "true" || canonical == "false") return canonical == "true";
      break;
    case ParameterType::Enum:
      return std::string(canonical);
    case ParameterType::Date:
      if (auto date = Date::parse(canonical)) return *date;
      break;
    case ParameterType::List: {
      std::vector<std::string> items;
      std::string_view rest = canonical;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        items.emplace_back(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      return items;
    }
  }
  throw std::invalid_argument("'" + std::string(canonical) + "' is not a canonical " +
                              std::string(toString(type)));
}

namespace {
[[noreturn]] void wrongType(std::string_view key, std::string_view asked, std::string_view text) {
  throw Conflict("policy parameter '" + std::string(key) + "' read as " + std::string(asked) +
                 " but its value '" + std::string(text) + "' is not one");
}
}  // namespace

Money PolicyReader::money(std::string_view county, std::string_view key, Date as_of) const {
  const std::string text = value(county, key, as_of);
  auto money = Money::parse(text);
  if (!money) wrongType(key, "money", text);
  return *money;
}

Ratio PolicyReader::ratio(std::string_view county, std::string_view key, Date as_of) const {
  const std::string text = value(county, key, as_of);
  auto ratio = Ratio::parse(text);
  if (!ratio) wrongType(key, "ratio", text);
  return *ratio;
}

std::int64_t PolicyReader::integer(std::string_view county, std::string_view key,
                                   Date as_of) const {
  const std::string text = value(county, key, as_of);
  auto integer = parseInteger(text);
  if (!integer) wrongType(key, "integer", text);
  return *integer;
}

bool PolicyReader::flag(std::string_view county, std::string_view key, Date as_of) const {
  const std::string text = value(county, key, as_of);
  if (text != "true" && text != "false") wrongType(key, "bool", text);
  return text == "true";
}

Date PolicyReader::date(std::string_view county, std::string_view key, Date as_of) const {
  const std::string text = value(county, key, as_of);
  auto date = Date::parse(text);
  if (!date) wrongType(key, "date", text);
  return *date;
}

}  // namespace civ::sdk
