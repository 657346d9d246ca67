#include <civ/sdk/error.h>
#include <civ/sdk/path_template.h>

namespace civ::sdk {

namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool isLiteralChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

bool isParameterName(std::string_view name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hexValue(text[i + 1]);
      const int low = hexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      const char decoded = static_cast<char>(high * 16 + low);
      if (decoded == '\0') return std::nullopt;
      out += decoded;
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

PathTemplate::PathTemplate(std::string_view text) : text_(text) {
  if (text.empty() || text.front() != '/')
    throw ValidationError("path", "template", "route path '" + text_ + "' must start with '/'");
  if (text == "/") return;
  for (std::string_view segment : split(text)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      std::string_view name = segment.substr(1, segment.size() - 2);
      if (!isParameterName(name))
        throw ValidationError(
            "path", "template",
            "route path '" + text_ + "': parameter '" + std::string(name) + "' must be snake_case");
      parameter_names_.emplace_back(name);
    } else {
      if (segment.empty())
        throw ValidationError("path", "template",
                              "route path '" + text_ + "' has an empty segment");
      for (char c : segment)
        if (!isLiteralChar(c))
          throw ValidationError("path", "template",
                                "route path '" + text_ + "': segment '" + std::string(segment) +
                                    "' may only hold letters, digits, '_', '.', '-'");
    }
    segments_.emplace_back(segment);
  }
}

std::optional<std::map<std::string, std::string, std::less<>>> PathTemplate::match(
    std::string_view path) const {
  if (path.empty() || path.front() != '/') return std::nullopt;
  if (segments_.empty()) {
    if (path == "/") return std::map<std::string, std::string, std::less<>>{};
    return std::nullopt;
  }
  // First without allocating: as many segments, every literal equal, no parameter empty. Every
  // request tries each route of its module in turn, and nearly all of them fail here.
  std::size_t start = 1;  // past the leading '/'
  for (const std::string& segment : segments_) {
    if (start > path.size()) return std::nullopt;  // fewer segments than the template
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    const std::string_view part = path.substr(start, end - start);
    if (segment.front() == '{' ? part.empty() : std::string_view(segment) != part)
      return std::nullopt;
    start = end + 1;
  }
  if (start <= path.size()) return std::nullopt;  // more segments than the template
  const auto parts = split(path);
  std::map<std::string, std::string, std::less<>> parameters;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& segment = segments_[i];
    if (segment.front() == '{') {
      if (parts[i].empty()) return std::nullopt;
      auto decoded = percentDecode(parts[i]);
      if (!decoded || decoded->find('/') != std::string::npos) return std::nullopt;
      parameters.emplace(segment.substr(1, segment.size() - 2), std::move(*decoded));
    } else if (segment != parts[i]) {
      return std::nullopt;
    }
  }
  return parameters;
}

int PathTemplate::literalCount() const {
  int count = 0;
  for (const auto& segment : segments_)
    if (segment.front() != '{') ++count;
  return count;
}

}  // namespace civ::sdk
