#include "host/security/password_policy.h"

#include <algorithm>
#include <cctype>

namespace civ::host {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// Characters, not bytes: a password in Chinese counts its characters.
std::size_t characterCount(const std::string& text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::optional<sdk::FieldError> PasswordPolicy::check(const std::string& password,
                                                     const std::string& user_name,
                                                     const std::string& field) {
  const std::size_t length = characterCount(password);
  if (length < kMinimumLength || password.size() > kMaximumLength)
    return sdk::FieldError{field, "length",
                           "a password has " + std::to_string(kMinimumLength) + " to " +
                               std::to_string(kMaximumLength) + " characters; this one has " +
                               std::to_string(length)};
  bool upper = false, lower_case = false, digit = false, other = false;
  for (unsigned char c : password) {
    if (std::isupper(c))
      upper = true;
    else if (std::islower(c))
      lower_case = true;
    else if (std::isdigit(c))
      digit = true;
    else
      other = true;
  }
  const int classes = int(upper) + int(lower_case) + int(digit) + int(other);
  if (classes < kMinimumClasses)
    return sdk::FieldError{field, "character-classes",
                           "a password mixes at least three of: upper-case letters, lower-case "
                           "letters, digits, other characters; this one has " +
                               std::to_string(classes)};
  if (!user_name.empty() && lower(password).find(lower(user_name)) != std::string::npos)
    return sdk::FieldError{field, "contains-user-name", "a password may not contain the user name"};
  return std::nullopt;
}

}  // namespace civ::host
