// What the host knows about one plugin it found: manifest, state, reason, and when loaded the
// library and plugin object.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <boost/dll/shared_library.hpp>

#include <civ/sdk/plugin.h>

#include "host/plugins/manifest.h"
#include "host/plugins/plugin_declarations.h"

namespace civ::host {

enum class PluginState {
  Disabled,  ///< compatible, but no county enables it: not loaded
  Refused,   ///< not loaded: incompatible, broken or unmet requirement (see reason)
  Loaded,    ///< library loaded and plugin object created
  Started,   ///< migrated and started; serving
  Failed,    ///< loaded, but migrations or start() failed (see reason)
};

std::string_view toString(PluginState state);

/// A loaded library and the plugin object it created. The object is destroyed with the
/// library's own deleter; the library is then parked, never unloaded (lifetime rule 4).
struct LoadedPlugin {
  boost::dll::shared_library library;
  sdk::PluginPtr plugin;
  /// What plugin->declare() handed over, read once after loading.
  PluginDeclarations declarations;

  LoadedPlugin() = default;
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;
  ~LoadedPlugin();
};

struct PluginRecord {
  std::filesystem::path manifest_file;
  std::optional<Manifest> manifest;
  std::string id;  ///< from the manifest, or the file name when the manifest is unreadable
  PluginState state = PluginState::Refused;
  std::string reason;
  std::string build_info;
  std::shared_ptr<LoadedPlugin> loaded;
};

}  // namespace civ::host
