// <id>.plugin.json: what the host knows about a plugin before running any of its code.
#pragma once

#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include <civ/sdk/localized_text.h>

#include "host/plugins/version.h"

namespace civ::host {

struct PluginRequirement {
  std::string id;
  VersionRange range;
};

struct Manifest {
  std::filesystem::path file;
  int manifest_version = 0;
  std::string id;
  sdk::LocalizedText name;
  SemVer version;
  std::string vendor;
  std::string license;
  std::string description;
  int sdk_abi = 0;
  SemVer sdk_built_with;
  std::vector<PluginRequirement> requires_;
  std::vector<PluginRequirement> optional;
  std::string library;
  std::string platform;

  std::filesystem::path libraryPath() const { return file.parent_path() / library; }
};

/// Reads and checks the manifest's own shape (fields present and well-formed). Returns the
/// reason when it is not acceptable. Compatibility with this host is checked by the loader.
std::variant<Manifest, std::string> readManifest(const std::filesystem::path& file);

}  // namespace civ::host
