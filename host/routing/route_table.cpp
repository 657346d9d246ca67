#include "host/routing/route_table.h"

#include <algorithm>
#include <mutex>

#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>

namespace civ::host {

std::string_view toString(sdk::Method method) {
  switch (method) {
    case sdk::Method::Get:
      return "GET";
    case sdk::Method::Post:
      return "POST";
    case sdk::Method::Put:
      return "PUT";
    case sdk::Method::Patch:
      return "PATCH";
    case sdk::Method::Delete:
      return "DELETE";
  }
  return "?";
}

std::string_view toString(sdk::Permission permission) {
  switch (permission) {
    case sdk::Permission::Read:
      return "read";
    case sdk::Permission::Edit:
      return "edit";
    case sdk::Permission::Review:
      return "review";
    case sdk::Permission::Approve:
      return "approve";
    case sdk::Permission::Audit:
      return "audit";
    case sdk::Permission::Administer:
      return "administer";
  }
  return "?";
}

bool isMutating(sdk::Method method) { return method != sdk::Method::Get; }

void RouteTable::add(std::string_view plugin_id, const sdk::RouteDeclaration& declaration,
                     sdk::RouteHandler handler, std::shared_ptr<const void> library_pin) {
  if (!handler)
    throw sdk::ValidationError("handler", "required",
                               "route " + declaration.path + " has no handler");
  for (const auto* schema : {&declaration.request_schema, &declaration.response_schema}) {
    auto problems = sdk::checkSchema(*schema);
    if (!problems.empty())
      throw sdk::ValidationError("schema", "json_schema",
                                 "route " + std::string(toString(declaration.method)) + " " +
                                     declaration.path + ": " + problems.front());
  }
  auto entry = std::make_shared<RouteEntry>(RouteEntry{std::string(plugin_id), declaration,
                                                       sdk::PathTemplate(declaration.path),
                                                       std::move(handler), std::move(library_pin)});
  std::unique_lock lock(mutex_);
  for (const auto& existing : routes_) {
    if (existing->plugin_id == plugin_id && existing->declaration.method == declaration.method &&
        existing->path.text() == entry->path.text())
      throw sdk::Conflict("route " + std::string(toString(declaration.method)) + " " +
                          declaration.path + " is declared twice by " + std::string(plugin_id));
  }
  routes_.push_back(std::move(entry));
}

void RouteTable::removePlugin(std::string_view plugin_id) {
  std::unique_lock lock(mutex_);
  std::erase_if(routes_, [&](const auto& route) { return route->plugin_id == plugin_id; });
}

RouteMatch RouteTable::match(std::string_view plugin_id, sdk::Method method,
                             std::string_view path) const {
  RouteMatch result;
  int best_literals = -1;
  std::shared_lock lock(mutex_);
  for (const auto& route : routes_) {
    if (route->plugin_id != plugin_id) continue;
    auto params = route->path.match(path);
    if (!params) continue;
    if (route->declaration.method != method) {
      result.allowed.push_back(route->declaration.method);
      continue;
    }
    if (route->path.literalCount() > best_literals) {
      best_literals = route->path.literalCount();
      result.status = RouteMatch::Status::Found;
      result.route = route;
      result.params = std::move(*params);
    }
  }
  if (result.status != RouteMatch::Status::Found && !result.allowed.empty())
    result.status = RouteMatch::Status::MethodNotAllowed;
  return result;
}

std::vector<std::shared_ptr<const RouteEntry>> RouteTable::routes() const {
  std::shared_lock lock(mutex_);
  return routes_;
}

void PluginRouter::add(const sdk::RouteDeclaration& route, sdk::RouteHandler handler) {
  table_.add(plugin_id_, route, std::move(handler), library_pin_);
}

}  // namespace civ::host
