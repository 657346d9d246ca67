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
#include <string_view>

#include <civ/sdk/abi.h>
#include <civ/sdk/declarations.h>

namespace civ::sdk {

class Context;

/// Frozen for ABI major 1: new capabilities come as new interfaces found through capability(),
/// never as new virtuals here.
class CIV_SDK_API Plugin {
 public:
  virtual ~Plugin();

  /// Hands the host the plugin's schema steps, policy parameters, indicators and published
  /// events (declarations.h). Runs before start() (and for `civhost check-config` without a
  /// start), may run more than once, and must not touch a database or other state.
  virtual void declare(Declarations& declarations) const;
  /// Registers routes and takes what it needs from the context. A throw marks the plugin
  /// failed; its registrations are removed and the host serves the other plugins.
  virtual void start(Context& context) = 0;
  /// Stops background work. Must not throw.
  virtual void stop() noexcept;
  /// An interface added to the SDK after 1.0 that this plugin implements, by its id
  /// ("civ.ConsoleViews/1"), or nullptr. The host asks before using any such interface, so a
  /// plugin built against an older SDK simply lacks it. Implement as
  ///   if (id == ConsoleViews::kInterfaceId) return static_cast<ConsoleViews*>(this);
  virtual void* capability(std::string_view interface_id) noexcept;
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
