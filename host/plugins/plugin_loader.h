// Finds plugins, checks them without running their code, and loads the enabled ones in
// dependency order, exactly as ../shared/design/sdk-contract.md section 3 describes.
#pragma once

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "host/plugins/plugin_record.h"

namespace spdlog {
class logger;
}

namespace civ::host {

class PluginLoader {
 public:
  explicit PluginLoader(std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {}

  /// Where plugins are when host.yaml and --plugin-dir say nothing: <exe>/../plugins (build
  /// tree), else <exe>/../lib/civ/plugins (installed).
  static std::filesystem::path defaultDirectory();

  /// Every <dir>/<id>/<id>.plugin.json, in dependency order for the loaded ones. A plugin is
  /// loaded only when its id is in `enabled`; each refusal is one warning naming the file,
  /// what was expected, what was found and the fix.
  std::vector<PluginRecord> load(const std::filesystem::path& directory,
                                 const std::set<std::string>& enabled);
  /// The same over several directories, in the order given (the bundled modules first, then a
  /// vendor's): an id found again in a later directory is refused as a duplicate, naming the
  /// first.
  std::vector<PluginRecord> load(const std::vector<std::filesystem::path>& directories,
                                 const std::set<std::string>& enabled);

 private:
  void refuse(PluginRecord& record, const std::filesystem::path& file, const std::string& problem,
              const std::string& expected, const std::string& found, const std::string& fix);
  void checkManifest(PluginRecord& record);
  void resolveRequirements(std::vector<PluginRecord>& records);
  std::vector<std::size_t> loadOrder(const std::vector<PluginRecord>& records) const;
  void loadLibrary(PluginRecord& record);

  std::shared_ptr<spdlog::logger> log_;
};

/// The text logged for a refusal; exposed so tests compare whole lines.
std::string refusalLine(const std::filesystem::path& file, const std::string& problem,
                        const std::string& expected, const std::string& found,
                        const std::string& fix);

/// The host's own build info ("sdk=1.0.0;os=...;json=..."), compared with each plugin's.
std::string hostBuildInfo();

}  // namespace civ::host
