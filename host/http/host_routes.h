// The host's own API, declared and routed like a module's (request_pipeline.h): under
// /api/v1/counties/{county}: the indicators of the county's modules, the audit trail and the
// security events; under /api/v1/admin: counties, policy parameters and the test clock (users:
// user_routes.h).
// The pipeline has checked the county scope and the role; handlers check the rest (a county
// named in a query or body, the module scope of the audit trail).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/caller.h>
#include <civ/sdk/date.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "host/audit/audit_log.h"
#include "host/config/host_config.h"
#include "host/policy/policy_repository.h"
#include "host/reports/indicator_workbook.h"
#include "host/routing/request_pipeline.h"
#include "host/runtime/host_services.h"

namespace soci {
class session;
}

namespace civ::host {

class HostRoutes {
 public:
  /// `test_clock` adds POST /api/v1/admin/clock (CIV_TEST_CLOCK=1).
  HostRoutes(const Config& config, HostServices& services, bool test_clock);

  /// Adds every host route to `routes` (once per process).
  void registerIn(RouteTable& routes);
  /// Re-reads the policy values set through the admin API (they may come from another host).
  std::vector<std::string> reloadPolicy();

 private:
  sdk::Response indicators(sdk::Request& request);
  sdk::Response indicatorsWorkbook(sdk::Request& request);
  sdk::Response indicatorsCsv(sdk::Request& request);
  /// The heading of the indicators' files: the county, the report's period, who and when.
  WorkbookHeading reportHeading(sdk::Request& request, const nlohmann::json& report) const;
  /// GET /api/v1/admin/indicators: the prefecture or province view.
  sdk::Response regionIndicators(sdk::Request& request);
  sdk::Response audit(sdk::Request& request);
  sdk::Response history(sdk::Request& request);
  sdk::Response verifyAudit(sdk::Request& request);
  /// A page of the county's audit rows matching `query`, within the caller's module scope.
  sdk::Response auditPage(sdk::Request& request, AuditQuery query);
  sdk::Response securityEvents(sdk::Request& request);
  sdk::Response counties(sdk::Request& request);
  sdk::Response county(sdk::Request& request);
  sdk::Response parameters(sdk::Request& request);
  sdk::Response setParameter(sdk::Request& request);
  sdk::Response countyParameters(sdk::Request& request);
  sdk::Response parameterChanges(sdk::Request& request);
  sdk::Response proposeParameterChange(sdk::Request& request);
  sdk::Response confirmParameterChange(sdk::Request& request);
  sdk::Response moveClock(sdk::Request& request);

  /// The configured counties under a policy level, each authorised for the caller (403 when one
  /// is not theirs); 422 on `level` when none.
  std::vector<std::string> countiesUnderLevel(const sdk::Caller& caller,
                                              const std::string& level) const;
  /// Withdraws (and for a replacement re-sets) a future API value, audits it in every county
  /// it affects and reloads the policy. 409 when the value has taken effect or is gone.
  void applyParameterChange(sdk::Request& request, const PolicyRepository::Change& change);
  /// The configured county `code`, or 404 "unknown-county".
  const CountyConfig& configuredCounty(const std::string& code) const;
  /// One audit row per county in the admin's scope for a change of the host's own records.
  void auditHostChange(soci::session& db, const sdk::Caller& caller, const std::string& action,
                       const std::string& entity_type, const std::string& entity_id,
                       const nlohmann::json& changes);
  nlohmann::json parameterJson(const std::string& full_key, const std::string& county,
                               sdk::Date today) const;

  const Config& config_;
  HostServices& services_;
  bool test_clock_;
};

}  // namespace civ::host
