// Takes loaded plugins through their lifecycle: parameters declared, migrations applied,
// start(Context&), and stop() in reverse order. A failure marks that plugin (and whatever
// requires it) failed, removes its routes and leaves the others serving.
#pragma once

#include <memory>
#include <vector>

#include "host/plugins/plugin_record.h"
#include "host/runtime/host_services.h"

namespace spdlog {
class logger;
}

namespace civ::host {

class HostContext;

class PluginRuntime {
 public:
  PluginRuntime(HostServices& services, std::shared_ptr<spdlog::logger> log);
  ~PluginRuntime();

  /// Records every loaded plugin's parameter declarations in the policy store (defaults
  /// checked against their own bounds).
  void declareParameters(std::vector<PluginRecord>& records);
  /// Applies each loaded plugin's pending migrations (one transaction per plugin).
  void migrate(std::vector<PluginRecord>& records);
  /// Starts each loaded plugin in order.
  void start(std::vector<PluginRecord>& records);
  /// Stops started plugins in reverse order (routes removed first).
  void stop(std::vector<PluginRecord>& records);

 private:
  void fail(std::vector<PluginRecord>& records, PluginRecord& record, const std::string& problem,
            const std::string& found, const std::string& fix);

  HostServices& services_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::unique_ptr<HostContext>> contexts_;
};

}  // namespace civ::host
