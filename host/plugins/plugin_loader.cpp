#include "host/plugins/plugin_loader.h"

#include <algorithm>
#include <functional>
#include <map>

#include <boost/dll/library_info.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <spdlog/spdlog.h>

#include <civ/sdk/abi.h>
#include <civ/sdk/build_info.h>

namespace civ::host {

namespace fs = std::filesystem;

namespace {

constexpr const char* kFactorySymbol = "civ_plugin_factory_v" CIV_SDK_STRINGIFY(CIV_SDK_ABI_MAJOR);
const SemVer kHostSdk{CIV_SDK_ABI_MAJOR, CIV_SDK_ABI_MINOR, CIV_SDK_VERSION_PATCH};

// Libraries are never unloaded while civhost runs: unloading while any object, vtable,
// exception or thread-local of the plugin is alive crashes (sdk-contract.md pitfalls 1, 8).
void parkLibrary(boost::dll::shared_library library) {
  static auto* parked = new std::vector<boost::dll::shared_library>();  // leaked on purpose
  parked->push_back(std::move(library));
}

std::map<std::string, std::string> parseBuildInfo(std::string_view text) {
  std::map<std::string, std::string> pairs;
  while (!text.empty()) {
    const auto semicolon = text.find(';');
    const std::string_view pair = text.substr(0, semicolon);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos)
      pairs.emplace(std::string(pair.substr(0, equals)), std::string(pair.substr(equals + 1)));
    if (semicolon == std::string_view::npos) break;
    text.remove_prefix(semicolon + 1);
  }
  return pairs;
}

std::string sdkMinorFix() {
  return "upgrade civhost, or rebuild the plugin against civ SDK " +
         std::to_string(kHostSdk.major) + "." + std::to_string(kHostSdk.minor);
}

}  // namespace

std::string_view toString(PluginState state) {
  switch (state) {
    case PluginState::Disabled:
      return "disabled";
    case PluginState::Refused:
      return "refused";
    case PluginState::Loaded:
      return "loaded";
    case PluginState::Started:
      return "started";
    case PluginState::Failed:
      return "failed";
  }
  return "unknown";
}

LoadedPlugin::~LoadedPlugin() {
  plugin.reset();  // the plugin's own deleter, while its code is still mapped
  parkLibrary(std::move(library));
}

std::string refusalLine(const fs::path& file, const std::string& problem,
                        const std::string& expected, const std::string& found,
                        const std::string& fix) {
  return "plugin refused: " + file.string() + ": " + problem + "; expected " + expected +
         ", found " + found + "; fix: " + fix;
}

std::string hostBuildInfo() { return "sdk=" CIV_SDK_VERSION_STRING ";" CIV_SDK_BUILD_TAG; }

fs::path PluginLoader::defaultDirectory() {
  const fs::path exe_dir = boost::dll::program_location().parent_path().string();
  const fs::path build_tree = exe_dir.parent_path() / "plugins";
  if (fs::is_directory(build_tree)) return build_tree;
  return exe_dir.parent_path() / "lib" / "civ" / "plugins";
}

void PluginLoader::refuse(PluginRecord& record, const fs::path& file, const std::string& problem,
                          const std::string& expected, const std::string& found,
                          const std::string& fix) {
  record.state = PluginState::Refused;
  record.reason = problem + "; expected " + expected + ", found " + found + "; fix: " + fix;
  record.loaded.reset();
  log_->warn("{}", refusalLine(file, problem, expected, found, fix));
}

