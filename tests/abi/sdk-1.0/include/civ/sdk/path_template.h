// Route path templates ("/notes/{id}") and matching a request path against them. Shared by
// the host's router and the fake Context so both route alike.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/abi.h>

namespace civ::sdk {

class CIV_SDK_API PathTemplate {
 public:
  /// Throws ValidationError(field "path") unless the template starts with '/' and every
  /// segment is a literal [A-Za-z0-9_.-]+ or a parameter {snake_case}.
  explicit PathTemplate(std::string_view text);

  const std::string& text() const { return text_; }
  const std::vector<std::string>& parameterNames() const { return parameter_names_; }
  /// Parameter values when `path` matches; nullopt otherwise. Values are percent-decoded and
  /// never contain '/'.
  std::optional<std::map<std::string, std::string, std::less<>>> match(std::string_view path) const;
  /// Number of literal segments (the more specific template wins on overlap).
  int literalCount() const;

 private:
  std::string text_;
  std::vector<std::string> segments_;  // "{name}" or a literal
  std::vector<std::string> parameter_names_;
};

/// Percent-decodes a path segment; nullopt on a malformed escape or an encoded NUL.
CIV_SDK_API std::optional<std::string> percentDecode(std::string_view text);

}  // namespace civ::sdk
