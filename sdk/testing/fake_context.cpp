#include <stdexcept>

#include <soci/soci.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/error.h>
#include <civ/sdk/testing/fake_context.h>

#include "host/common/timestamp.h"
#include "host/coverage/coverage_hub.h"
#include "host/events/event_hub.h"
#include "host/persons/sql_persons_registry.h"
#include "host/plugins/plugin_declarations.h"
#include "host/policy/policy_store.h"
#include "host/reports/indicator_report.h"
#include "host/routing/request_pipeline.h"
#include "host/routing/route_invoker.h"
#include "host/routing/route_table.h"
#include "host/storage/database.h"
#include "host/storage/host_schema.h"
#include "host/storage/host_storage.h"
#include "host/storage/migration_runner.h"

namespace civ::sdk::testing {

struct FakeContext::State {
  explicit State(std::string id, Date today)
      : plugin_id(std::move(id)),
        // One session: an in-memory SQLite database exists once per connection.
        database(host::DatabaseUrl{Dialect::Sqlite, ":memory:"}, 1),
        storage(database),
        audit(storage),
        clock(today),
        persons(clock, storage),
        policy_reader(policy_store, plugin_id),
        router(routes, plugin_id, nullptr),
        hub(database, storage, audit, clock),
        event_bus(hub, plugin_id, nullptr),
        coverage_directory(coverage_hub, plugin_id, nullptr),
        logger(std::make_shared<spdlog::logger>(plugin_id,
                                                std::make_shared<spdlog::sinks::null_sink_mt>())),
        counties({{"610902", {"汉滨区", "Hanbin"}, {plugin_id}, {}, ""},
                  {"350502", {"鲤城区", "Licheng"}, {plugin_id}, {}, ""}}),
        pipeline(counties, routes, database, audit, clock,
                 [this](std::string_view id) -> std::string {
                   return id == plugin_id && plugin != nullptr ? "" : "not started";
                 }) {}

