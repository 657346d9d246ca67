// The interface a plugin implements. Its entry point is CIV_PLUGIN(Class) in plugin_entry.h.
//
// Rules (the host relies on them):
//  - no work in static initialisers (they run inside dlopen, before any check);
//  - no detached threads; stop() joins every thread start() began;
//  - only civ::sdk::Error subclasses leave a plugin;
//  - thread_local objects with non-trivial destructors are forbidden on host threads.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <civ/sdk/abi.h>
#include <civ/sdk/events.h>
#include <civ/sdk/indicator.h>
#include <civ/sdk/migration.h>
#include <civ/sdk/policy.h>

namespace civ::sdk {

class Context;

/// Frozen for ABI major 1: new capabilities come as new interfaces, never as new virtuals here.
class CIV_SDK_API Plugin {
 public:
  virtual ~Plugin();

  /// Schema steps, numbered from 1, applied before start().
  virtual std::vector<Migration> migrations() const;
  /// Policy parameters the plugin reads; the host validates configured values against them.
  virtual std::vector<ParameterDeclaration> parameters() const;
  /// Indicators for the county reports.
  virtual std::vector<IndicatorDeclaration> indicators() const;
  /// Events this plugin publishes, with their payload schemas.
  virtual std::vector<EventDeclaration> events() const;
  /// Registers routes and takes what it needs from the context. A throw marks the plugin
  /// failed; its registrations are removed and the host serves the other plugins.
  virtual void start(Context& context) = 0;
  /// Stops background work. Must not throw.
  virtual void stop() noexcept;
};

/// Deletes a plugin with the plugin library's own code.
struct PluginDeleter {
  void (*destroy)(Plugin*) noexcept = nullptr;
  void operator()(Plugin* plugin) const noexcept {
    if (plugin != nullptr && destroy != nullptr) destroy(plugin);
  }
};
using PluginPtr = std::unique_ptr<Plugin, PluginDeleter>;
/// Signature of the factory alias civ_plugin_factory_v1.
using PluginFactory = PluginPtr();

namespace detail {
template <class T>
void destroyPlugin(Plugin* plugin) noexcept {
  delete static_cast<T*>(plugin);
}
template <class T>
PluginPtr createPlugin() {
  return PluginPtr(new T(), PluginDeleter{&destroyPlugin<T>});
}
}  // namespace detail

}  // namespace civ::sdk
