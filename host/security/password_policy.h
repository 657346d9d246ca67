// The password rules of 等保 level 3 (GB/T 22239-2019 8.1.4.1 a: identities are unique and
// passwords complex and changed): at least 10 characters from at least three of the four
// classes (upper case, lower case, digits, other), not containing the user name, not one of
// the last five, and a password an administrator set (the initial one, or after a reset) is
// changed at the first sign-in. docs/security.md lists them for the county's IT person.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/error.h>

namespace civ::host {

struct PasswordPolicy {
  static constexpr std::size_t kMinimumLength = 10;
  static constexpr std::size_t kMaximumLength = 128;  ///< Argon2 takes more; a body should not
  static constexpr int kMinimumClasses = 3;
  static constexpr int kRememberedPasswords = 5;

  /// The first rule `password` breaks, as a field error on `field` (rule names: length,
  /// character-classes, contains-user-name), or nullopt. Reuse is checked against the stored
  /// hashes by the caller (AccountStore), since only hashes are kept.
  static std::optional<sdk::FieldError> check(const std::string& password,
                                              const std::string& user_name,
                                              const std::string& field);
};

}  // namespace civ::host