  std::string plugin_id;
  host::Database database;
  host::HostStorage storage;
  host::AuditStatements audit;
  FixedClock clock;
  host::SqlPersonsRegistry persons;
  host::PolicyStore policy_store;
  host::PluginPolicyReader policy_reader;
  host::RouteTable routes;
  host::PluginRouter router;
  host::EventHub hub;
  host::PluginEventBus event_bus;
  host::CoverageHub coverage_hub;
  host::PluginCoverageDirectory coverage_directory;
  WorkingDayCalendar calendar;
  Caller caller{"tester", "clerk", {"610902", "350502"}, {}};
  std::vector<RouteDeclaration> declarations;
  std::vector<IndicatorDeclaration> declared_indicators;
  std::vector<host::IndicatorEntry> indicators;  ///< once started, as civhost lists them
  std::shared_ptr<spdlog::logger> logger;
  Plugin* plugin = nullptr;
  std::vector<host::CountyConfig> counties;
  host::RequestPipeline pipeline;
};

FakeContext::FakeContext(std::string plugin_id, Date today)
    : state_(std::make_unique<State>(std::move(plugin_id), today)) {
  host::applyHostSchema(state_->database);
}

FakeContext::~FakeContext() { stop(); }

void FakeContext::start(Plugin& plugin) {
  // As civhost: declarations read one struct at a time, every answer checked against its
  // route's declaration (a test fails on an undeclared status or a body off its schema).
  host::checkAnswersAgainstDeclarations(true);
  const auto declared = host::collectDeclarations(plugin);
  {
    soci::session session(state_->database.pool());
    host::MigrationRunner(session, Dialect::Sqlite).apply(state_->plugin_id, declared.migrations);
  }
  for (const auto& declaration : declared.parameters)
    state_->policy_store.declare(state_->plugin_id, declaration);  // throws for a bad default
  state_->declared_indicators = declared.indicators;
  for (const auto& event : declared.events) state_->hub.declare(state_->plugin_id, event);
  plugin.start(*this);
  state_->plugin = &plugin;
  // As civhost: a plugin's indicators are listed once its start() has succeeded.
  for (const auto& indicator : state_->declared_indicators)
    state_->indicators.push_back({state_->plugin_id, indicator, nullptr});
}

void FakeContext::stop() {
  if (state_->plugin != nullptr) state_->plugin->stop();
  state_->plugin = nullptr;
  state_->indicators.clear();
}

Response FakeContext::call(Method method, std::string_view path, nlohmann::json body,
                           std::string_view county) {
  return send(method, path, std::move(body), {}, {}, county);
}

Response FakeContext::upload(Method method, std::string_view path, std::string_view file_format,
                             std::string_view bytes, std::string_view county) {
  if (file_format != "csv" && file_format != "xlsx")
    throw std::invalid_argument("FakeContext::upload: the format is \"csv\" or \"xlsx\", not \"" +
                                std::string(file_format) + "\"");
  return send(method, path, nullptr, file_format, bytes, county);
}

Response FakeContext::send(Method method, std::string_view path, nlohmann::json body,
                           std::string_view file_format, std::string_view file_bytes,
                           std::string_view county) {
  const auto question = path.find('?');
  auto query = host::parseQueryString(
      question == std::string_view::npos ? std::string_view{} : path.substr(question + 1));
  if (!query)
    throw Error(400, "bad-query", "Malformed query string",
                "the query string has a malformed %-escape");
  host::PipelineRequest request;
  request.method = method;
  request.county = std::string(county);
  request.mount = state_->plugin_id;
  request.path = std::string(path.substr(0, question));
  request.query = std::move(*query);
  request.body = std::move(body);
  request.file_format = std::string(file_format);
  request.file_bytes = file_bytes;
  request.caller = state_->caller;
  host::PooledSession lease(state_->database);
  return state_->pipeline.run(std::move(request), lease.session()).response;
}

void FakeContext::configureCounty(std::string_view county, std::vector<std::string> modules) {
  for (auto& configured : state_->counties)
    if (configured.code == county) {
      configured.modules = std::move(modules);
      return;
    }
  state_->counties.push_back({std::string(county), {}, std::move(modules), {}, ""});
}

nlohmann::json FakeContext::indicators(std::string_view county, Date from, Date to) {
  const auto& configured = state_->pipeline.county(county);
  host::authorize(state_->caller, configured.code, nullptr, Permission::Read);
  return host::indicatorReport(state_->indicators, configured.modules, state_->caller,
                               IndicatorQuery{configured.code, from, to}, db());
}

std::int64_t FakeContext::indicator(std::string_view id, std::string_view county, Date from,
                                    Date to) {
  for (const auto& entry : state_->indicators) {
    if (entry.declaration.id != id) continue;
    return entry.declaration.compute(db(), IndicatorQuery{std::string(county), from, to});
  }
  throw NotFound("no indicator '" + std::string(id) + "'");
}

void FakeContext::setPolicyValue(std::string_view key, std::string_view value, Date effective_from,
                                 std::string_view level) {
  const std::string full_key = state_->plugin_id + "." + std::string(key);
  auto declaration = state_->policy_store.declaration(full_key);
  if (!declaration)
    throw std::invalid_argument("parameter '" + std::string(key) + "' is not declared");
  auto check = checkParameterValue(*declaration, value);
  if (!check.canonical) throw std::invalid_argument(std::string(key) + ": " + check.problem);
  if (auto problem = checkParameterLevel(*declaration, level))
    throw std::invalid_argument(*problem);
  state_->policy_store.addValue(
      full_key, host::PolicyValue{std::string(level), effective_from, *check.canonical, "test"});
}

void FakeContext::setToday(Date today) { state_->clock.set(FixedClock(today).now()); }
void FakeContext::setCaller(Caller caller) { state_->caller = std::move(caller); }
WorkingDayCalendar& FakeContext::mutableCalendar() { return state_->calendar; }
soci::session& FakeContext::db() { return state_->database.pool().at(0); }
const std::vector<RouteDeclaration>& FakeContext::routes() const {
  state_->declarations.clear();
  for (const auto& route : state_->routes.routes())
    state_->declarations.push_back(route->declaration);
  return state_->declarations;
}

std::string_view FakeContext::pluginId() const { return state_->plugin_id; }
Router& FakeContext::router() { return state_->router; }
Storage& FakeContext::storage() { return state_->storage; }
const PolicyReader& FakeContext::policy() const { return state_->policy_reader; }
PersonsRegistry& FakeContext::persons() { return state_->persons; }
const WorkingDayCalendar& FakeContext::calendar() const { return state_->calendar; }
const Clock& FakeContext::clock() const { return state_->clock; }
std::shared_ptr<spdlog::logger> FakeContext::logger() const { return state_->logger; }
EventBus& FakeContext::events() { return state_->event_bus; }
CoverageDirectory& FakeContext::coverage() { return state_->coverage_directory; }
// No host service has been added since 1.0 yet; civhost and the fake answer alike.
void* FakeContext::capability(std::string_view) { return nullptr; }

void FakeContext::publishAs(std::string_view publisher, const EventDeclaration& declaration,
                            std::string_view county, const nlohmann::json& payload) {
  const std::string publisher_id(publisher);
  state_->hub.declare(publisher_id, declaration);
  state_->hub.publish(db(), publisher_id, declaration.name, county, payload);
}

int FakeContext::deliverEvents() {
  int delivered = 0;
  for (int pass = 0; pass < 100; ++pass) {
    const auto result = state_->hub.deliverPending();
    delivered += result.delivered;
    if (result.delivered == 0) break;
  }
  return delivered;
}

}  // namespace civ::sdk::testing
