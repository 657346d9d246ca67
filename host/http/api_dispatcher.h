// Maps HTTP requests to the health check, the API document, indicators and plugin routes,
// and every error to application/problem+json.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/error.h>

#include "host/config/host_config.h"
#include "host/http/assessment_routes.h"
#include "host/http/console_files.h"
#include "host/http/host_routes.h"
#include "host/http/http_exchange.h"
#include "host/http/metrics.h"
#include "host/http/session_endpoints.h"
#include "host/http/token_routes.h"
#include "host/http/user_routes.h"
#include "host/plugins/plugin_record.h"
#include "host/routing/request_pipeline.h"
#include "host/runtime/host_services.h"
#include "host/security/security_events.h"
#include "host/security/token_authenticator.h"

namespace spdlog {
class logger;
}

namespace civ::host {

class ApiDispatcher {
 public:
  /// `test_clock` enables POST /api/v1/admin/clock (CIV_TEST_CLOCK=1).
  ApiDispatcher(const Config& config, HostServices& services,
                const std::vector<PluginRecord>& plugins, std::shared_ptr<spdlog::logger> log,
                bool test_clock = false);
  ~ApiDispatcher();
  ApiDispatcher(const ApiDispatcher&) = delete;
  ApiDispatcher& operator=(const ApiDispatcher&) = delete;

  HostRoutes& hostRoutes() { return host_routes_; }
  Metrics& metrics() { return metrics_; }

  /// Never throws: every failure becomes a problem reply.
  HttpReply handle(const HttpExchange& exchange);
  /// The OpenAPI 3.0 document of every started plugin's routes and the host's; with `module`,
  /// only that module's paths (the console loads one module at a time).
  nlohmann::json openApi(const std::string& module = "") const;

 private:
  HttpReply route(const HttpExchange& exchange, const std::string& path,
                  const std::map<std::string, std::string, std::less<>>& query);
  HttpReply renderMetrics();
  /// Runs a request through the pipeline and turns its answer into the HTTP reply.
  HttpReply routed(const HttpExchange& exchange, std::optional<sdk::Method> method,
                   PipelineRequest request, const sdk::Caller& caller, const QueryParams& query,
                   soci::session& session);
  /// Why plugin `plugin_id` cannot serve, or "" (RequestPipeline::Availability).
  std::string unavailability(std::string_view plugin_id) const;
  /// The caller behind the bearer token or the console's session cookie, looked up on
  /// `session`; throws 401 when there is none or it is not valid, 403 for a console write
  /// without its CSRF token or while the password must be changed.
  sdk::Caller authenticate(const HttpExchange& exchange, soci::session& session);
  /// The answer to `exchange`, every error turned into a problem answer.
  HttpReply answer(const HttpExchange& exchange, const std::string& path, std::size_t question);
  /// Logs a 401 or 403 and keeps it as a security event of the path's county.
  void recordRefusal(const HttpExchange& exchange, const std::string& path,
                     const sdk::Error& error);
  const Config& config_;
  HostServices& services_;
  const std::vector<PluginRecord>& plugins_;
  std::shared_ptr<spdlog::logger> log_;
  HostRoutes host_routes_;
  UserRoutes user_routes_;
  TokenRoutes token_routes_;
  AssessmentRoutes assessment_routes_;
  RequestPipeline pipeline_;
  TokenAuthenticator tokens_;
  SessionEndpoints sessions_;
  ConsoleFiles console_;
  Metrics metrics_;
  RefusalThrottle refusal_throttle_;
};

}  // namespace civ::host