void PluginLoader::checkManifest(PluginRecord& record) {
  auto read = readManifest(record.manifest_file);
  if (auto* problem = std::get_if<std::string>(&read)) {
    refuse(record, record.manifest_file, "bad manifest",
           "a civ plugin manifest (manifest_version 1)", "a file that " + *problem,
           "regenerate it with civ_add_plugin()");
    return;
  }
  Manifest manifest = std::get<Manifest>(std::move(read));
  record.id = manifest.id;
  const fs::path& file = record.manifest_file;
  record.manifest = manifest;
  if (manifest.manifest_version != 1)
    return refuse(record, file, "unknown manifest version", "1",
                  std::to_string(manifest.manifest_version),
                  "rebuild the plugin with a civ SDK whose manifests this civhost reads");
  const std::string name = file.filename().string();
  const std::string stem = name.substr(0, name.size() - std::string(".plugin.json").size());
  if (manifest.id != stem)
    return refuse(
        record, file, "manifest id does not match its file name", manifest.id + ".plugin.json",
        name, "install the manifest as <dir>/" + manifest.id + "/" + manifest.id + ".plugin.json");
  if (manifest.sdk_abi != CIV_SDK_ABI_MAJOR)
    return refuse(record, file, "SDK ABI major mismatch", std::to_string(CIV_SDK_ABI_MAJOR),
                  std::to_string(manifest.sdk_abi),
                  "rebuild the plugin against civ SDK " + std::to_string(CIV_SDK_ABI_MAJOR) + ".x");
  if (manifest.sdk_built_with.major != kHostSdk.major ||
      manifest.sdk_built_with.minor > kHostSdk.minor)
    return refuse(
        record, file, "built with a newer SDK minor",
        "SDK <= " + std::to_string(kHostSdk.major) + "." + std::to_string(kHostSdk.minor) + ".x",
        manifest.sdk_built_with.toString(), sdkMinorFix());
  if (manifest.platform != CIV_SDK_PLATFORM)
    return refuse(record, file, "wrong platform", CIV_SDK_PLATFORM, manifest.platform,
                  "install the plugin built for " CIV_SDK_PLATFORM);
  if (!fs::exists(manifest.libraryPath()))
    return refuse(record, file, "library missing", manifest.libraryPath().string(), "no such file",
                  "install " + manifest.library + " beside its manifest");
  record.state = PluginState::Loaded;  // provisional: compatible on paper
}

void PluginLoader::resolveRequirements(std::vector<PluginRecord>& records) {
  // Repeat until stable: refusing one plugin can leave another's requirement unmet.
  bool changed = true;
  while (changed) {
    changed = false;
    std::map<std::string, PluginRecord*> candidates;
    for (auto& record : records)
      if (record.state == PluginState::Loaded) candidates[record.id] = &record;
    for (auto& record : records) {
      if (record.state != PluginState::Loaded) continue;
      for (const auto& requirement : record.manifest->requires_) {
        auto it = candidates.find(requirement.id);
        if (it == candidates.end()) {
          const auto present =
              std::find_if(records.begin(), records.end(),
                           [&](const PluginRecord& r) { return r.id == requirement.id; });
          const std::string found =
              present == records.end()
                  ? "no such plugin"
                  : std::string(toString(present->state)) +
                        (present->state == PluginState::Disabled ? " (no county enables it)" : "");
          refuse(
              record, record.manifest_file, "unmet requirement",
              requirement.id + " " + requirement.range.text(), found,
              "install and enable " + requirement.id + " for the counties that use " + record.id);
          changed = true;
          break;
        }
        if (!requirement.range.contains(it->second->manifest->version)) {
          refuse(record, record.manifest_file, "unmet requirement",
                 requirement.id + " " + requirement.range.text(),
                 requirement.id + " " + it->second->manifest->version.toString(),
                 "install a version of " + requirement.id + " in " + requirement.range.text());
          changed = true;
          break;
        }
      }
    }
    if (changed) continue;
    // Cycles: depth-first search over requirements among the candidates.
    std::map<std::string, int> mark;  // 0 new, 1 on stack, 2 done
    std::vector<std::string> stack;
    std::function<bool(const std::string&)> visit = [&](const std::string& id) -> bool {
      mark[id] = 1;
      stack.push_back(id);
      for (const auto& requirement : candidates[id]->manifest->requires_) {
        if (candidates.count(requirement.id) == 0) continue;
        if (mark[requirement.id] == 1) {
          auto start = std::find(stack.begin(), stack.end(), requirement.id);
          std::string cycle;
          for (auto it = start; it != stack.end(); ++it) cycle += *it + " -> ";
          cycle += requirement.id;
          for (auto it = start; it != stack.end(); ++it)
            refuse(*candidates[*it], candidates[*it]->manifest_file, "cyclic requirement",
                   "requirements without cycles", cycle,
                   "remove one of the requirements in the cycle");
          return true;
        }
        if (mark[requirement.id] == 0 && visit(requirement.id)) return true;
      }
      stack.pop_back();
      mark[id] = 2;
      return false;
    };
    for (const auto& [id, record] : candidates) {
      if (mark[id] == 0 && visit(id)) {
        changed = true;
        break;
      }
    }
  }
}

