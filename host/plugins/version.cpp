#include "host/plugins/version.h"

#include <charconv>

namespace civ::host {

std::optional<SemVer> SemVer::parse(std::string_view text) {
  SemVer version;
  int* parts[3] = {&version.major, &version.minor, &version.patch};
  int index = 0;
  while (true) {
    if (index == 3 || text.empty()) return std::nullopt;
    const auto dot = text.find('.');
    const std::string_view part = text.substr(0, dot);
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), *parts[index]);
    if (error != std::errc() || end != part.data() + part.size() || *parts[index] < 0)
      return std::nullopt;
    ++index;
    if (dot == std::string_view::npos) return version;
    text.remove_prefix(dot + 1);
  }
}

std::string SemVer::toString() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<VersionRange> VersionRange::parse(std::string_view text) {
  VersionRange range;
  range.text_ = std::string(text);
  if (text.empty()) return std::nullopt;
  if (text.front() != '[' && text.front() != '(') {
    auto low = SemVer::parse(text);
    if (!low) return std::nullopt;
    range.low_ = *low;
    return range;
  }
  if (text.size() < 5 || (text.back() != ']' && text.back() != ')')) return std::nullopt;
  range.low_inclusive_ = text.front() == '[';
  range.high_inclusive_ = text.back() == ']';
  const std::string_view inner = text.substr(1, text.size() - 2);
  const auto comma = inner.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto low = SemVer::parse(inner.substr(0, comma));
  auto high = SemVer::parse(inner.substr(comma + 1));
  if (!low || !high || *high < *low) return std::nullopt;
  range.low_ = *low;
  range.high_ = *high;
  return range;
}

bool VersionRange::contains(const SemVer& version) const {
  if (low_inclusive_ ? version < low_ : version <= low_) return false;
  if (high_ && (high_inclusive_ ? version > *high_ : version >= *high_)) return false;
  return true;
}

}  // namespace civ::host
