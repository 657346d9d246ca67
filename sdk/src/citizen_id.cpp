#include <array>
#include <cctype>
#include <string>
#include <vector>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/error.h>

namespace civ::sdk {

namespace {

constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckCharacters = "10X98765432";

bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool isProvinceCode(std::string_view two) {
  const int province = (two[0] - '0') * 10 + (two[1] - '0');
  return province >= 11 && province <= 82;
}

bool allDigits(std::string_view text) {
  for (char c : text)
    if (!isDigit(c)) return false;
  return true;
}

}  // namespace

char CitizenId::checkCharacter(std::string_view first17) {
  int sum = 0;
  for (std::size_t i = 0; i < 17 && i < first17.size(); ++i)
    sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

std::optional<CitizenId::Problem> CitizenId::check(std::string_view text, Date today) {
  if (text.size() != 18)
    return Problem{"length",
                   "a citizen ID has 18 characters, this one has " + std::to_string(text.size())};
  if (!allDigits(text.substr(0, 17)) || !(isDigit(text[17]) || text[17] == 'X'))
    return Problem{"characters",
                   "a citizen ID is 17 digits followed by a digit or an upper-case X"};
  if (!isProvinceCode(text.substr(0, 2)))
    return Problem{"region_code", "the first six digits must be a GB/T 2260 region code; '" +
                                      std::string(text.substr(0, 6)) + "' has no such province"};
  const auto birth =
      Date::parse(std::string(text.substr(6, 4)) + "-" + std::string(text.substr(10, 2)) + "-" +
                  std::string(text.substr(12, 2)));
  if (!birth)
    return Problem{"birth_date", "digits 7-14 must be a real birth date (YYYYMMDD); '" +
                                     std::string(text.substr(6, 8)) + "' is not"};
  if (*birth > today)
    return Problem{"birth_date", "the birth date " + birth->toString() + " is in the future"};
  if (birth->year() < 1850)
    return Problem{"birth_date", "the birth date " + birth->toString() + " is before 1850"};
  const char expected = checkCharacter(text.substr(0, 17));
  if (text[17] != expected)
    return Problem{"checksum", std::string("the check character (18th) should be '") + expected +
                                   "' by ISO 7064 MOD 11-2, not '" + text[17] +
                                   "'; check the number for a typing error"};
  return std::nullopt;
}

CitizenId CitizenId::parse(std::string_view text, Date today, std::string_view field) {
  if (auto problem = check(text, today))
    throw ValidationError(std::string(field), problem->rule, problem->message);
  const auto birth =
      Date::parse(std::string(text.substr(6, 4)) + "-" + std::string(text.substr(10, 2)) + "-" +
                  std::string(text.substr(12, 2)));
  const Sex sex = ((text[16] - '0') % 2 == 1) ? Sex::Male : Sex::Female;
  return CitizenId(std::string(text), *birth, sex);
}

std::string CitizenId::mask(std::string_view text) {
  if (text.size() != 18) return "***";
  return std::string(text.substr(0, 6)) + "********" + std::string(text.substr(14, 4));
}

namespace {

/// One character of free text as written: itself, or a %XX escape of a URL standing for it.
struct Unit {
  std::size_t begin = 0, end = 0;  ///< where it is written
  char value = 0;                  ///< what it stands for
};

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Unit unitAt(std::string_view text, std::size_t at) {
  if (text[at] == '%' && at + 2 < text.size()) {
    const int high = hexValue(text[at + 1]), low = hexValue(text[at + 2]);
    if (high >= 0 && low >= 0) return {at, at + 3, static_cast<char>(high * 16 + low)};
  }
  return {at, at + 1, text[at]};
}

/// Whether `text` may hold an ID: 17 digits in a row, or a %-escape (which may stand for one).
/// Most log lines (every request's access line) have neither and are copied as they are.
bool mayHoldCitizenId(std::string_view text) {
  std::size_t run = 0;
  for (char c : text) {
    if (c == '%') return true;
    run = isDigit(c) ? run + 1 : 0;
    if (run == 17) return true;
  }
  return false;
}

}  // namespace

std::string maskCitizenIds(std::string_view text) {
  if (!mayHoldCitizenId(text)) return std::string(text);
  // Read as units, so an ID written with %-escapes in a URL ("%31%31..." or "...123%58") is
  // found and masked like a plain one.
  std::vector<Unit> units;
  units.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    units.push_back(unitAt(text, at));
    at = units.back().end;
  }
  std::string out;
  out.reserve(text.size());
  const auto written = [&](std::size_t from, std::size_t to) {  // units [from, to) as written
    if (from < to)
      out.append(text.substr(units[from].begin, units[to - 1].end - units[from].begin));
  };
  std::size_t i = 0;
  while (i < units.size()) {
    if (!isDigit(units[i].value)) {
      written(i, i + 1);
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < units.size() && isDigit(units[end].value)) ++end;
    const std::size_t digits = end - i;
    bool is_id = false;
    std::size_t id_end = end;
    if (digits == 18) {
      is_id = true;
    } else if (digits == 17 && end < units.size() &&
               (units[end].value == 'X' || units[end].value == 'x')) {
      id_end = end + 1;
      const bool followed_by_word =
          id_end < units.size() &&
          (std::isalnum(static_cast<unsigned char>(units[id_end].value)) != 0);
      is_id = !followed_by_word;
    }
    if (is_id) {
      std::string id;
      for (std::size_t k = i; k < id_end; ++k) id += units[k].value;
      out += CitizenId::mask(id);
      i = id_end;
    } else {
      written(i, end);
      i = end;
    }
  }
  return out;
}

bool isRegionPrefix(std::string_view code) {
  if (code.size() != 2 && code.size() != 4 && code.size() != 6) return false;
  if (!allDigits(code) || !isProvinceCode(code.substr(0, 2))) return false;
  if (code.size() >= 4 && code.substr(2, 2) == "00") return false;
  if (code.size() == 6 && code.substr(4, 2) == "00") return false;
  return true;
}

bool isCountyCode(std::string_view code) { return code.size() == 6 && isRegionPrefix(code); }

}  // namespace civ::sdk
