// Semantic versions and OSGi-style version ranges ("[1.0,2.0)") used in manifests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace civ::host {

struct SemVer {
  int major = 0;
  int minor = 0;
  int patch = 0;

  /// "1", "1.4" or "1.4.2" (missing parts are 0); nullopt when malformed.
  static std::optional<SemVer> parse(std::string_view text);
  std::string toString() const;
  auto operator<=>(const SemVer&) const = default;
};

/// "[1.0,2.0)": '[' or '(' , low, ',' , high, ']' or ')'. A bare "1.2" means ">= 1.2".
class VersionRange {
 public:
  static std::optional<VersionRange> parse(std::string_view text);
  bool contains(const SemVer& version) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  SemVer low_;
  bool low_inclusive_ = true;
  std::optional<SemVer> high_;
  bool high_inclusive_ = false;
};

}  // namespace civ::host
