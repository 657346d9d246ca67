// The administration of users under /api/v1/admin/users: people, their console accounts (role,
// scope, initial password) and their lock-outs. An administrator acts only on users whose
// every county (tokens and account) is theirs, never on their own grant or password, and every
// change is audited with old and new values (never a password or its hash).
#pragma once

#include <nlohmann/json.hpp>

#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "host/routing/route_table.h"
#include "host/runtime/host_services.h"
#include "host/security/user_store.h"

namespace soci {
class session;
}

namespace civ::host {

class UserRoutes {
 public:
  explicit UserRoutes(HostServices& services) : services_(services) {}

  void registerIn(RouteTable& routes);

 private:
  sdk::Response list(sdk::Request& request);
  sdk::Response add(sdk::Request& request);
  sdk::Response update(sdk::Request& request);
  sdk::Response resetPassword(sdk::Request& request);
  sdk::Response unlock(sdk::Request& request);
  sdk::Response disable(sdk::Request& request);

  /// The user of the path, after checking the caller administers every county the user works
  /// in and is not the user (for `own_refused`).
  UserRecord administeredUser(sdk::Request& request, bool own_refused);
  nlohmann::json userJson(soci::session& db, const UserRecord& user) const;
  /// One audit row per county the change touches (the user's and the caller's in common).
  void audit(sdk::Request& request, const std::vector<std::string>& counties,
             const std::string& action, const std::string& user, const nlohmann::json& changes);

  HostServices& services_;
};

}  // namespace civ::host
