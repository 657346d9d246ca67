#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <unordered_map>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/money.h>
#include <civ/sdk/uscc.h>

namespace civ::sdk {

namespace {

using nlohmann::json;

const std::set<std::string, std::less<>> kKeywords = {
    "type",      "properties", "required",    "additionalProperties",
    "items",     "minItems",   "maxItems",    "minLength",
    "maxLength", "pattern",    "enum",        "minimum",
    "maximum",   "format",     "description", "title",
    "examples",  "default",    "nullable"};
const std::set<std::string, std::less<>> kFormats = {"date",        "month", "date-time",
                                                     "money",       "ratio", "citizen-id",
                                                     "county-code", "uscc",  "division-code"};
const std::set<std::string, std::less<>> kTypes = {"object", "array",   "string", "integer",
                                                   "number", "boolean", "null"};

/// A declared pattern, compiled once for the process. std::regex compiles slowly: checking
/// every route's schema compiled the same few dozen patterns hundreds of times at start-up (a
/// sixth of civhost's start), and validating a body compiled each pattern again per request.
/// Patterns come from declarations, never from a request, so the cache is bounded by them.
/// Throws std::regex_error for a pattern that is not a regex (nothing is kept for it).
const std::regex& compiledPattern(const std::string& source) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::unique_ptr<const std::regex>> compiled;
  const std::lock_guard lock(mutex);
  auto& slot = compiled[source];
  if (!slot) {
    try {
      slot = std::make_unique<const std::regex>(source, std::regex::ECMAScript);
    } catch (...) {
      compiled.erase(source);
      throw;
    }
  }
  return *slot;
}

std::string typeOf(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::null:
      return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    default:
      return "unknown";
  }
}

bool hasType(const json& value, const std::string& type) {
  const std::string actual = typeOf(value);
  if (actual == type) return true;
  if (type == "number" && actual == "integer") return true;
  return false;
}

// Characters, not bytes: counts UTF-8 lead bytes (the parser has checked the encoding).
std::size_t characterCount(const std::string& text) {
  std::size_t count = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

/// Tabs and line breaks are text (a CRLF too: CSV files, our own exports among them, end their
/// lines so); any other control character, and a CR alone, is not.
bool hasForbiddenControl(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return true;
  }
  return false;
}

std::string join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

bool allDigits(std::string_view text) {
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return !text.empty();
}

bool isMonth(const std::string& text) {
  return text.size() == 7 && text[4] == '-' && Date::parse(text + "-01").has_value();
}

// 6 digits (GB/T 2260), 9 (township) or 12 (village: the statistical code). Below the county
// there is no check digit; the place-names module looks codes up in its dated table.
bool isDivisionCode(const std::string& text) {
  if (!allDigits(text)) return false;
  if (text.size() == 6) return isRegionPrefix(text.substr(0, 2)) && text.substr(2) != "0000";
  return (text.size() == 9 || text.size() == 12) && isCountyCode(text.substr(0, 6));
}

std::string displayPath(const std::string& path) { return path.empty() ? "(body)" : path; }

// A non-negative integer keyword (maxLength ...); nlohmann stores 4 as signed or unsigned
// depending on how the schema was built, so accept both.
std::optional<std::size_t> sizeKeyword(const json& schema, const char* keyword) {
  auto it = schema.find(keyword);
  if (it == schema.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0)
    return std::nullopt;
  return static_cast<std::size_t>(it->get<std::int64_t>());
}

class Validator {
 public:
  Validator(Date today, std::vector<FieldError>& errors) : today_(today), errors_(errors) {}

  void validate(const json& schema, const json& value, const std::string& path) {
    if (!schema.is_object()) return;
    if (value.is_null() && schema.value("nullable", false)) return;
    if (!checkType(schema, value, path)) return;
    if (value.is_object()) validateObject(schema, value, path);
    if (value.is_array()) validateArray(schema, value, path);
    if (value.is_string()) validateString(schema, value.get_ref<const std::string&>(), path);
    if (value.is_number()) validateNumber(schema, value, path);
    if (auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
      bool found = false;
      for (const auto& allowed : *it) found = found || allowed == value;
      if (!found) fail(path, "enum", "must be one of " + it->dump());
    }
  }

