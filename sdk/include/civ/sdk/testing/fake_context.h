// A Context for unit-testing a plugin without a host. Not a mock: it runs the host's own
// storage, migrations, persons registry and policy resolution over a private in-memory SQLite
// database, and routes calls the way the host does (path templates, body schema, one
// transaction per mutating call, rolled back when the handler throws).
//
//   civ::sdk::testing::FakeContext context("example");
//   ExamplePlugin plugin;
//   context.start(plugin);
//   auto created = context.call(Method::Post, "/notes", {{"text", "hello"}});
//   EXPECT_EQ(created.status, 201);
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/calendar.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/clock.h>
#include <civ/sdk/context.h>
#include <civ/sdk/coverage.h>
#include <civ/sdk/events.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/response.h>
#include <civ/sdk/router.h>

namespace soci {
class session;
}

namespace civ::sdk::testing {

class CIV_SDK_TESTING_API FakeContext : public Context {
 public:
  /// `plugin_id` plays the manifest id; `today` sets the fixed clock.
  explicit FakeContext(std::string plugin_id, Date today = *Date::fromParts(2026, 3, 2));
  /// Stops the started plugin: declare the plugin before its FakeContext (in a fixture, the
  /// member above it) so that the plugin is still alive when this destructor calls its stop().
  /// The database closes next, before the plugin is destroyed: a plugin releases what it holds
  /// on the database (kept_query.h) in stop().
  ~FakeContext() override;

  /// Applies the plugin's migrations, records its parameter declarations, then start().
  void start(Plugin& plugin);
  /// Calls the plugin's stop().
  void stop();

  /// Calls a route through civhost's own request pipeline, for `county`, as the caller set by
  /// setCaller() (default: user "tester", role "clerk", both configured counties): the county
  /// must be configured (404 "unknown-county") with the module enabled (404
  /// "module-not-enabled"), the route must exist (404 "no-such-route"; 405 for another method),
  /// the caller's counties, modules and role must cover it (403 "out-of-scope" or
  /// sdk::Forbidden); query and body are checked against the route's declaration (400 naming
  /// the field). Refusals and the handler's errors are thrown as civ::sdk::Error (after the
  /// rollback) with the status, type and detail civhost would answer. Mutating calls write
  /// audit rows to civ_audit as civhost does. Query parameters go in `path`
  /// ("/notes?limit=5&cursor=k12"); every answer is checked against the route's declared
  /// answers (a mismatch is std::logic_error). Events published are delivered only by
  /// deliverEvents(), after the call's commit, as civhost's delivery thread would.
  Response call(Method method, std::string_view path, nlohmann::json body = nullptr,
                std::string_view county = "610902");
  /// As call(), with the body a file sent as civhost receives `Content-Type: text/csv` ("csv")
  /// or the XLSX type ("xlsx") on a route declared with Route::acceptsFile() (SDK 1.5).
  Response upload(Method method, std::string_view path, std::string_view file_format,
                  std::string_view bytes, std::string_view county = "610902");
  /// The configured counties are 610902 and 350502, each with this plugin enabled. Sets the
  /// modules enabled for `county` (adding the county when new): e.g. {} to see the refusal of a
  /// county that has not enabled the module.
  void configureCounty(std::string_view county, std::vector<std::string> modules);
  /// Delivers every pending event to the subscribers registered through events(), as the
  /// host's delivery thread would; returns how many deliveries succeeded.
  int deliverEvents();
  /// Publishes an event as another plugin would (declaring it for `publisher` first), so a
  /// subscriber can be tested without the publishing module: e.g. "person.deceased" as funeral.
  void publishAs(std::string_view publisher, const EventDeclaration& declaration,
                 std::string_view county, const nlohmann::json& payload);
  /// Computes a declared indicator for a county and period (its county-wide value).
  std::int64_t indicator(std::string_view id, std::string_view county, Date from, Date to);
  /// The indicators list civhost answers at GET /api/v1/counties/{county}/indicators for the
  /// current caller: unit, measure, value and the breakdown by township, within the caller's
  /// module and township scope.
  nlohmann::json indicators(std::string_view county, Date from, Date to);

  /// Adds a policy value at a level ("61", "6109", "610902"); checked against the declaration
  /// (std::invalid_argument naming the problem).
  void setPolicyValue(std::string_view key, std::string_view value, Date effective_from,
                      std::string_view level = "610902");
  void setToday(Date today);
  void setCaller(Caller caller);
  WorkingDayCalendar& mutableCalendar();
  /// The test's session on the private database (outside any call's transaction).
  soci::session& db();
  const std::vector<RouteDeclaration>& routes() const;

  // Context
  std::string_view pluginId() const override;
  Router& router() override;
  Storage& storage() override;
  const PolicyReader& policy() const override;
  PersonsRegistry& persons() override;
  const WorkingDayCalendar& calendar() const override;
  const Clock& clock() const override;
  std::shared_ptr<spdlog::logger> logger() const override;
  EventBus& events() override;
  CoverageDirectory& coverage() override;
  void* capability(std::string_view interface_id) override;

 private:
  Response send(Method method, std::string_view path, nlohmann::json body,
                std::string_view file_format, std::string_view file_bytes, std::string_view county);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace civ::sdk::testing
