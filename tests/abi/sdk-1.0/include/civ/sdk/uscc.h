// The unified social credit code (统一社会信用代码, GB 32100-2015) of an organisation: 18
// characters from a 31-character set, with an inner organisation code (GB 11714) and a check
// character. Social organisations, elderly care institutions and funeral facilities carry one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <civ/sdk/abi.h>

namespace civ::sdk {

struct UsccProblem {
  std::string rule;  ///< "length", "characters", "organisation_code", "checksum"
  std::string message;
};

/// Why `text` is not a valid code, or nullopt when it is. Checks the length, the character set
/// (digits and upper-case letters without I O S V Z), the organisation code's own check
/// character (positions 9-17) and the final check character.
CIV_SDK_API std::optional<UsccProblem> checkUscc(std::string_view text);

/// The check character (position 18) for the first 17 characters; '\0' when one of them is
/// outside the character set.
CIV_SDK_API char usccCheckCharacter(std::string_view first17);

/// The GB 11714 check character for the 8-character body of an organisation code; '\0' when a
/// character is not 0-9 or A-Z.
CIV_SDK_API char organisationCodeCheckCharacter(std::string_view body8);

}  // namespace civ::sdk
