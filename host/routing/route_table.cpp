#include "host/routing/route_table.h"

#include <algorithm>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>

#include "host/plugins/plugin_declarations.h"

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

namespace {

/// A route the host cannot serve or document: names the plugin, the route and the fix.
[[noreturn]] void refuse(std::string_view plugin_id, const sdk::RouteDeclaration& declaration,
                         const std::string& problem, const std::string& fix) {
  throw sdk::ValidationError("route", "declaration",
                             "plugin " + std::string(plugin_id) + " route " +
                                 std::string(toString(declaration.method)) + " " +
                                 declaration.path + ": " + problem + "; fix: " + fix);
}

void checkSchemaOf(std::string_view plugin_id, const sdk::RouteDeclaration& declaration,
                   const nlohmann::json& schema, const std::string& what) {
  auto problems = sdk::checkSchema(schema);
  if (!problems.empty())
    refuse(plugin_id, declaration, what + ": " + problems.front(),
           "declare it with the helpers of civ/sdk/schema.h");
}

// Parameters arrive as text: only scalar schemas can describe them.
void checkParameter(std::string_view plugin_id, const sdk::RouteDeclaration& declaration,
                    const sdk::RouteParameter& parameter) {
  const std::string what = "parameter '" + parameter.name + "'";
  if (parameter.name.empty()) refuse(plugin_id, declaration, "a parameter has no name", "name it");
  if (!parameter.schema.is_object() || !parameter.schema.contains("type"))
    refuse(plugin_id, declaration, what + " has no schema with a type",
           "give it schema::id(), schema::integer(), schema::date(), schema::text(n) ...");
  const auto type = parameter.schema.value("type", nlohmann::json()).dump();
  if (type != "\"string\"" && type != "\"integer\"" && type != "\"boolean\"" &&
      type != "\"number\"")
    refuse(plugin_id, declaration, what + " has type " + type,
           "a path or query parameter is a string, integer, number or boolean");
  checkSchemaOf(plugin_id, declaration, parameter.schema, what);
  // A default the host would fill in must itself be valid, or every request would be a 400
  // blamed on the caller.
  if (auto fallback = parameter.schema.find("default"); fallback != parameter.schema.end()) {
    auto without_default = parameter.schema;
    without_default.erase("default");
    if (!sdk::validateJson(without_default, *fallback, sdk::Date::fromSysDays({})).empty() ||
        (fallback->is_string() && type != "\"string\""))
      refuse(plugin_id, declaration,
             what + " has a default " + fallback->dump() + " that breaks its own schema",
             "give a default of the parameter's type within its bounds");
  }
}

void checkDeclaration(std::string_view plugin_id, const sdk::RouteDeclaration& declaration,
                      const sdk::PathTemplate& path) {
  if (declaration.summary.zh.empty() || declaration.summary.en.empty())
    refuse(plugin_id, declaration, "the summary needs a Chinese and an English line",
           ".summary(\"中文\", \"English\")");
  std::set<std::string, std::less<>> seen;
  for (const auto& parameter : declaration.parameters) {
    checkParameter(plugin_id, declaration, parameter);
    if (!seen.insert(parameter.name).second)
      refuse(plugin_id, declaration, "parameter '" + parameter.name + "' is declared twice",
             "declare it once");
    const auto& names = path.parameterNames();
    const bool in_path = std::find(names.begin(), names.end(), parameter.name) != names.end();
    if (parameter.in == sdk::ParameterLocation::Path && !in_path)
      refuse(plugin_id, declaration,
             "path parameter '" + parameter.name + "' is not a {segment} of the path",
             "add it to the path or declare it as a query parameter");
    if (parameter.in == sdk::ParameterLocation::Query && in_path)
      refuse(plugin_id, declaration,
             "'" + parameter.name +
                 "' is a {segment} of the path but declared as a query "
                 "parameter",
             "use .pathId() or .pathParam()");
  }
  for (const auto& name : path.parameterNames())
    if (seen.count(name) == 0)
      refuse(plugin_id, declaration, "path parameter '" + name + "' has no declared type",
             ".pathId(\"" + name + "\") for a row id, or .pathParam(\"" + name + "\", schema)");
  if (!declaration.request_schema.is_null()) {
    checkSchemaOf(plugin_id, declaration, declaration.request_schema, "request schema");
    if (declaration.method == sdk::Method::Get)
      refuse(plugin_id, declaration, "a GET takes no body", "use query parameters");
  }
  if (!declaration.console.is_null() && !declaration.console.is_object())
    refuse(plugin_id, declaration, "console hints are not an object",
           ".console({{\"queue\", true}})");
  if (declaration.responses.empty())
    refuse(plugin_id, declaration, "no success answer is declared",
           ".ok(schema), .created(schema), .noContent() or .document(type, description)");
  std::set<std::pair<int, std::string>> answers;
  for (const auto& response : declaration.responses) {
    const std::string what = "answer " + std::to_string(response.status);
    if (response.status < 200 || response.status > 299)
      refuse(plugin_id, declaration, what + " is not a success status",
             "declare 2xx answers only; errors are documented by the host");
    if (!answers.insert({response.status, response.content_type}).second)
      refuse(plugin_id, declaration, what + " is declared twice", "declare it once");
    if (response.status == 204) {
      if (!response.schema.is_null())
        refuse(plugin_id, declaration, "answer 204 has a body schema", ".noContent()");
      continue;
    }
    if (response.content_type.empty())
      refuse(plugin_id, declaration, what + " has no content type",
             "\"application/json\" or a document type");
    if (response.content_type == "application/json") {
      if (!response.schema.is_object())
        refuse(plugin_id, declaration, what + " has no body schema",
               "describe the answer with the helpers of civ/sdk/schema.h");
      checkSchemaOf(plugin_id, declaration, response.schema, what);
    }
  }
}

/// readDeclaration, its refusal of an impossible struct_size answered as the plugin's error.
template <class Declared>
sdk::RouteDeclaration readRoute(std::string_view plugin_id, Declared&& declared) {
  try {
    return readDeclaration(std::forward<Declared>(declared));
  } catch (const std::invalid_argument& error) {
    throw sdk::ValidationError("route", "struct_size",
                               "plugin " + std::string(plugin_id) + ": " + error.what());
  }
}

}  // namespace