 private:
  void fail(const std::string& path, std::string rule, std::string message) {
    errors_.push_back({displayPath(path), std::move(rule), std::move(message)});
  }

  bool checkType(const json& schema, const json& value, const std::string& path) {
    auto it = schema.find("type");
    if (it == schema.end()) return true;
    std::vector<std::string> types;
    if (it->is_string()) types.push_back(it->get<std::string>());
    if (it->is_array())
      for (const auto& t : *it)
        if (t.is_string()) types.push_back(t.get<std::string>());
    for (const auto& type : types)
      if (hasType(value, type)) return true;
    std::string expected;
    for (const auto& type : types) expected += (expected.empty() ? "" : " or ") + type;
    fail(path, "type", "must be " + expected + ", got " + typeOf(value));
    return false;
  }

  void validateObject(const json& schema, const json& value, const std::string& path) {
    const json empty = json::object();
    const auto properties_it = schema.find("properties");
    const json& properties = properties_it != schema.end() ? *properties_it : empty;
    if (auto it = schema.find("required"); it != schema.end() && it->is_array()) {
      for (const auto& name : *it) {
        if (name.is_string() && !value.contains(name.get<std::string>()))
          fail(join(path, name.get<std::string>()), "required", "is required");
      }
    }
    const auto additional = schema.find("additionalProperties");
    const bool open =
        additional != schema.end() && additional->is_boolean() && additional->get<bool>();
    for (const auto& [key, member] : value.items()) {
      if (auto property = properties.find(key); property != properties.end()) {
        validate(*property, member, join(path, key));
      } else if (!open) {
        fail(join(path, key), "unknown_field", "is not a field of this request");
      }
    }
  }

  void validateArray(const json& schema, const json& value, const std::string& path) {
    if (auto minimum = sizeKeyword(schema, "minItems"); minimum && value.size() < *minimum)
      fail(path, "min_items", "must have at least " + std::to_string(*minimum) + " items");
    if (auto maximum = sizeKeyword(schema, "maxItems"); maximum && value.size() > *maximum)
      fail(path, "max_items", "must have at most " + std::to_string(*maximum) + " items");
    if (auto it = schema.find("items"); it != schema.end()) {
      for (std::size_t i = 0; i < value.size(); ++i)
        validate(*it, value[i], (path.empty() ? "" : path) + "[" + std::to_string(i) + "]");
    }
  }

  void validateString(const json& schema, const std::string& text, const std::string& path) {
    const std::size_t length = characterCount(text);
    const std::size_t max_length =
        sizeKeyword(schema, "maxLength").value_or(kDefaultMaxStringLength);
    if (length > max_length) {
      fail(path, "max_length",
           "must have at most " + std::to_string(max_length) + " characters, has " +
               std::to_string(length));
      return;
    }
    if (auto minimum = sizeKeyword(schema, "minLength"); minimum && length < *minimum)
      fail(path, "min_length", "must have at least " + std::to_string(*minimum) + " characters");
    if (hasForbiddenControl(text)) {
      fail(path, "control_characters", "must not contain control characters");
      return;
    }
    if (auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
      if (!std::regex_search(text, compiledPattern(it->get<std::string>())))
        fail(path, "pattern", "must match " + it->get<std::string>());
    }
    if (auto it = schema.find("format"); it != schema.end() && it->is_string())
      checkFormat(it->get<std::string>(), text, path);
  }

