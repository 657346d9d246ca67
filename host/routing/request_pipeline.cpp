#include "host/routing/request_pipeline.h"

#include <algorithm>

#include <civ/sdk/path_template.h>

#include "host/common/timestamp.h"
#include "host/events/event_cause.h"
#include "host/routing/route_invoker.h"

namespace civ::host {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string joinNames(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

}  // namespace

bool isHostMount(std::string_view id) {
  return id == kCountyHostRoutes || id == kAdminHostRoutes || id == kSessionRoutes;
}

std::string publicPath(std::string_view mount, std::string_view path) {
  const std::string tail = path == "/" ? "" : std::string(path);
  if (mount == kAdminHostRoutes) return "/api/v1/admin" + tail;
  if (mount == kSessionRoutes) return "/api/v1/session" + tail;
  if (mount == kCountyHostRoutes) return "/api/v1/counties/{county}" + tail;
  return "/api/v1/counties/{county}/" + std::string(mount) + tail;
}

std::optional<QueryParams> parseQueryString(std::string_view raw) {
  QueryParams query;
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

MethodNotAllowed::MethodNotAllowed(const std::string& method, const std::string& path,
                                   std::string allowed)
    : sdk::Error(405, "method-not-allowed", "Method not allowed",
                 method + " is not allowed on " + path + "; allowed: " + allowed),
      allowed_(std::move(allowed)) {}

void authorize(const sdk::Caller& caller, const std::string& county, const std::string* module,
               sdk::Permission permission) {
  if (!contains(caller.counties, county))
    throw sdk::Error(403, "out-of-scope", "Out of scope",
                     "the token of " + caller.user + " covers counties " +
                         joinNames(caller.counties) + ", not " + county);
  if (module != nullptr && !caller.modules.empty() && !contains(caller.modules, *module))
    throw sdk::Error(403, "out-of-scope", "Out of scope",
                     "the token of " + caller.user + " covers modules " +
                         joinNames(caller.modules) + ", not " + *module);
  if (!sdk::roleGrants(caller.role, permission))
    throw sdk::Forbidden("role " + caller.role + " may not " + std::string(toString(permission)) +
                         " here");
}

RequestPipeline::RequestPipeline(const std::vector<CountyConfig>& counties,
                                 const RouteTable& routes, Database& database,
                                 AuditStatements& audit, const sdk::Clock& clock,
                                 Availability availability)
    : counties_(counties),
      routes_(routes),
      database_(database),
      audit_(audit),
      clock_(clock),
      availability_(std::move(availability)) {}

const CountyConfig& RequestPipeline::county(std::string_view code) const {
  for (const auto& county : counties_)
    if (county.code == code) return county;
  std::vector<std::string> codes;
  for (const auto& county : counties_) codes.push_back(county.code);
  throw sdk::Error(404, "unknown-county", "Unknown county",
                   "county '" + std::string(code) +
                       "' is not configured on this server; configured: " + joinNames(codes));
}

PipelineAnswer RequestPipeline::run(PipelineRequest request, soci::session& session) const {
  const bool admin = request.mount == kAdminHostRoutes;
  const bool host_county = request.mount == kCountyHostRoutes;
  if (!admin) {
    const CountyConfig& county = this->county(request.county);
    if (!host_county) {
      if (!contains(county.modules, request.mount))
        throw sdk::Error(404, "module-not-enabled", "Module not enabled",
                         "module '" + request.mount + "' is not enabled for county " + county.code +
                             " (" + county.name.zh + "); enabled: " + joinNames(county.modules));
      if (const std::string why = availability_(request.mount); !why.empty())
        throw sdk::Error(503, "module-unavailable", "Module unavailable",
                         "module '" + request.mount + "' is enabled for county " + county.code +
                             " but is not running on this server (" + why +
                             "); see civhost plugins");
    }
  }
  auto match = routes_.match(request.mount, request.method, request.path);
  if (match.status == RouteMatch::Status::NoSuchPath) {
    if (admin || host_county)
      throw sdk::Error(
          404, "no-such-route", "No such route",
          "no resource at " + publicPath(request.mount, request.path) + "; see /api/openapi.json");
    throw sdk::Error(
        404, "no-such-route", "No such route",
        "module '" + request.mount + "' has no route " + request.path + "; see /api/openapi.json");
  }
  if (match.status == RouteMatch::Status::MethodNotAllowed) {
    std::string allowed;
    for (auto method : match.allowed)
      allowed += (allowed.empty() ? "" : ", ") + std::string(toString(method));
    throw MethodNotAllowed(std::string(toString(request.method)), request.path, allowed);
  }
  const auto permission = match.route->declaration.permission;
  if (admin) {
    // The county an admin route touches is named in its body or query: the handler checks it.
    if (!sdk::roleGrants(request.caller.role, permission))
      throw sdk::Forbidden("role " + request.caller.role + " may not " +
                           std::string(toString(permission)) + " here");
  } else {
    authorize(request.caller, request.county, host_county ? nullptr : &request.mount, permission);
  }
  Invocation invocation;
  invocation.method = request.method;
  invocation.county = std::move(request.county);
  invocation.path_params = std::move(match.params);
  invocation.query = std::move(request.query);
  invocation.body = std::move(request.body);
  invocation.file_format = std::move(request.file_format);
  invocation.file_bytes = request.file_bytes;
  invocation.caller = std::move(request.caller);
  invocation.today = clock_.today();
  invocation.timestamp = isoTimestamp(clock_.now());
  invocation.request_id =
      request.request_id.empty() ? newRequestId() : std::move(request.request_id);
  PipelineAnswer answer;
  answer.route = match.route;
  answer.response = invokeRoute(*match.route, std::move(invocation), database_, session, &audit_);
  return answer;
}

}  // namespace civ::host
