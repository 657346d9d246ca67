// A civhost without sockets: config, services, the built plugins and the API dispatcher over a
// temporary SQLite database, for tests that call the API in process.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "host/config/host_config.h"
#include "host/http/api_dispatcher.h"
#include "host/plugins/plugin_record.h"
#include "host/runtime/host_services.h"
#include "host/runtime/plugin_runtime.h"
#include "tests/support/test_database.h"

namespace civ::testing {

class InProcessHost {
 public:
  /// Loads `plugins` from CIV_PLUGIN_DIR, migrates and starts them for `config`'s counties.
  InProcessHost(host::Config config, const std::set<std::string>& plugins);
  ~InProcessHost();

  host::HostServices& services() { return *services_; }
  host::ApiDispatcher& dispatcher() { return *dispatcher_; }
  /// Issues a token for `caller` and returns it.
  std::string token(const sdk::Caller& caller);
  /// One request as `bearer` (no Authorization header when empty).
  host::HttpReply call(const std::string& bearer, const std::string& method,
                       const std::string& target, const std::string& body = "",
                       const std::string& content_type = "application/json");

 private:
  TestDatabase database_;
  host::Config config_;
  std::unique_ptr<host::HostServices> services_;
  std::vector<host::PluginRecord> plugins_;
  std::unique_ptr<host::PluginRuntime> runtime_;
  std::unique_ptr<host::ApiDispatcher> dispatcher_;
};

}  // namespace civ::testing
