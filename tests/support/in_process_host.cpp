#include "tests/support/in_process_host.h"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "host/plugins/plugin_loader.h"
#include "host/routing/route_invoker.h"
#include "host/security/token_store.h"
#include "host/storage/host_schema.h"

namespace civ::testing {

InProcessHost::InProcessHost(host::Config config, const std::set<std::string>& plugins)
    : database_(sdk::Dialect::Sqlite), config_(std::move(config)) {
  host::checkAnswersAgainstDeclarations(true);
  auto log = std::make_shared<spdlog::logger>("in_process_host",
                                              std::make_shared<spdlog::sinks::null_sink_mt>());
  services_ = std::make_unique<host::HostServices>(
      std::make_unique<host::Database>(database_.url(), 2), sdk::WorkingDayCalendar{});
  host::applyHostSchema(*services_->database);
  for (const auto& county : config_.counties)
    services_->coverage.setCountyModules(county.code,
                                         {county.modules.begin(), county.modules.end()});
  plugins_ = host::PluginLoader(log).load(CIV_PLUGIN_DIR, plugins);
  runtime_ = std::make_unique<host::PluginRuntime>(*services_, log);
  runtime_->declareParameters(plugins_);
  runtime_->migrate(plugins_);
  runtime_->start(plugins_);
  dispatcher_ = std::make_unique<host::ApiDispatcher>(config_, *services_, plugins_, log);
}

InProcessHost::~InProcessHost() { runtime_->stop(plugins_); }

std::string InProcessHost::token(const sdk::Caller& caller) {
  host::PooledSession lease(*services_->database);
  return host::TokenStore::issue(lease.session(), caller, "2026-11-23T10:00:00+08:00").token;
}

host::HttpReply InProcessHost::call(const std::string& bearer, const std::string& method,
                                    const std::string& target, const std::string& body,
                                    const std::string& content_type) {
  return dispatcher_->handle(host::HttpExchange{method, target, body.empty() ? "" : content_type,
                                                body, bearer.empty() ? "" : "Bearer " + bearer});
}

}  // namespace civ::testing
