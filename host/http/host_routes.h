// The host's own API: administration (counties, policy parameters, the test clock) and the
// audit trail. Authentication and county scope are checked by the dispatcher before these run.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <civ/sdk/caller.h>

#include "host/config/host_config.h"
#include "host/http/http_exchange.h"
#include "host/plugins/plugin_record.h"
#include "host/runtime/host_services.h"

namespace civ::host {

using QueryParams = std::map<std::string, std::string, std::less<>>;

class HostRoutes {
 public:
  HostRoutes(const Config& config, HostServices& services, const std::vector<PluginRecord>& plugins,
             bool test_clock);

  /// /api/v1/admin/<rest>; the caller holds the admin role.
  HttpReply admin(const HttpExchange& exchange, const sdk::Caller& caller, const std::string& rest,
                  const QueryParams& query);
  /// GET /api/v1/counties/{county}/audit; the caller may read the audit trail of `county`.
  /// The county's audit trail; a caller scoped to some modules reads only their rows.
  HttpReply audit(const CountyConfig& county, const sdk::Caller& caller, const QueryParams& query);
  /// The county's refused requests, newest first.
  HttpReply securityEvents(const CountyConfig& county, const QueryParams& query);
  /// Re-reads the policy values set through the admin API (they may come from another host).
  std::vector<std::string> reloadPolicy();

 private:
  HttpReply counties(const sdk::Caller& caller, const QueryParams& query);
  HttpReply county(const sdk::Caller& caller, const std::string& code);
  HttpReply parameters(const sdk::Caller& caller, const QueryParams& query);
  HttpReply setParameter(const HttpExchange& exchange, const sdk::Caller& caller);
  HttpReply moveClock(const HttpExchange& exchange, const sdk::Caller& caller);
  HttpReply users(const QueryParams& query);
  HttpReply addUser(const HttpExchange& exchange, const sdk::Caller& caller);
  HttpReply disableUser(const sdk::Caller& caller, const std::string& name);
  /// One audit row per county in the admin's scope for a change of the host's own records.
  void auditHostChange(soci::session& db, const sdk::Caller& caller, const std::string& action,
                       const std::string& entity_type, const std::string& entity_id,
                       const nlohmann::json& changes);
  nlohmann::json parameterJson(const std::string& full_key, const std::string& county,
                               sdk::Date today) const;

  const Config& config_;
  HostServices& services_;
  const std::vector<PluginRecord>& plugins_;
  bool test_clock_;
};

/// Forbidden (403) unless `caller` may act on `county` (and `module`, when given) with
/// `permission`; the message names what the token covers.
void authorize(const sdk::Caller& caller, const std::string& county, const std::string* module,
               sdk::Permission permission);

}  // namespace civ::host
