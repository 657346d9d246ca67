#include "host/http/api_dispatcher.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/path_template.h>
#include <civ/sdk/schema.h>

#include "host/common/timestamp.h"
#include "host/events/event_cause.h"
#include "host/http/json_body.h"
#include "host/http/problem.h"
#include "host/routing/route_invoker.h"
#include "host/security/security_events.h"

namespace civ::host {

namespace {

using Query = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kCountiesPrefix = "/api/v1/counties/";
constexpr std::string_view kAdminPrefix = "/api/v1/admin/";

std::optional<sdk::Method> parseMethod(std::string_view text) {
  if (text == "GET") return sdk::Method::Get;
  if (text == "POST") return sdk::Method::Post;
  if (text == "PUT") return sdk::Method::Put;
  if (text == "PATCH") return sdk::Method::Patch;
  if (text == "DELETE") return sdk::Method::Delete;
  return std::nullopt;
}

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    parts.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

/// Query strings: '+' is a space, %XX escapes; nullopt on a malformed escape.
std::optional<Query> parseQuery(std::string_view raw) {
  Query query;
  while (!raw.empty()) {
    const auto amp = raw.find('&');
    std::string pair(raw.substr(0, amp));
    std::replace(pair.begin(), pair.end(), '+', ' ');
    const auto equals = pair.find('=');
    auto key = sdk::percentDecode(std::string_view(pair).substr(0, equals));
    auto value = sdk::percentDecode(
        equals == std::string::npos ? "" : std::string_view(pair).substr(equals + 1));
    if (!key || !value) return std::nullopt;
    if (!key->empty()) query[*key] = *value;
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
  }
  return query;
}

/// Who the current request authenticated as, for the security event of a refusal.
struct RequestIdentity {
  std::string user;
  std::optional<std::int64_t> token_id;
};
thread_local RequestIdentity current_identity;

/// The county code in /api/v1/counties/{county}/..., or "".
std::string countyOfPath(const std::string& path) {
  constexpr std::string_view kPrefix = "/api/v1/counties/";
  if (!path.starts_with(kPrefix)) return "";
  const auto end = path.find('/', kPrefix.size());
  return path.substr(kPrefix.size(),
                     end == std::string::npos ? std::string::npos : end - kPrefix.size());
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

}  // namespace

ApiDispatcher::ApiDispatcher(const Config& config, HostServices& services,
                             const std::vector<PluginRecord>& plugins,
                             std::shared_ptr<spdlog::logger> log, bool test_clock)
    : config_(config),
      services_(services),
      plugins_(plugins),
      log_(std::move(log)),
      host_routes_(config, services, plugins, test_clock),
      tokens_(services.storage) {}

sdk::Caller ApiDispatcher::authenticate(const HttpExchange& exchange, soci::session& session) {
  constexpr std::string_view kBearer = "Bearer ";
  if (exchange.authorization.empty())
    throw sdk::Error(401, "unauthorized", "Authentication required",
                     "send Authorization: Bearer <token>; civhost token issue creates one");
  if (!exchange.authorization.starts_with(kBearer))
    throw sdk::Error(401, "unauthorized", "Authentication required",
                     "the Authorization header must be 'Bearer <token>'");
  bool expired = false;
  auto caller = tokens_.authenticate(session, exchange.authorization.substr(kBearer.size()),
                                     &current_identity.token_id, &expired);
  if (!caller)
    throw sdk::Error(401, "unauthorized", "Authentication required",
                     expired ? "the token has expired; ask the administrator for a new one"
                             : "the token is unknown or revoked, or its user is disabled");
  current_identity.user = caller->user;
  return *caller;
}

HttpReply ApiDispatcher::handle(const HttpExchange& exchange) {
  const auto question = exchange.target.find('?');
  const std::string path = exchange.target.substr(0, question);
  current_identity = {};
  HttpReply reply = answer(exchange, path, question);
  // Answers about people are not to be kept by browsers or proxies.
  if (path.starts_with("/api/")) reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

void ApiDispatcher::recordRefusal(const HttpExchange& exchange, const std::string& path,
                                  const sdk::Error& error) {
  SecurityEvent event;
  event.at = isoTimestamp(services_.clock.now());
  event.county = countyOfPath(path);
  event.status = error.status();
  event.user = current_identity.user;
  event.token_id = current_identity.token_id;
  event.method = exchange.method;
  event.path = path;
  event.reason = error.what();
  log_->warn("refused {} {} {}: user '{}' token {}: {}", event.status, event.method, event.path,
             event.user, event.token_id ? std::to_string(*event.token_id) : "-", event.reason);
  if (!SecurityEvents::record(*services_.database, event))
    log_->error("the security event of a refused {} {} could not be stored", event.method,
                event.path);
}

HttpReply ApiDispatcher::answer(const HttpExchange& exchange, const std::string& path,
                                std::size_t question) {
  try {
    auto query = parseQuery(question == std::string::npos
                                ? ""
                                : std::string_view(exchange.target).substr(question + 1));
    if (!query)
      return problemReply(400, "bad-query", "Malformed query string",
                          "the query string has a malformed %-escape", path);
    return route(exchange, path, *query);
  } catch (const sdk::Error& error) {
    HttpReply reply = problemReply(error, path);
    if (error.status() == 401)
      reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"civ\"");
    if (error.status() == 401 || error.status() == 403) recordRefusal(exchange, path, error);
    return reply;
  } catch (const std::exception& error) {
    log_->error("{} {}: internal error: {}", exchange.method, path, error.what());
    return problemReply(500, "internal-error", "Internal error",
                        "the server failed on this request; the error has been logged", path);
  } catch (...) {
    log_->error("{} {}: internal error: non-standard exception", exchange.method, path);
    return problemReply(500, "internal-error", "Internal error",
                        "the server failed on this request; the error has been logged", path);
  }
}

HttpReply ApiDispatcher::route(const HttpExchange& exchange, const std::string& path,
                               const Query& query) {
  if (path == "/healthz") {
    if (exchange.method != "GET")
      throw sdk::Error(405, "method-not-allowed", "Method not allowed", "use GET");
    HttpReply reply = jsonReply(200, {{"status", "ok"}});
    reply.metric_route = "/healthz";
    return reply;
  }
  if (path == "/api/openapi.json" && exchange.method == "GET") {
    HttpReply reply = jsonReply(200, openApi());
    reply.metric_route = path;
    return reply;
  }
  if (path == "/metrics" && exchange.method == "GET") return renderMetrics();
  if (path.starts_with(kAdminPrefix)) {
    const sdk::Caller caller = [&] {
      PooledSession lease(*services_.database);
      return authenticate(exchange, lease.session());
    }();
    const std::string rest = path.substr(kAdminPrefix.size());
    HttpReply reply = host_routes_.admin(exchange, caller, rest, query);
    reply.metric_route = rest.starts_with("counties/") ? "/api/v1/admin/counties/{code}"
                         : rest.starts_with("users/")  ? "/api/v1/admin/users/{name}/disable"
                                                       : path;
    return reply;
  }
  if (!path.starts_with(kCountiesPrefix))
    throw sdk::NotFound("no resource at " + path +
                        "; module APIs are under /api/v1/counties/{county}/{module}/");
  const auto parts = splitPath(std::string_view(path).substr(kCountiesPrefix.size()));
  if (parts.empty() || parts[0].empty())
    throw sdk::NotFound("name a county: /api/v1/counties/{county}/{module}/...");
  // One session for the token lookup and the module's route: every lease is a turn in the
  // queue for sessions. Host routes below lease their own, so this one is given back first.
  std::optional<PooledSession> lease(std::in_place, *services_.database);
  const sdk::Caller caller = authenticate(exchange, lease->session());
  const CountyConfig* county = config_.county(parts[0]);
  if (county == nullptr) {
    std::vector<std::string> codes;
    for (const auto& c : config_.counties) codes.push_back(c.code);
    throw sdk::Error(404, "unknown-county", "Unknown county",
                     "county '" + parts[0] +
                         "' is not configured on this server; configured: " + joinNames(codes));
  }
  if (parts.size() < 2 || parts[1].empty())
    throw sdk::NotFound("name a module: /api/v1/counties/" + county->code + "/{module}/...");
  if ((parts[1] == "indicators" || parts[1] == "audit" || parts[1] == "security-events") &&
      parts.size() == 2) {
    if (exchange.method != "GET")
      throw sdk::Error(405, "method-not-allowed", "Method not allowed", "use GET");
    lease.reset();
    HttpReply reply;
    if (parts[1] == "audit") {
      authorize(caller, county->code, nullptr, sdk::Permission::Audit);
      sdk::requireCountyWide(caller, "the audit trail");  // rows are not by township
      reply = host_routes_.audit(*county, caller, query);
    } else if (parts[1] == "security-events") {
      authorize(caller, county->code, nullptr, sdk::Permission::Audit);
      sdk::requireCountyWide(caller, "the security events");
      reply = host_routes_.securityEvents(*county, query);
    } else {
      authorize(caller, county->code, nullptr, sdk::Permission::Read);
      reply = indicators(*county, caller, path, query);
    }
    reply.metric_route = "/api/v1/counties/{county}/" + parts[1];
    return reply;
  }
  const std::string& module = parts[1];
  const std::size_t rest_start = kCountiesPrefix.size() + parts[0].size() + 1 + module.size();
  std::string rest = path.substr(std::min(rest_start, path.size()));
  if (rest.empty()) rest = "/";
  return moduleRequest(exchange, caller, *county, module, rest, query, lease->session());
}

HttpReply ApiDispatcher::moduleRequest(const HttpExchange& exchange, const sdk::Caller& caller,
                                       const CountyConfig& county, const std::string& module,
                                       const std::string& rest, const Query& query,
                                       soci::session& session) {
  const std::string instance = exchange.target.substr(0, exchange.target.find('?'));
  if (std::find(county.modules.begin(), county.modules.end(), module) == county.modules.end())
    throw sdk::Error(404, "module-not-enabled", "Module not enabled",
                     "module '" + module + "' is not enabled for county " + county.code + " (" +
                         county.name.zh + "); enabled: " + joinNames(county.modules));
  const auto plugin = std::find_if(plugins_.begin(), plugins_.end(),
                                   [&](const PluginRecord& record) { return record.id == module; });
  if (plugin == plugins_.end() || plugin->state != PluginState::Started)
    throw sdk::Error(503, "module-unavailable", "Module unavailable",
                     "module '" + module + "' is enabled for county " + county.code +
                         " but is not running on this server (" +
                         (plugin == plugins_.end() ? std::string("not installed")
                                                   : std::string(toString(plugin->state))) +
                         "); see civhost plugins");
  const auto method = parseMethod(exchange.method);
  if (!method)
    throw sdk::Error(
        405, "method-not-allowed", "Method not allowed",
        "method " + exchange.method + " is not used by civ; use GET, POST, PUT, PATCH or DELETE");
  auto match = services_.routes.match(module, *method, rest);
  if (match.status == RouteMatch::Status::NoSuchPath)
    throw sdk::Error(404, "no-such-route", "No such route",
                     "module '" + module + "' has no route " + rest + "; see /api/openapi.json");
  if (match.status == RouteMatch::Status::MethodNotAllowed) {
    std::string allowed;
    for (auto m : match.allowed)
      allowed += (allowed.empty() ? "" : ", ") + std::string(toString(m));
    HttpReply reply = problemReply(
        405, "method-not-allowed", "Method not allowed",
        exchange.method + " is not allowed on " + rest + "; allowed: " + allowed, instance);
    reply.headers.emplace_back("Allow", allowed);
    return reply;
  }
  authorize(caller, county.code, &module, match.route->declaration.permission);
  Invocation invocation;
  invocation.method = *method;
  invocation.county = county.code;
  invocation.path_params = std::move(match.params);
  invocation.query = query;
  invocation.today = services_.clock.today();
  invocation.timestamp = isoTimestamp(services_.clock.now());
  invocation.caller = caller;
  invocation.body = parseJsonBody(exchange);
  invocation.request_id = newRequestId();
  const std::string request_id = invocation.request_id;
  const auto& route = *match.route;
  try {
    const sdk::Response response =
        invokeRoute(route, std::move(invocation), *services_.database, session);
    services_.events.wakeIfThisThreadPublished();  // after the commit
    HttpReply reply = jsonReply(response.status, response.body);
    if (!response.content_type.empty()) {
      reply.content_type = response.content_type;
      reply.body = response.document;
      if (!response.filename.empty())
        reply.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"" + response.filename + "\"");
    }
    reply.metric_module = module;
    reply.metric_route = route.declaration.path;
    if (!response.location.empty())
      reply.headers.emplace_back(
          "Location", "/api/v1/counties/" + county.code + "/" + module + response.location);
    // The id its audit rows carry, so a clerk's report of a request can be found in the trail.
    reply.headers.emplace_back("X-Request-Id", request_id);
    return reply;
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& error) {
    log_->error("plugin {}: {} {} threw: {}", module, exchange.method, instance, error.what());
    return problemReply(500, "internal-error", "Internal error",
                        "module '" + module + "' failed on this request; the error has been logged",
                        instance);
  }
}

HttpReply ApiDispatcher::indicators(const CountyConfig& county, const sdk::Caller& caller,
                                    const std::string& instance, const Query& query) {
  const auto read_date = [&](const char* name) {
    auto it = query.find(name);
    if (it == query.end())
      throw sdk::ValidationError(
          name, "required", std::string("give the period as ?from=YYYY-MM-DD&to=YYYY-MM-DD"), 400);
    auto date = sdk::Date::parse(it->second);
    if (!date)
      throw sdk::ValidationError(name, "format",
                                 "must be a real date YYYY-MM-DD, got '" + it->second + "'", 400);
    return *date;
  };
  const sdk::Date from = read_date("from");
  const sdk::Date to = read_date("to");
  if (to < from)
    throw sdk::ValidationError("to", "after_from", "the period ends before it starts", 400);
  nlohmann::json list = nlohmann::json::array();
  PooledSession lease(*services_.database);
  soci::session& session = lease.session();
  for (const auto& entry : services_.indicators) {
    if (std::find(county.modules.begin(), county.modules.end(), entry.plugin_id) ==
        county.modules.end())
      continue;
    // A caller scoped to some modules reads only their indicators, as only their routes.
    if (!caller.modules.empty() && std::find(caller.modules.begin(), caller.modules.end(),
                                             entry.plugin_id) == caller.modules.end())
      continue;
    const auto& declaration = entry.declaration;
    std::int64_t value = 0;
    try {
      value = declaration.compute(session, sdk::IndicatorQuery{county.code, from, to});
    } catch (const std::exception& error) {
      log_->error("plugin {}: indicator {} threw: {}", entry.plugin_id, declaration.id,
                  error.what());
      return problemReply(500, "internal-error", "Internal error",
                          "indicator " + entry.plugin_id + "." + declaration.id +
                              " failed; the error has been logged",
                          instance);
    }
    list.push_back({{"module", entry.plugin_id},
                    {"id", declaration.id},
                    {"name", {{"zh", declaration.name.zh}, {"en", declaration.name.en}}},
                    {"unit", declaration.unit},
                    {"value", value}});
  }
  return jsonReply(200, {{"county", county.code},
                         {"from", from.toString()},
                         {"to", to.toString()},
                         {"indicators", list}});
}

HttpReply ApiDispatcher::renderMetrics() {
  std::string text = metrics_.renderHttp();
  text +=
      "# HELP civ_plugin_state 1 for the state each plugin is in.\n# TYPE civ_plugin_state gauge\n";
  for (const auto& record : plugins_)
    text += "civ_plugin_state{plugin=\"" + record.id + "\",state=\"" +
            std::string(toString(record.state)) + "\"} 1\n";
  const auto [pending, failing] = services_.events.backlog();
  text +=
      "# HELP civ_events_pending Event deliveries not yet made (outbox backlog).\n# TYPE "
      "civ_events_pending gauge\n";
  text += "civ_events_pending " + std::to_string(pending) + "\n";
  text +=
      "# HELP civ_event_delivery_failures Event deliveries whose last attempt failed.\n"
      "# TYPE civ_event_delivery_failures gauge\n";
  text += "civ_event_delivery_failures " + std::to_string(failing) + "\n";
  HttpReply reply;
  reply.content_type = "text/plain; version=0.0.4";
  reply.body = std::move(text);
  reply.metric_route = "/metrics";
  return reply;
}

namespace {

using nlohmann::json;

/// civ's objects are closed (json_schema.h); OpenAPI's default is open, so say it explicitly.
json closeObjects(json schema) {
  if (!schema.is_object()) return schema;
  if (schema.value("type", "") == "object" && !schema.contains("additionalProperties"))
    schema["additionalProperties"] = false;
  if (auto it = schema.find("properties"); it != schema.end() && it->is_object())
    for (auto& [key, value] : it->items()) value = closeObjects(value);
  if (auto it = schema.find("items"); it != schema.end()) *it = closeObjects(*it);
  return schema;
}

json problemResponses(const std::vector<int>& statuses) {
  json responses = json::object();
  for (int status : statuses)
    responses[std::to_string(status)] = {
        {"description", "problem"},
        {"content",
         {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
  return responses;
}

json pathParameter(const std::string& name, const json& schema) {
  return {{"name", name}, {"in", "path"}, {"required", true}, {"schema", schema}};
}

json queryParameter(const std::string& name, const json& schema, bool required = false) {
  return {{"name", name}, {"in", "query"}, {"required", required}, {"schema", schema}};
}

json operation(const std::string& id, const std::string& summary, const std::string& tag,
               json parameters, json success_schema, int success_status = 200) {
  json responses = problemResponses({400, 401, 403, 404});
  responses[std::to_string(success_status)] = {
      {"description", "success"},
      {"content", {{"application/json", {{"schema", std::move(success_schema)}}}}}};
  return {{"operationId", id},
          {"summary", summary},
          {"tags", {tag}},
          {"parameters", std::move(parameters)},
          {"responses", std::move(responses)}};
}

std::string operationId(const std::string& plugin, const std::string& method,
                        const std::string& path) {
  std::string id = plugin + "_" + method;
  for (char c : path) id += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '_';
  return id;
}

json parameterDocument(const sdk::RouteParameter& parameter) {
  json document = {{"name", parameter.name},
                   {"in", parameter.in == sdk::ParameterLocation::Path ? "path" : "query"},
                   {"required", parameter.in == sdk::ParameterLocation::Path || parameter.required},
                   {"schema", parameter.schema}};
  if (auto it = parameter.schema.find("description"); it != parameter.schema.end())
    document["description"] = *it;
  return document;
}

/// The OpenAPI operation of a module route, entirely from its declaration.
json moduleOperation(const RouteEntry& route) {
  const auto& declaration = route.declaration;
  std::string method(toString(declaration.method));
  std::transform(method.begin(), method.end(), method.begin(), ::tolower);
  json parameters =
      json::array({pathParameter("county", {{"type", "string"}, {"format", "county-code"}})});
  for (const auto& parameter : declaration.parameters)
    parameters.push_back(parameterDocument(parameter));
  json responses = problemResponses({400, 401, 403, 404, 409, 422, 503});
  for (const auto& answer : declaration.responses) {
    json response = {{"description", answer.description.empty() ? "success" : answer.description}};
    if (answer.status == 201)
      response["headers"] = {
          {"Location", {{"description", "the created record"}, {"schema", {{"type", "string"}}}}}};
    if (answer.status != 204) {
      json media = json::object();
      if (answer.content_type == "application/json")
        media["schema"] = closeObjects(answer.schema);
      else
        media["schema"] = {{"type", "string"}, {"format", "binary"}};
      response["content"][answer.content_type] = media;
    }
    responses[std::to_string(answer.status)] = response;
  }
  json op = {{"operationId", operationId(route.plugin_id, method, declaration.path)},
             {"summary", declaration.summary.en},
             {"x-civ-summary", {{"zh", declaration.summary.zh}, {"en", declaration.summary.en}}},
             {"tags", json::array({route.plugin_id})},
             {"parameters", parameters},
             {"responses", responses},
             {"x-civ-permission", toString(declaration.permission)}};
  if (!declaration.request_schema.is_null())
    op["requestBody"] = {
        {"required", true},
        {"content",
         {{"application/json", {{"schema", closeObjects(declaration.request_schema)}}}}}};
  if (!declaration.console.is_null()) op["x-civ-console"] = declaration.console;
  return op;
}

}  // namespace

nlohmann::json ApiDispatcher::openApi() const {
  const json county_code = {{"type", "string"}, {"pattern", "^[0-9]{6}$"}};
  const json any_object = {{"type", "object"}};
  json paths = json::object();
  for (const auto& route : services_.routes.routes()) {
    // One route's trouble never costs the others their documentation (the declaration was
    // checked when it was added; this is the last line of defence).
    try {
      const std::string path = "/api/v1/counties/{county}/" + route->plugin_id +
                               (route->declaration.path == "/" ? "" : route->declaration.path);
      std::string method(toString(route->declaration.method));
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      paths[path][method] = moduleOperation(*route);
    } catch (const std::exception& error) {
      log_->error("route {} {} of plugin {} left out of the API document: {}",
                  toString(route->declaration.method), route->declaration.path, route->plugin_id,
                  error.what());
    }
  }
  // The host's own routes, declared as completely as a module's (schema.h, list.h).
  using namespace sdk::schema;
  const json localized = object({{"zh", {{"type", "string"}}}, {"en", {{"type", "string"}}}});
  const json limit = {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 100}};
  const json cursor = {{"type", "string"}, {"pattern", "^[ko][0-9]{1,18}$"}};
  paths["/api/v1/counties/{county}/indicators"]["get"] =
      operation("civ_indicators", "Indicators of the county's modules for a period", "civ",
                {pathParameter("county", county_code), queryParameter("from", date(), true),
                 queryParameter("to", date(), true)},
                object({{"county", countyCode()},
                        {"from", date()},
                        {"to", date()},
                        {"indicators", arrayOf(object({{"module", text(40)},
                                                       {"id", text(80)},
                                                       {"name", localized},
                                                       {"unit", text(40, 0)},
                                                       {"value", integer()}}))}}));
  const json audit_entry =
      object({{"id", id()},
              {"at", timestamp()},
              {"user", text(100, 0)},
              {"role", text(40, 0)},
              {"module", text(40, 0)},
              {"action", text(200)},
              {"entity_type", text(80, 0)},
              {"entity_id", text(200, 0)},
              {"changes", describe(anyObject(), {"变更", "old and new values, masked"})},
              {"hash", text(64)},
              {"request_id", describe(text(40, 0), {"请求", "the request that made the change"})},
              {"cause", describe(text(200, 0), {"起因",
                                                "for a change made by an event handler: "
                                                "the event, its id and county"})}});
  paths["/api/v1/counties/{county}/audit"]["get"] = operation(
      "civ_audit", "The county's audit trail (auditor, admin), oldest first", "civ",
      {pathParameter("county", county_code), queryParameter("module", text(40)),
       queryParameter("entity_type", text(80)), queryParameter("entity_id", text(200)),
       queryParameter("user", text(100)),
       queryParameter("from", describe(text(40), {"起", "from this timestamp or date, inclusive"})),
       queryParameter("to", describe(text(40), {"止", "before this timestamp or date"})),
       queryParameter("limit", limit),
       queryParameter("sort", {{"type", "string"}, {"enum", {"id", "-id"}}, {"default", "id"}}),
       queryParameter("cursor", cursor)},
      page(audit_entry));
  paths["/api/v1/counties/{county}/security-events"]["get"] = operation(
      "civ_security_events", "Refused requests (401, 403) in the county, newest first (auditor)",
      "civ",
      {pathParameter("county", county_code), queryParameter("limit", limit),
       queryParameter("sort", {{"type", "string"}, {"enum", {"id", "-id"}}, {"default", "-id"}}),
       queryParameter("cursor", cursor)},
      page(object({{"id", id()},
                   {"at", timestamp()},
                   {"status", integer(401, 403)},
                   {"user", describe(text(100, 0), {"用户", "\"\" when no token authenticated"})},
                   {"token_id", nullable(id())},
                   {"method", text(10)},
                   {"path", text(2000)},
                   {"reason", text(1000, 0)}})));
  const json county_item =
      object({{"code", countyCode()}, {"name", localized}, {"modules", arrayOf(text(40))}});
  paths["/api/v1/admin/counties"]["get"] = operation(
      "civ_admin_counties", "Counties in the admin's scope with their modules", "admin",
      {queryParameter("limit", limit), queryParameter("cursor", cursor)}, page(county_item));
  const json parameter_item =
      object({{"key", text(200)},
              {"type", text(20)},
              {"unit", text(80, 0)},
              {"default", {{"type", "string"}}},
              {"description", localized},
              {"value", {{"type", "string"}}},
              {"level", text(10)},
              {"effective_from", nullable(date())},
              {"history", arrayOf(object({{"level", text(10)},
                                          {"effective_from", date()},
                                          {"value", {{"type", "string"}}},
                                          {"source", {{"type", "string"}}}}))},
              {"minimum", optional({{"type", "string"}})},
              {"maximum", optional({{"type", "string"}})},
              {"allowed", optional(arrayOf(text(80)))}});
  paths["/api/v1/admin/counties/{code}"]["get"] =
      operation("civ_admin_county", "One county with the parameters in force today", "admin",
                json::array({pathParameter("code", county_code)}),
                object({{"code", countyCode()},
                        {"name", localized},
                        {"modules", arrayOf(text(40))},
                        {"today", date()},
                        {"parameters", arrayOf(parameter_item)}}));
  paths["/api/v1/admin/parameters"]["get"] = operation(
      "civ_admin_parameters", "Declared parameters with value in force, level and history", "admin",
      {queryParameter("county", county_code, true), queryParameter("module", text(40)),
       queryParameter("limit", limit), queryParameter("cursor", cursor)},
      page(parameter_item));
  json set_parameter =
      operation("civ_admin_set_parameter", "Set a parameter at a level from a date on (audited)",
                "admin", json::array(), any_object, 201);
  set_parameter["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/json",
         {{"schema",
           {{"type", "object"},
            {"additionalProperties", false},
            {"required", {"level", "key", "value", "effective_from", "reason"}},
            {"properties",
             {{"level", {{"type", "string"}, {"pattern", "^([0-9]{2}|[0-9]{4}|[0-9]{6})$"}}},
              {"key", {{"type", "string"}}},
              {"value", {{"type", "string"}}},
              {"effective_from", {{"type", "string"}, {"format", "date"}}},
              {"reason", {{"type", "string"}}}}}}}}}}}};
  set_parameter["responses"]["409"] = problemResponses({409})["409"];
  set_parameter["responses"]["422"] = problemResponses({422})["422"];
  paths["/api/v1/admin/parameters"]["post"] = set_parameter;
  const json user_item = object({{"name", text(64)},
                                 {"full_name", text(100, 0)},
                                 {"created_at", timestamp()},
                                 {"disabled_at", nullable(timestamp())},
                                 {"active_tokens", integer(0)}});
  paths["/api/v1/admin/users"]["get"] = operation(
      "civ_admin_users", "Users (names are unique without regard to case)", "admin",
      {queryParameter("limit", limit), queryParameter("cursor", cursor)}, page(user_item));
  json add_user = operation("civ_admin_add_user", "Add a user (audited)", "admin", json::array(),
                            user_item, 201);
  add_user["requestBody"] = {
      {"required", true},
      {"content",
       {{"application/json",
         {{"schema", object({{"name", text(64)}, {"full_name", optional(text(100, 0))}})}}}}}};
  add_user["responses"]["409"] = problemResponses({409})["409"];
  paths["/api/v1/admin/users"]["post"] = add_user;
  paths["/api/v1/admin/users/{name}/disable"]["post"] =
      operation("civ_admin_disable_user", "Disable a user and revoke their tokens (audited)",
                "admin", json::array({pathParameter("name", text(64))}), user_item);
  json health = operation("civ_health", "Liveness", "civ", json::array(), any_object);
  health["security"] = json::array();
  paths["/healthz"]["get"] = health;
  json metrics = {{"operationId", "civ_metrics"},
                  {"summary", "Prometheus metrics"},
                  {"tags", {"civ"}},
                  {"security", json::array()},
                  {"responses",
                   {{"200",
                     {{"description", "metrics"},
                      {"content", {{"text/plain", {{"schema", {{"type", "string"}}}}}}}}}}}};
  paths["/metrics"]["get"] = metrics;
  const json problem_schema = {{"type", "object"},
                               {"required", {"type", "title", "status", "detail"}},
                               {"properties",
                                {{"type", {{"type", "string"}}},
                                 {"title", {{"type", "string"}}},
                                 {"status", {{"type", "integer"}}},
                                 {"detail", {{"type", "string"}}},
                                 {"instance", {{"type", "string"}}},
                                 {"errors",
                                  {{"type", "array"},
                                   {"items",
                                    {{"type", "object"},
                                     {"properties",
                                      {{"field", {{"type", "string"}}},
                                       {"rule", {{"type", "string"}}},
                                       {"message", {{"type", "string"}}}}}}}}}}}};
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "civ"},
            {"version", CIV_SDK_VERSION_STRING},
            {"description",
             "The API of a civ host: module routes under /api/v1/counties/{county}/{module}"}}},
          {"security", {{{"bearer", json::array()}}}},
          {"components",
           {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", {{"Problem", problem_schema}}}}},
          {"paths", paths}};
}

}  // namespace civ::host
