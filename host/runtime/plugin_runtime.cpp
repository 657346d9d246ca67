#include "host/runtime/plugin_runtime.h"

#include <algorithm>

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/context.h>
#include <civ/sdk/divisions.h>
#include <civ/sdk/error.h>

#include "host/logging/logging.h"
#include "host/plugins/plugin_loader.h"
#include "host/storage/migration_runner.h"

namespace civ::host {

/// sdk::Context for one plugin.
class HostContext : public sdk::Context {
 public:
  HostContext(HostServices& services, std::string plugin_id, std::shared_ptr<const void> pin)
      : services_(services),
        plugin_id_(std::move(plugin_id)),
        router_(services.routes, plugin_id_, pin),
        events_(services.events, plugin_id_, pin),
        coverage_(services.coverage, plugin_id_, pin),
        policy_(services.policy, plugin_id_),
        logger_(namedLogger(plugin_id_)) {}

  std::string_view pluginId() const override { return plugin_id_; }
  sdk::Router& router() override { return router_; }
  sdk::Storage& storage() override { return services_.storage; }
  const sdk::PolicyReader& policy() const override { return policy_; }
  sdk::PersonsRegistry& persons() override { return services_.persons; }
  const sdk::WorkingDayCalendar& calendar() const override { return services_.calendar; }
  const sdk::Clock& clock() const override { return services_.clock; }
  std::shared_ptr<spdlog::logger> logger() const override { return logger_; }
  sdk::EventBus& events() override { return events_; }
  sdk::CoverageDirectory& coverage() override { return coverage_; }
  // Services added to the SDK after 1.0, by interface id.
  void* capability(std::string_view interface_id) override {
    if (interface_id == sdk::Divisions::kInterfaceId)
      return static_cast<sdk::Divisions*>(&services_.divisions);
    return nullptr;
  }

 private:
  HostServices& services_;
  std::string plugin_id_;
  PluginRouter router_;
  PluginEventBus events_;
  PluginCoverageDirectory coverage_;
  PluginPolicyReader policy_;
  std::shared_ptr<spdlog::logger> logger_;
};

PluginRuntime::PluginRuntime(HostServices& services, std::shared_ptr<spdlog::logger> log)
    : services_(services), log_(std::move(log)) {}

PluginRuntime::~PluginRuntime() = default;

void PluginRuntime::fail(std::vector<PluginRecord>& records, PluginRecord& record,
                         const std::string& problem, const std::string& found,
                         const std::string& fix) {
  record.state = PluginState::Failed;
  record.reason = problem + "; found " + found + "; fix: " + fix;
  services_.routes.removePlugin(record.id);
  services_.events.removePlugin(record.id);
  services_.coverage.removePlugin(record.id);
  services_.divisions.removePlugin(record.id);
  log_->error("plugin failed: {}: {}; found {}; fix: {}", record.manifest_file.string(), problem,
              found, fix);
  // Whatever requires it cannot run either.
  for (auto& other : records) {
    if (other.state != PluginState::Loaded && other.state != PluginState::Started) continue;
    for (const auto& requirement : other.manifest->requires_) {
      if (requirement.id == record.id) {
        fail(records, other, "requirement " + record.id + " failed",
             record.id + " " + std::string(toString(record.state)), "fix " + record.id + " first");
        break;
      }
    }
  }
}

void PluginRuntime::declareParameters(std::vector<PluginRecord>& records) {
  for (auto& record : records) {
    if (record.state != PluginState::Loaded) continue;
    try {
      for (const auto& declaration : record.loaded->declarations.parameters)
        services_.policy.declare(record.id, declaration);  // throws for a bad default
      for (const auto& event : record.loaded->declarations.events)
        services_.events.declare(record.id, event);
    } catch (const std::exception& error) {
      fail(records, record, "declarations are not acceptable",
           std::string("'") + error.what() + "'",
           "correct the plugin's parameter or event declarations");
    }
  }
}

void PluginRuntime::migrate(std::vector<PluginRecord>& records) {
  for (auto& record : records) {
    if (record.state != PluginState::Loaded) continue;
    try {
      PooledSession lease(*services_.database);
      MigrationRunner runner(lease.session(), services_.database->dialect());
      const auto outcome = runner.apply(record.id, record.loaded->declarations.migrations);
      // Migrations commit unsynced (migration_runner.cpp): no sync per owner at start-up.
      services_.database->acceptUnsynced(lease.session());
      if (outcome.applied > 0)
        log_->info("plugin {}: applied {} migration(s), schema version {}", record.id,
                   outcome.applied, outcome.current_version);
    } catch (const std::exception& error) {
      fail(records, record, "migrations failed", std::string("'") + error.what() + "'",
           "correct the plugin's migration, or the database");
    }
  }
}

void PluginRuntime::start(std::vector<PluginRecord>& records) {
  for (auto& record : records) {
    if (record.state != PluginState::Loaded) continue;
    auto context = std::make_unique<HostContext>(services_, record.id, record.loaded);
    try {
      record.loaded->plugin->start(*context);
      for (const auto& indicator : record.loaded->declarations.indicators)
        services_.indicators.push_back({record.id, indicator, record.loaded});
      services_.divisions.offer(
          record.id,
          static_cast<const sdk::Divisions*>(
              record.loaded->plugin->capability(sdk::Divisions::kInterfaceId)),
          record.loaded);
      record.state = PluginState::Started;
      contexts_.push_back(std::move(context));
      log_->info("plugin started: {} {}", record.id, record.manifest->version.toString());
    } catch (const std::exception& error) {
      fail(records, record, "start() threw", std::string("'") + error.what() + "'",
           "fix the plugin, or remove it from the counties' modules");
      record.loaded->plugin->stop();
    } catch (...) {
      fail(records, record, "start() threw", "a non-standard exception",
           "fix the plugin, or remove it from the counties' modules");
      record.loaded->plugin->stop();
    }
  }
}

void PluginRuntime::stop(std::vector<PluginRecord>& records) {
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    if (it->state != PluginState::Started) continue;
    services_.routes.removePlugin(it->id);
    services_.events.removePlugin(it->id);
    services_.coverage.removePlugin(it->id);
    services_.divisions.removePlugin(it->id);
    std::erase_if(services_.indicators,
                  [&](const IndicatorEntry& entry) { return entry.plugin_id == it->id; });
    it->loaded->plugin->stop();
    it->state = PluginState::Loaded;
    log_->info("plugin stopped: {}", it->id);
  }
}

}  // namespace civ::host
