// API tokens for machines (the bank's interface, a statistics export, a vendor's job) under
// /api/v1/admin/tokens: listed (never their values), issued (the value shown once) and revoked,
// by an administrator of every county the token opens. Audited in those counties.
#pragma once

#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "host/routing/route_table.h"
#include "host/runtime/host_services.h"

namespace civ::host {

class TokenRoutes {
 public:
  explicit TokenRoutes(HostServices& services) : services_(services) {}

  void registerIn(RouteTable& routes);

 private:
  sdk::Response list(sdk::Request& request);
  sdk::Response issue(sdk::Request& request);
  sdk::Response revoke(sdk::Request& request);

  HostServices& services_;
};

}  // namespace civ::host
