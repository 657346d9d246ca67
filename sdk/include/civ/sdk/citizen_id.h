// The 18-character citizen ID number (公民身份号码, GB 11643-1999): validation, the birth date
// and sex it encodes, and masking for logs and audit summaries.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>

namespace civ::sdk {

enum class Sex : std::int32_t { Male, Female };

/// A citizen ID that passed every check: 17 digits and a check character (0-9 or X) by
/// ISO 7064 MOD 11-2, a region code of GB/T 2260 shape, a real birth date not after today.
class CIV_SDK_API CitizenId {
 public:
  /// Why a text is not a valid citizen ID: a rule name and a message naming the fix.
  struct Problem {
    std::string rule;  ///< "length", "characters", "region_code", "birth_date", "checksum"
    std::string message;
  };

  /// Checks `text` as of `today`. A lower-case x is refused (the standard uses upper case).
  static std::optional<Problem> check(std::string_view text, Date today);
  /// Parses or throws ValidationError(field, rule, message).
  static CitizenId parse(std::string_view text, Date today, std::string_view field = "citizen_id");
  /// The check character for the first 17 digits: "10X98765432"[sum(d_i * w_i) mod 11].
  static char checkCharacter(std::string_view first17);

  const std::string& str() const { return text_; }
  std::string_view regionCode() const { return std::string_view(text_).substr(0, 6); }
  Date birthDate() const { return birth_date_; }
  /// Odd 17th digit = male, even = female.
  Sex sex() const { return sex_; }
  /// "110105********002X": region and the last four kept, the birth date hidden.
  std::string masked() const { return mask(text_); }

  /// Masks one ID-shaped text (18 characters) the same way; other lengths become "***".
  static std::string mask(std::string_view text);

 private:
  CitizenId(std::string text, Date birth_date, Sex sex)
      : text_(std::move(text)), birth_date_(birth_date), sex_(sex) {}
  std::string text_;
  Date birth_date_;
  Sex sex_;
};

/// Replaces every citizen-ID-shaped run in free text (17 digits and a digit or X, not inside a
/// longer run of digits) by its masked form, also where a URL writes characters as %XX escapes.
/// Used on every log line, audit summary and security event.
CIV_SDK_API std::string maskCitizenIds(std::string_view text);

/// True when `code` has the shape of a GB/T 2260 county-level code: six digits, a province
/// part 11-82, and a county part other than 00 (xxxx00 is a prefecture, xx0000 a province).
CIV_SDK_API bool isCountyCode(std::string_view code);
/// True for a province (2 digits), prefecture (4) or county (6) prefix of GB/T 2260 shape.
CIV_SDK_API bool isRegionPrefix(std::string_view code);

}  // namespace civ::sdk
