// Display text in Chinese and English.
#pragma once

#include <string>

namespace civ::sdk {

/// Display names carry both languages; JSON field names stay snake_case English.
struct LocalizedText {
  std::string zh;
  std::string en;
};

}  // namespace civ::sdk
