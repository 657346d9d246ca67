// The one way a request reaches a route, for civhost and the SDK's fake Context alike: the
// county is configured, the module enabled for it and running, the route exists, the caller's
// county, module and role cover it; then the route runs (route_invoker.h). The host's own
// endpoints (indicators, audit, security events, administration) are routes of the same table,
// mounted under two reserved ids, so there is one routing system and one OpenAPI source.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/caller.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/error.h>
#include <civ/sdk/response.h>

#include "host/audit/audit_log.h"
#include "host/config/host_config.h"
#include "host/routing/route_table.h"
#include "host/storage/database.h"

namespace soci {
class session;
}

namespace civ::host {

using QueryParams = std::map<std::string, std::string, std::less<>>;

/// The route table id of the host's county routes: /api/v1/counties/{county}/<path>.
inline constexpr std::string_view kCountyHostRoutes = "civ";
/// The route table id of the host's administration routes: /api/v1/admin/<path>.
inline constexpr std::string_view kAdminHostRoutes = "admin";

/// The route table id of the console's sign-in routes: /api/v1/session<path>
/// (session_endpoints.h).
inline constexpr std::string_view kSessionRoutes = "session";

/// Whether `id` is one of the host's mounts (no plugin may take these ids).
bool isHostMount(std::string_view id);
/// The public path template of a route: "/api/v1/counties/{county}/funeral/deaths/{id}",
/// "/api/v1/counties/{county}/audit", "/api/v1/admin/users", "/api/v1/session".
std::string publicPath(std::string_view mount, std::string_view path);

/// A query string as a map: '+' is a space, %XX escapes are decoded; nullopt on a malformed
/// escape. A later repeat of a name replaces the earlier.
std::optional<QueryParams> parseQueryString(std::string_view raw);

/// 405: the path exists with other methods (`allowed`, for the Allow header).
class MethodNotAllowed : public sdk::Error {
 public:
  MethodNotAllowed(const std::string& method, const std::string& path, std::string allowed);
  const std::string& allowed() const { return allowed_; }

 private:
  std::string allowed_;
};

/// sdk::Error 403 unless `caller` may act on `county` (and `module`, when given) with
/// `permission`: "out-of-scope" naming what the token covers, or sdk::Forbidden for the role.
void authorize(const sdk::Caller& caller, const std::string& county, const std::string* module,
               sdk::Permission permission);

struct PipelineRequest {
  sdk::Method method = sdk::Method::Get;
  std::string county;  ///< "" for the admin routes
  std::string mount;   ///< a plugin id, kCountyHostRoutes or kAdminHostRoutes
  std::string path;    ///< within the mount: "/households/7"
  QueryParams query;
  nlohmann::json body;  ///< null when the request had none
  /// "csv" or "xlsx" when the body is a file (Content-Type text/csv or XLSX), else "".
  std::string file_format;
  std::string_view file_bytes;  ///< the body as received, when file_format is set
  sdk::Caller caller;
  std::string request_id;  ///< made up when empty
};

struct PipelineAnswer {
  sdk::Response response;
  std::shared_ptr<const RouteEntry> route;
};

class RequestPipeline {
 public:
  /// Why a plugin cannot serve ("not installed", "failed"), or "" when it runs.
  using Availability = std::function<std::string(std::string_view plugin_id)>;

  RequestPipeline(const std::vector<CountyConfig>& counties, const RouteTable& routes,
                  Database& database, AuditStatements& audit, const sdk::Clock& clock,
                  Availability availability);

  /// The configured county, or sdk::Error 404 "unknown-county" listing the configured ones.
  const CountyConfig& county(std::string_view code) const;

  /// Runs the request on `session` (a lease of the database's pool). Throws sdk::Error for a
  /// refusal (404 unknown county, module not enabled or no such route; MethodNotAllowed; 503
  /// module not running; 403 out of scope or role) and whatever the route throws.
  PipelineAnswer run(PipelineRequest request, soci::session& session) const;

 private:
  const std::vector<CountyConfig>& counties_;
  const RouteTable& routes_;
  Database& database_;
  AuditStatements& audit_;
  const sdk::Clock& clock_;
  Availability availability_;
};

}  // namespace civ::host
