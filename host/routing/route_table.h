// Every route of every started plugin, matched by module, method and path.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/path_template.h>
#include <civ/sdk/router.h>

namespace civ::host {

using PathParams = std::map<std::string, std::string, std::less<>>;

struct RouteEntry {
  std::string plugin_id;
  sdk::RouteDeclaration declaration;
  sdk::PathTemplate path;
  sdk::RouteHandler handler;
  /// Keeps the plugin's library mapped while the handler can run (lifetime rule 1).
  std::shared_ptr<const void> library_pin;
  /// A host route that writes its own audit rows (one per county an administrative change
  /// affects): the invoker adds no generic row for it.
  bool audits_itself = false;
};

struct RouteMatch {
  enum class Status { Found, NoSuchPath, MethodNotAllowed };
  Status status = Status::NoSuchPath;
  std::shared_ptr<const RouteEntry> route;
  PathParams params;
  std::vector<sdk::Method> allowed;  ///< for MethodNotAllowed
};

/// Thread-safe: matched by request threads, changed when plugins start and stop.
class RouteTable {
 public:
  /// Throws sdk::ValidationError for a bad path template or schema, sdk::Conflict for a
  /// method and path the plugin already declared.
  void add(std::string_view plugin_id, const sdk::RouteDeclaration& declaration,
           sdk::RouteHandler handler, std::shared_ptr<const void> library_pin);
  /// As add(), taking the declaration over instead of copying it (sdk::Router::adopt).
  void adopt(std::string_view plugin_id, sdk::RouteDeclaration&& declaration,
             sdk::RouteHandler handler, std::shared_ptr<const void> library_pin);
  /// A route of the host's own (mount kCountyHostRoutes or kAdminHostRoutes, request_pipeline.h),
  /// checked like a plugin's; `audits_itself` as in RouteEntry.
  void addHostRoute(std::string_view mount, const sdk::RouteDeclaration& declaration,
                    sdk::RouteHandler handler, bool audits_itself);
  void removePlugin(std::string_view plugin_id);
  /// The most specific template wins (more literal segments).
  RouteMatch match(std::string_view plugin_id, sdk::Method method, std::string_view path) const;
  std::vector<std::shared_ptr<const RouteEntry>> routes() const;

 private:
  /// `declaration` as the host reads it (readDeclaration).
  void addEntry(std::string_view plugin_id, sdk::RouteDeclaration declaration,
                sdk::RouteHandler handler, std::shared_ptr<const void> library_pin,
                bool audits_itself);

  mutable std::shared_mutex mutex_;
  std::vector<std::shared_ptr<const RouteEntry>> routes_;  ///< in the order added
  /// The same routes by plugin: a request is matched against its module's routes only, not
  /// every module's (320 with all eight) compared by module id first.
  std::map<std::string, std::vector<std::shared_ptr<const RouteEntry>>, std::less<>> by_plugin_;
};

/// The sdk::Router a plugin registers through: tags every route with the plugin.
class PluginRouter : public sdk::Router {
 public:
  PluginRouter(RouteTable& table, std::string plugin_id, std::shared_ptr<const void> library_pin)
      : table_(table), plugin_id_(std::move(plugin_id)), library_pin_(std::move(library_pin)) {}

  // sdk::Router
  using sdk::Router::add;
  void add(const sdk::RouteDeclaration& route, sdk::RouteHandler handler) override;
  void adopt(sdk::RouteDeclaration&& route, sdk::RouteHandler handler) override;

 private:
  RouteTable& table_;
  std::string plugin_id_;
  std::shared_ptr<const void> library_pin_;
};

std::string_view toString(sdk::Method method);
std::string_view toString(sdk::Permission permission);
bool isMutating(sdk::Method method);

}  // namespace civ::host