  void checkFormat(const std::string& format, const std::string& text, const std::string& path) {
    if (format == "date") {
      const auto date = Date::parse(text);
      if (!date) fail(path, "format", "must be a real date YYYY-MM-DD, got '" + text + "'");
      // Nothing a civil-affairs office records lies outside these years (the oldest living
      // person's birth, the longest plot lease); a year 9999 is a typing slip that would make
      // the record unfindable by any period.
      else if (date->year() < kFirstPlausibleYear || date->year() > kLastPlausibleYear)
        fail(path, "plausible_date",
             "must lie between " + std::to_string(kFirstPlausibleYear) + "-01-01 and " +
                 std::to_string(kLastPlausibleYear) + "-12-31, got '" + text + "'");
    } else if (format == "money") {
      if (!Money::parse(text))
        fail(path, "format",
             "must be an amount in yuan with at most two decimals, e.g. \"780.00\"");
    } else if (format == "ratio") {
      if (!Ratio::parse(text)) fail(path, "format", "must be a decimal ratio, e.g. \"1.5\"");
    } else if (format == "citizen-id") {
      if (auto problem = CitizenId::check(text, today_))
        fail(path, problem->rule, problem->message);
    } else if (format == "month") {
      if (!isMonth(text)) fail(path, "format", "must be a month YYYY-MM, got '" + text + "'");
    } else if (format == "date-time") {
      if (text.size() < 19 || !Date::parse(text.substr(0, 10)) || text[10] != 'T')
        fail(path, "format", "must be a timestamp YYYY-MM-DDTHH:MM:SS+08:00");
    } else if (format == "uscc") {
      if (auto problem = checkUscc(text)) fail(path, problem->rule, problem->message);
    } else if (format == "division-code") {
      if (!isDivisionCode(text))
        fail(path, "format",
             "must be a division code of 6 (GB/T 2260), 9 or 12 digits, got '" + text + "'");
    } else if (format == "county-code") {
      if (!isCountyCode(text))
        fail(path, "format", "must be a six-digit GB/T 2260 county code, got '" + text + "'");
    }
  }

  void validateNumber(const json& schema, const json& value, const std::string& path) {
    const double number = value.get<double>();
    if (auto it = schema.find("minimum");
        it != schema.end() && it->is_number() && number < it->get<double>())
      fail(path, "minimum", "must be at least " + it->dump());
    if (auto it = schema.find("maximum");
        it != schema.end() && it->is_number() && number > it->get<double>())
      fail(path, "maximum", "must be at most " + it->dump());
  }

  Date today_;
  std::vector<FieldError>& errors_;
};

void checkSchemaNode(const json& schema, const std::string& path,
                     std::vector<std::string>& problems) {
  if (!schema.is_object()) {
    problems.push_back(displayPath(path) + ": a schema must be an object");
    return;
  }
  for (const auto& [key, member] : schema.items()) {
    if (key == "x-civ-optional")
      problems.push_back(displayPath(path) +
                         ": schema::optional() marks a property of schema::object(); it means "
                         "nothing here");
    else if (kKeywords.count(key) == 0 && key.rfind("x-", 0) != 0)
      problems.push_back(displayPath(path) + ": unsupported keyword '" + key + "'");
  }
  if (auto it = schema.find("type"); it != schema.end()) {
    if (it->is_array()) {
      // Valid JSON Schema, but OpenAPI 3.0 (the API document) has no lists of types.
      problems.push_back(displayPath(path) + ": a list of types " + it->dump() +
                         " cannot be documented in OpenAPI 3.0; write one type with "
                         "\"nullable\": true (sdk::schema::nullable) instead");
    } else if (!it->is_string() || kTypes.count(it->get<std::string>()) == 0) {
      problems.push_back(displayPath(path) + ": unknown type " + it->dump());
    }
  }
  if (auto it = schema.find("format"); it != schema.end())
    if (!it->is_string() || kFormats.count(it->get<std::string>()) == 0)
      problems.push_back(displayPath(path) + ": unknown format " + it->dump());
  if (auto it = schema.find("pattern"); it != schema.end() && !it->is_string()) {
    problems.push_back(displayPath(path) + ": pattern must be a string");
  } else if (it != schema.end()) {
    try {
      (void)compiledPattern(it->get<std::string>());
    } catch (const std::exception&) {
      problems.push_back(displayPath(path) + ": pattern " + it->dump() + " is not a valid regex");
    }
  }
  if (auto it = schema.find("properties"); it != schema.end()) {
    if (!it->is_object()) {
      problems.push_back(displayPath(path) + ": properties must be an object");
    } else {
      for (const auto& [key, member] : it->items())
        checkSchemaNode(member, join(path, key), problems);
    }
  }
  if (auto it = schema.find("items"); it != schema.end())
    checkSchemaNode(*it, path + "[]", problems);
}

}  // namespace

std::vector<FieldError> validateJson(const json& schema, const json& value, Date today) {
  std::vector<FieldError> errors;
  Validator(today, errors).validate(schema, value, "");
  return errors;
}

std::vector<std::string> checkSchema(const json& schema) {
  std::vector<std::string> problems;
  if (!schema.is_null()) checkSchemaNode(schema, "", problems);
  return problems;
}

}  // namespace civ::sdk