void RouteTable::add(std::string_view plugin_id, const sdk::RouteDeclaration& declared,
                     sdk::RouteHandler handler, std::shared_ptr<const void> library_pin) {
  addEntry(plugin_id, readRoute(plugin_id, declared), std::move(handler), std::move(library_pin),
           false);
}

void RouteTable::adopt(std::string_view plugin_id, sdk::RouteDeclaration&& declared,
                       sdk::RouteHandler handler, std::shared_ptr<const void> library_pin) {
  addEntry(plugin_id, readRoute(plugin_id, std::move(declared)), std::move(handler),
           std::move(library_pin), false);
}

void RouteTable::addHostRoute(std::string_view mount, const sdk::RouteDeclaration& declared,
                              sdk::RouteHandler handler, bool audits_itself) {
  addEntry(mount, readRoute(mount, declared), std::move(handler), nullptr, audits_itself);
}

void RouteTable::addEntry(std::string_view plugin_id, sdk::RouteDeclaration declaration,
                          sdk::RouteHandler handler, std::shared_ptr<const void> library_pin,
                          bool audits_itself) {
  if (!handler) refuse(plugin_id, declaration, "no handler", "pass the handler to add()");
  std::optional<sdk::PathTemplate> path;
  try {
    path.emplace(declaration.path);
  } catch (const sdk::Error& error) {
    refuse(plugin_id, declaration, error.detail(), "write the path as /things/{id}");
  }
  checkDeclaration(plugin_id, declaration, *path);
  // Moved, not copied: its schemas are most of start-up's work (320 routes with all modules).
  auto entry = std::make_shared<RouteEntry>(
      RouteEntry{std::string(plugin_id), std::move(declaration), std::move(*path),
                 std::move(handler), std::move(library_pin), audits_itself});
  const auto& added = entry->declaration;
  std::unique_lock lock(mutex_);
  auto& of_plugin = by_plugin_[std::string(plugin_id)];
  for (const auto& existing : of_plugin) {
    if (existing->declaration.method == added.method && existing->path.text() == entry->path.text())
      throw sdk::Conflict("route " + std::string(toString(added.method)) + " " + added.path +
                          " is declared twice by " + std::string(plugin_id));
  }
  routes_.reserve(routes_.size() + 1);  // so that both hold it or neither (bad_alloc)
  of_plugin.push_back(entry);
  routes_.push_back(std::move(entry));
}

void RouteTable::removePlugin(std::string_view plugin_id) {
  std::unique_lock lock(mutex_);
  std::erase_if(routes_, [&](const auto& route) { return route->plugin_id == plugin_id; });
  if (const auto found = by_plugin_.find(plugin_id); found != by_plugin_.end())
    by_plugin_.erase(found);
}

RouteMatch RouteTable::match(std::string_view plugin_id, sdk::Method method,
                             std::string_view path) const {
  RouteMatch result;
  int best_literals = -1;
  std::shared_lock lock(mutex_);
  const auto of_plugin = by_plugin_.find(plugin_id);
  if (of_plugin == by_plugin_.end()) return result;
  for (const auto& route : of_plugin->second) {
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

void PluginRouter::adopt(sdk::RouteDeclaration&& route, sdk::RouteHandler handler) {
  table_.adopt(plugin_id_, std::move(route), std::move(handler), library_pin_);
}

}  // namespace civ::host
