#include "host/http/api_dispatcher.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>
#include <civ/sdk/path_template.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

#include "host/common/gzip.h"
#include "host/common/timestamp.h"
#include "host/events/event_cause.h"
#include "host/http/field_glossary.h"
#include "host/http/json_body.h"
#include "host/http/problem.h"
#include "host/routing/request_pipeline.h"
#include "host/security/security_events.h"
#include "host/storage/storage_fault.h"

namespace civ::host {

namespace {

using Query = std::map<std::string, std::string, std::less<>>;

constexpr std::string_view kCountiesPrefix = "/api/v1/counties/";
constexpr std::string_view kAdminPrefix = "/api/v1/admin/";
/// When a client should retry after a storage fault (an operator frees the disk meanwhile).
constexpr int kStorageRetryAfterSeconds = 30;

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

/// Who the current request authenticated as, for the security event of a refusal, and the id
/// its answer and audit rows carry.
struct RequestIdentity {
  std::string user;
  std::optional<std::int64_t> token_id;
  std::string request_id;
  std::string refusal;  ///< why a known token was refused, for the security event
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

}  // namespace

ApiDispatcher::ApiDispatcher(const Config& config, HostServices& services,
                             const std::vector<PluginRecord>& plugins,
                             std::shared_ptr<spdlog::logger> log, bool test_clock)
    : config_(config),
      services_(services),
      plugins_(plugins),
      log_(std::move(log)),
      host_routes_(config, services, test_clock),
      user_routes_(services),
      token_routes_(services),
      assessment_routes_(config, services),
      pipeline_(config.counties, services.routes, *services.database, services.audit,
                services.clock, [this](std::string_view id) { return unavailability(id); }),
      tokens_(services.storage),
      sessions_(config, services),
      console_(config.host.http.console_dir) {
  host_routes_.registerIn(services_.routes);
  user_routes_.registerIn(services_.routes);
  token_routes_.registerIn(services_.routes);
  assessment_routes_.registerIn(services_.routes);
  SessionEndpoints::declareIn(services_.routes);
  if (!config.host.http.console_dir.empty() && !console_.available())
    log_->warn(
        "the web console is not served: {} holds no built console (cd console && npm ci "
        "&& npm run build)",
        config.host.http.console_dir);
}

ApiDispatcher::~ApiDispatcher() {
  // The host routes' handlers hold this dispatcher's HostRoutes.
  services_.routes.removePlugin(kCountyHostRoutes);
  services_.routes.removePlugin(kAdminHostRoutes);
  services_.routes.removePlugin(kSessionRoutes);
}

std::string ApiDispatcher::unavailability(std::string_view plugin_id) const {
  const auto plugin = std::find_if(plugins_.begin(), plugins_.end(),
                                   [&](const PluginRecord& r) { return r.id == plugin_id; });
  if (plugin == plugins_.end()) return "not installed";
  if (plugin->state != PluginState::Started) return std::string(toString(plugin->state));
  return "";
}

sdk::Caller ApiDispatcher::authenticate(const HttpExchange& exchange, soci::session& session) {
  constexpr std::string_view kBearer = "Bearer ";
  if (exchange.authorization.empty()) {
    // A person in the console: the session cookie (with its CSRF token on writes).
    const auto signed_in = sessions_.authenticate(exchange, session, current_identity.refusal);
    if (signed_in) {
      current_identity.user = signed_in->caller.user;
      if (signed_in->must_change_password)
        throw sdk::Error(403, "password-change-required", "Password change required",
                         "the password was set by an administrator; change it first: PUT "
                         "/api/v1/session/password");
      return signed_in->caller;
    }
  }
  if (exchange.authorization.empty())
    throw sdk::Error(401, "unauthorized", "Authentication required",
                     "send Authorization: Bearer <token>; civhost token issue creates one");
  if (!exchange.authorization.starts_with(kBearer))
    throw sdk::Error(401, "unauthorized", "Authentication required",
                     "the Authorization header must be 'Bearer <token>'");
  auto refusal = TokenAuthenticator::Refusal::None;
  auto caller = tokens_.authenticate(session, exchange.authorization.substr(kBearer.size()),
                                     &current_identity.token_id, &refusal, &current_identity.user);
  if (!caller) {
    // The answer says no more than "expired" (the holder may renew); the security event keeps
    // the token id, its user and the reason for the auditor.
    current_identity.refusal = refusal == TokenAuthenticator::Refusal::Revoked ? "token revoked"
                               : refusal == TokenAuthenticator::Refusal::UserDisabled
                                   ? "user disabled"
                               : refusal == TokenAuthenticator::Refusal::Expired ? "token expired"
                                                                                 : "";
    throw sdk::Error(401, "unauthorized", "Authentication required",
                     refusal == TokenAuthenticator::Refusal::Expired
                         ? "the token has expired; ask the administrator for a new one"
                         : "the token is unknown or revoked, or its user is disabled");
  }
  current_identity.user = caller->user;
  return *caller;
}

HttpReply ApiDispatcher::handle(const HttpExchange& exchange) {
  const auto question = exchange.target.find('?');
  const std::string path = exchange.target.substr(0, question);
  current_identity = {};
  current_identity.request_id = newRequestId();
  HttpReply reply = answer(exchange, path, question);
  if (path.starts_with("/api/")) {
    // Answers about people are not to be kept by browsers or proxies.
    reply.headers.emplace_back("Cache-Control", "no-store");
    // Every API answer, refusals too, names its request, so a clerk's report can be matched to
    // the log line and, for a change, to its audit rows.
    reply.headers.emplace_back("X-Request-Id", current_identity.request_id);
  }
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
  if (!current_identity.refusal.empty()) event.reason += " (" + current_identity.refusal + ")";
  log_->warn("refused {} {} {}: user '{}' token {} request {}: {}", event.status, event.method,
             event.path, event.user, event.token_id ? std::to_string(*event.token_id) : "-",
             current_identity.request_id, event.reason);
  std::int64_t left_out = 0;
  if (!refusal_throttle_.admit(std::chrono::steady_clock::now(), left_out)) return;  // counted
  if (left_out > 0)
    event.reason += " [" + std::to_string(left_out) +
                    " earlier refusals of a flood were not stored; see the log]";
  if (!SecurityEvents::record(*services_.database, event))
    log_->error("the security event of a refused {} {} could not be stored", event.method,
                event.path);
}

HttpReply ApiDispatcher::answer(const HttpExchange& exchange, const std::string& path,
                                std::size_t question) {
  try {
    auto query = parseQueryString(question == std::string::npos
                                      ? ""
                                      : std::string_view(exchange.target).substr(question + 1));
    if (!query)
      return problemReply(400, "bad-query", "Malformed query string",
                          "the query string has a malformed %-escape", path);
    return route(exchange, path, *query);
  } catch (const MethodNotAllowed& error) {
    HttpReply reply = problemReply(error, path);
    reply.headers.emplace_back("Allow", error.allowed());
    return reply;
  } catch (const sdk::Error& error) {
    HttpReply reply = problemReply(error, path);
    if (error.status() == 401)
      reply.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"civ\"");
    // A refused sign-in is recorded by SessionEndpoints itself, with the name tried and why.
    const bool sign_in = exchange.method == "POST" && SessionEndpoints::handles(path);
    if ((error.status() == 401 || error.status() == 403) && !sign_in)
      recordRefusal(exchange, path, error);
    return reply;
  } catch (const std::exception& error) {
    if (auto fault = storageFault(error)) {
      // The storage's failure, not the request's: say so and when to come back.
      log_->error("{} {} request {}: storage fault: {}: {}", exchange.method, path,
                  current_identity.request_id, *fault, error.what());
      // A pooled session that could not be opened is one slot's failure, met by whichever
      // request leased it (a GET as often as not): it does not mark writes failing, which only
      // a successful write clears, while the sessions already open still work.
      if (!dynamic_cast<const SessionUnavailable*>(&error))
        services_.storage_health.recordFault(*fault, isoTimestamp(services_.clock.now()));
      HttpReply reply = problemReply(503, "storage-unavailable", "Storage unavailable",
                                     "the database cannot be used now (" + *fault +
                                         "); nothing of this request was kept; try again later",
                                     path);
      reply.headers.emplace_back("Retry-After", std::to_string(kStorageRetryAfterSeconds));
      return reply;
    }
    log_->error("{} {} request {}: internal error: {}", exchange.method, path,
                current_identity.request_id, error.what());
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
    if (services_.storage_health.failing()) {
      const auto [since, reason] = services_.storage_health.fault();
      reply = jsonReply(
          503, {{"status", "failing"},
                {"storage", {{"writes", "failing"}, {"since", since}, {"reason", reason}}}});
      reply.headers.emplace_back("Retry-After", std::to_string(kStorageRetryAfterSeconds));
    }
    reply.metric_route = "/healthz";
    return reply;
  }
  if (SessionEndpoints::handles(path)) {
    HttpReply reply = sessions_.answer(exchange, path, current_identity.request_id);
    reply.metric_route = path;
    return reply;
  }
  if (!path.starts_with("/api/") && path != "/metrics") {
    // The web console's files: everything outside the API.
    if (exchange.method != "GET" && exchange.method != "HEAD")
      throw sdk::Error(405, "method-not-allowed", "Method not allowed",
                       "the console's files are read with GET");
    return console_.answer(exchange, path);
  }
  if ((path == "/api/openapi.json" || path == "/metrics") && exchange.method == "GET") {
    // Restricted by configuration to the monitoring addresses, or a caller with a token.
    const auto& allowed = config_.host.http.monitoring_addresses;
    if (!allowed.empty() &&
        std::find(allowed.begin(), allowed.end(), exchange.client_address) == allowed.end()) {
      PooledSession lease(*services_.database);
      authenticate(exchange, lease.session());
    }
  }
  if (path == "/api/openapi.json" && exchange.method == "GET") {
    const auto module = query.find("module");
    HttpReply reply = jsonReply(200, openApi(module == query.end() ? "" : module->second));
    // Close to a megabyte for all modules: compressed tenfold for the browser.
    if (exchange.accept_encoding.find("gzip") != std::string::npos) {
      reply.body = gzip(reply.body);
      reply.headers.emplace_back("Content-Encoding", "gzip");
      reply.headers.emplace_back("Vary", "Accept-Encoding");
    }
    reply.metric_route = path;
    return reply;
  }
  if (path == "/metrics" && exchange.method == "GET") return renderMetrics();
  const auto method = parseMethod(exchange.method);
  if (path.starts_with(kAdminPrefix)) {
    PooledSession lease(*services_.database);
    const sdk::Caller caller = authenticate(exchange, lease.session());
    PipelineRequest request;
    request.mount = kAdminHostRoutes;
    request.path = path.substr(kAdminPrefix.size() - 1);
    return routed(exchange, method, std::move(request), caller, query, lease.session());
  }
  if (!path.starts_with(kCountiesPrefix))
    throw sdk::NotFound("no resource at " + path +
                        "; module APIs are under /api/v1/counties/{county}/{module}/");
  const auto parts = splitPath(std::string_view(path).substr(kCountiesPrefix.size()));
  if (parts.empty() || parts[0].empty())
    throw sdk::NotFound("name a county: /api/v1/counties/{county}/{module}/...");
  // One session for the token lookup and the route: every lease is a turn in the queue.
  PooledSession lease(*services_.database);
  const sdk::Caller caller = authenticate(exchange, lease.session());
  const CountyConfig& county = pipeline_.county(parts[0]);
  if (parts.size() < 2 || parts[1].empty())
    throw sdk::NotFound("name a module: /api/v1/counties/" + county.code + "/{module}/...");
  PipelineRequest request;
  request.county = county.code;
  const std::string after_county = path.substr(kCountiesPrefix.size() + parts[0].size());
  // The host's county routes (indicators, audit, ...) take names no plugin may have.
  if (services_.routes.match(kCountyHostRoutes, method.value_or(sdk::Method::Get), after_county)
          .status != RouteMatch::Status::NoSuchPath) {
    request.mount = kCountyHostRoutes;
    request.path = after_county;
  } else {
    request.mount = parts[1];
    const std::size_t rest_start = kCountiesPrefix.size() + parts[0].size() + 1 + parts[1].size();
    request.path = path.substr(std::min(rest_start, path.size()));
    if (request.path.empty()) request.path = "/";
  }
  return routed(exchange, method, std::move(request), caller, query, lease.session());
}

HttpReply ApiDispatcher::routed(const HttpExchange& exchange, std::optional<sdk::Method> method,
                                PipelineRequest request, const sdk::Caller& caller,
                                const QueryParams& query, soci::session& session) {
  const std::string instance = exchange.target.substr(0, exchange.target.find('?'));
  if (!method)
    throw sdk::Error(
        405, "method-not-allowed", "Method not allowed",
        "method " + exchange.method + " is not used by civ; use GET, POST, PUT, PATCH or DELETE");
  request.method = *method;
  request.query = query;
  request.caller = caller;
  if (!exchange.body.empty()) request.file_format = uploadedFileFormat(exchange.content_type);
  if (request.file_format.empty())
    request.body = parseJsonBody(exchange);
  else
    request.file_bytes = exchange.body;  // the exchange outlives the request
  request.request_id = current_identity.request_id;
  const std::string mount = request.mount;
  const std::string county = request.county;
  try {
    const PipelineAnswer answer = pipeline_.run(std::move(request), session);
    services_.events.wakeIfThisThreadPublished();  // after the commit
    if (*method != sdk::Method::Get) services_.storage_health.recordSuccess();
    const sdk::Response& response = answer.response;
    HttpReply reply = jsonReply(response.status, response.body);
    if (!response.content_type.empty()) {
      reply.content_type = response.content_type;
      reply.body = response.document;
      if (!response.filename.empty())
        reply.headers.emplace_back("Content-Disposition",
                                   "attachment; filename=\"" + response.filename + "\"");
    }
    if (!isHostMount(mount)) reply.metric_module = mount;
    reply.metric_route = isHostMount(mount) ? publicPath(mount, answer.route->declaration.path)
                                            : answer.route->declaration.path;
    if (!response.location.empty())
      reply.headers.emplace_back("Location",
                                 "/api/v1/counties/" + county + "/" + mount + response.location);
    return reply;
  } catch (const sdk::Error&) {
    throw;
  } catch (const std::exception& error) {
    if (storageFault(error)) throw;  // answered 503 by answer()
    log_->error("{} {} {} request {} threw: {}",
                isHostMount(mount) ? "host route" : "plugin " + mount, exchange.method, instance,
                current_identity.request_id, error.what());
    return problemReply(
        500, "internal-error", "Internal error",
        (isHostMount(mount) ? std::string("the server") : "module '" + mount + "'") +
            " failed on this request; the error has been logged",
        instance);
  }
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

/// The OpenAPI operation of a route (a module's or the host's), entirely from its declaration.
json routeOperation(const RouteEntry& route) {
  const auto& declaration = route.declaration;
  std::string method(toString(declaration.method));
  std::transform(method.begin(), method.end(), method.begin(), ::tolower);
  json parameters = json::array();
  if (route.plugin_id != kAdminHostRoutes && route.plugin_id != kSessionRoutes)
    parameters.push_back(pathParameter("county", {{"type", "string"}, {"format", "county-code"}}));
  for (const auto& parameter : declaration.parameters) {
    parameters.push_back(parameterDocument(parameter));
    labelSharedParameter(parameters.back());
  }
  json responses = problemResponses({400, 401, 403, 404, 409, 422, 503});
  for (const auto& answer : declaration.responses) {
    json response = {{"description", answer.description.empty() ? "success" : answer.description}};
    if (answer.status == 201)
      response["headers"] = {
          {"Location", {{"description", "the created record"}, {"schema", {{"type", "string"}}}}}};
    if (answer.status != 204) {
      json media = json::object();
      if (answer.content_type == "application/json") {
        media["schema"] = closeObjects(answer.schema);
        labelSharedFields(media["schema"]);
      } else
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
  if (!declaration.request_schema.is_null()) {
    json schema = closeObjects(declaration.request_schema);
    labelSharedFields(schema);
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", std::move(schema)}}}}}};
    if (declaration.accepts_file) {
      // The file itself, as curl --data-binary sends it (Route::acceptsFile).
      op["requestBody"]["content"]["text/csv"] = {
          {"schema", {{"type", "string"}, {"description", "The CSV file (UTF-8)"}}}};
      op["requestBody"]["content"][sdk::kXlsx] = {
          {"schema",
           {{"type", "string"}, {"format", "binary"}, {"description", "The XLSX workbook"}}}};
    }
  }
  if (!declaration.console.is_null()) op["x-civ-console"] = declaration.console;
  return op;
}

}  // namespace

nlohmann::json ApiDispatcher::openApi(const std::string& module) const {
  const json any_object = {{"type", "object"}};
  json paths = json::object();
  // One source: the route table holds the modules' routes and the host's own.
  for (const auto& route : services_.routes.routes()) {
    if (!module.empty() && route->plugin_id != module) continue;
    // One route's trouble never costs the others their documentation (the declaration was
    // checked when it was added; this is the last line of defence).
    try {
      std::string method(toString(route->declaration.method));
      std::transform(method.begin(), method.end(), method.begin(), ::tolower);
      paths[publicPath(route->plugin_id, route->declaration.path)][method] = routeOperation(*route);
    } catch (const std::exception& error) {
      log_->error("route {} {} of {} left out of the API document: {}",
                  toString(route->declaration.method), route->declaration.path, route->plugin_id,
                  error.what());
    }
  }
  json health = operation("civ_health", "Liveness", "civ", json::array(), any_object);
  health["security"] = json::array();
  health["responses"]["503"] = {
      {"description", "writes are failing (a full disk, an I/O error): status, since, reason"},
      {"content", {{"application/json", {{"schema", any_object}}}}}};
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
  // Each module by its name, for the console's menus; the host's mounts too.
  json tags = json::array({{{"name", std::string(kCountyHostRoutes)},
                            {"x-civ-name", {{"zh", "县级公共"}, {"en", "County"}}}},
                           {{"name", std::string(kAdminHostRoutes)},
                            {"x-civ-name", {{"zh", "系统管理"}, {"en", "Administration"}}}},
                           {{"name", std::string(kSessionRoutes)},
                            {"x-civ-name", {{"zh", "登录"}, {"en", "Sign-in"}}}}});
  for (const auto& plugin : plugins_)
    if (plugin.manifest && plugin.state == PluginState::Started)
      tags.push_back(
          {{"name", plugin.id},
           {"description", plugin.manifest->description},
           {"x-civ-name", {{"zh", plugin.manifest->name.zh}, {"en", plugin.manifest->name.en}}}});
  return {{"openapi", "3.0.3"},
          {"tags", tags},
          {"info",
           {{"title", "civ"},
            {"version", CIV_SDK_VERSION_STRING},
            {"description",
             "The API of a civ host: module routes under /api/v1/counties/{county}/{module}"}}},
          {"security", {{{"bearer", json::array()}}, {{"session", json::array()}}}},
          {"components",
           {{"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
              {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "civ_session"}}}}},
            {"schemas", {{"Problem", problem_schema}}}}},
          {"paths", paths}};
}

}  // namespace civ::host