std::vector<std::size_t> PluginLoader::loadOrder(const std::vector<PluginRecord>& records) const {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (records[i].state == PluginState::Loaded) index[records[i].id] = i;
  std::vector<std::size_t> order;
  std::set<std::string> placed;
  std::function<void(const std::string&)> place = [&](const std::string& id) {
    if (placed.count(id) != 0) return;
    placed.insert(id);
    const auto& manifest = *records[index[id]].manifest;
    for (const auto* list : {&manifest.requires_, &manifest.optional})
      for (const auto& requirement : *list)
        if (index.count(requirement.id) != 0) place(requirement.id);
    order.push_back(index[id]);
  };
  for (const auto& [id, i] : index) place(id);
  return order;
}

void PluginLoader::loadLibrary(PluginRecord& record) {
  const fs::path library_path = record.manifest->libraryPath();
  // Step 2: the factory symbol must be exported. Read from the ELF file; nothing runs yet.
  std::vector<std::string> symbols;
  try {
    boost::dll::library_info info(library_path.string());
    symbols = info.symbols();
  } catch (const std::exception& error) {
    return refuse(record, library_path, "not a loadable library", "an ELF shared object",
                  std::string("'") + error.what() + "'",
                  "rebuild the plugin with civ_add_plugin()");
  }
  if (std::find(symbols.begin(), symbols.end(), kFactorySymbol) == symbols.end()) {
    std::string other = "none";
    for (const auto& symbol : symbols)
      if (symbol.rfind("civ_plugin_factory_v", 0) == 0) other = symbol;
    const std::string problem =
        other == "none" ? "factory symbol missing" : "plugin was built for another civ SDK ABI";
    return refuse(record, library_path, problem, kFactorySymbol, other,
                  "build the plugin with civ_add_plugin() and CIV_PLUGIN(Class) against civ SDK " +
                      std::to_string(CIV_SDK_ABI_MAJOR) + ".x");
  }
  for (const char* symbol : {"civ_sdk_abi_version", "civ_sdk_build_info"}) {
    if (std::find(symbols.begin(), symbols.end(), symbol) == symbols.end())
      return refuse(record, library_path, "entry point missing", symbol, "none",
                    "build the plugin with CIV_PLUGIN(Class)");
  }
  // Step 3: load with immediate binding (a missing symbol fails here, not mid-request) and
  // local symbols (one plugin's symbols never resolve another's).
  auto loaded = std::make_shared<LoadedPlugin>();
  try {
    loaded->library.load(library_path.string(),
                         boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    return refuse(record, library_path, "dlopen failed", "all symbols resolvable",
                  std::string("'") + error.what() + "'",
                  "rebuild the plugin against the libraries installed with civhost");
  }
  // Step 4: compare the ABI and the build tag, then cross-check the manifest.
  const std::uint32_t abi = loaded->library.get<std::uint32_t() noexcept>("civ_sdk_abi_version")();
  const std::uint32_t abi_major = abi >> 16;
  const std::uint32_t abi_minor = abi & 0xFFFF;
  if (abi_major != CIV_SDK_ABI_MAJOR || abi_minor > CIV_SDK_ABI_MINOR)
    return refuse(record, library_path, "ABI version mismatch",
                  std::to_string(CIV_SDK_ABI_MAJOR) + ".<=" + std::to_string(CIV_SDK_ABI_MINOR),
                  std::to_string(abi_major) + "." + std::to_string(abi_minor), sdkMinorFix());
  record.build_info = loaded->library.get<const char*() noexcept>("civ_sdk_build_info")();
  const auto plugin_info = parseBuildInfo(record.build_info);
  const auto host_info = parseBuildInfo(hostBuildInfo());
  for (const auto& [key, expected] : host_info) {
    auto it = plugin_info.find(key);
    const std::string found = it == plugin_info.end() ? "nothing" : it->second;
    if (key == "sdk") {
      auto version = SemVer::parse(found);
      if (!version || version->major != kHostSdk.major || version->minor > kHostSdk.minor)
        return refuse(
            record, library_path, "build info: SDK version",
            "<= " + std::to_string(kHostSdk.major) + "." + std::to_string(kHostSdk.minor) + ".x",
            found, sdkMinorFix());
      continue;
    }
    if (found != expected)
      return refuse(
          record, library_path, "build info mismatch on " + key, expected, found,
          "rebuild the plugin with the same " + key + " as civhost (" + hostBuildInfo() + ")");
  }
  const auto id = plugin_info.find("id");
  if (id == plugin_info.end() || id->second != record.manifest->id)
    return refuse(record, library_path, "compiled-in id differs from the manifest",
                  record.manifest->id, id == plugin_info.end() ? "nothing" : id->second,
                  "rebuild so that the library and its manifest come from one civ_add_plugin()");
  const auto version = plugin_info.find("version");
  if (version == plugin_info.end() || version->second != record.manifest->version.toString())
    return refuse(record, library_path, "compiled-in version differs from the manifest",
                  record.manifest->version.toString(),
                  version == plugin_info.end() ? "nothing" : version->second,
                  "rebuild so that the library and its manifest come from one civ_add_plugin()");
  // Only now run plugin code: the factory.
  try {
    auto& factory = loaded->library.get_alias<sdk::PluginFactory>(kFactorySymbol);
    loaded->plugin = factory();
  } catch (const std::exception& error) {
    return refuse(record, library_path, "factory threw", "a plugin object",
                  std::string("'") + error.what() + "'", "fix the plugin's constructor");
  } catch (...) {
    return refuse(record, library_path, "factory threw", "a plugin object",
                  "a non-standard exception", "fix the plugin's constructor");
  }
  if (!loaded->plugin)
    return refuse(record, library_path, "factory returned nothing", "a plugin object", "null",
                  "fix the plugin's factory");
  try {
    loaded->declarations = collectDeclarations(*loaded->plugin);
  } catch (const std::exception& error) {
    return refuse(record, library_path, "declare() threw", "its declarations",
                  std::string("'") + error.what() + "'", "fix the plugin's declare()");
  } catch (...) {
    return refuse(record, library_path, "declare() threw", "its declarations",
                  "a non-standard exception", "fix the plugin's declare()");
  }
  record.loaded = std::move(loaded);
  record.state = PluginState::Loaded;
  log_->info("plugin loaded: {} {} from {}", record.id, record.manifest->version.toString(),
             library_path.string());
}

std::vector<PluginRecord> PluginLoader::load(const fs::path& directory,
                                             const std::set<std::string>& enabled) {
  return load(std::vector<fs::path>{directory}, enabled);
}

std::vector<PluginRecord> PluginLoader::load(const std::vector<fs::path>& directories,
                                             const std::set<std::string>& enabled) {
  std::vector<PluginRecord> records;
  std::error_code error;
  std::vector<fs::path> manifests;
  for (const auto& directory : directories) {
    if (!fs::is_directory(directory, error)) {
      log_->warn("plugin directory {} does not exist; no plugins loaded from it",
                 directory.string());
      continue;
    }
    std::vector<fs::path> found;
    for (const auto& folder : fs::directory_iterator(directory, error)) {
      if (!folder.is_directory()) continue;
      for (const auto& entry : fs::directory_iterator(folder.path(), error)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 12 && name.ends_with(".plugin.json")) found.push_back(entry.path());
      }
    }
    std::sort(found.begin(), found.end());  // within a directory; directories keep their order
    manifests.insert(manifests.end(), found.begin(), found.end());
  }
  for (const auto& file : manifests) {
    PluginRecord record;
    record.manifest_file = file;
    const std::string name = file.filename().string();
    record.id = name.substr(0, name.size() - std::string(".plugin.json").size());
    if (enabled.count(record.id) == 0) {
      // Not enabled anywhere: still read the manifest so `civhost plugins` can show it.
      auto read = readManifest(file);
      if (auto* manifest = std::get_if<Manifest>(&read)) record.manifest = *manifest;
      record.state = PluginState::Disabled;
      record.reason = "no county enables it";
      records.push_back(std::move(record));
      continue;
    }
    checkManifest(record);
    if (record.state == PluginState::Loaded) {
      for (const auto& other : records) {
        if (other.id == record.id && other.state != PluginState::Disabled) {
          refuse(record, file, "duplicate plugin id", "one plugin with id " + record.id,
                 "another in " + other.manifest_file.string(), "remove one of the two");
          break;
        }
      }
    }
    records.push_back(std::move(record));
  }
  resolveRequirements(records);
  // Step 3 and 4 in dependency order, one library at a time on this thread.
  const auto order = loadOrder(records);
  for (std::size_t i : order) loadLibrary(records[i]);
  // A requirement refused while loading leaves its dependents unmet.
  resolveRequirements(records);
  // Loaded plugins first, in dependency order; then the others as found.
  std::vector<PluginRecord> ordered;
  std::vector<bool> taken(records.size(), false);
  for (std::size_t i : loadOrder(records)) {
    ordered.push_back(std::move(records[i]));
    taken[i] = true;
  }
  for (std::size_t i = 0; i < records.size(); ++i)
    if (!taken[i]) ordered.push_back(std::move(records[i]));
  return ordered;
}

}  // namespace civ::host
