// A problem found in the configuration, named by file, key and reason.
#pragma once

#include <string>
#include <vector>

namespace civ::host {

struct ConfigProblem {
  std::string file;  ///< path as given, e.g. "config/policy/61.yaml"
  std::string key;   ///< dotted key inside the file, e.g. "values.example.max_note_length[0].value"
  std::string reason;

  std::string describe() const { return file + (key.empty() ? "" : ": " + key) + ": " + reason; }
};

using ConfigProblems = std::vector<ConfigProblem>;

}  // namespace civ::host
