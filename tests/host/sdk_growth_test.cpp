// SDK growth (sdk-contract section 4): a plugin compiled against the frozen SDK 1.0.0 headers
// (tests/abi/sdk-1.0) loads and serves on this host after fields were appended to the route
// declaration; and a declaration the host cannot document fails its plugin at start, by name,
// while the API document is still served for the others.
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <civ/sdk/error.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "host/config/host_config.h"
#include "host/http/api_dispatcher.h"
#include "host/plugins/plugin_declarations.h"
#include "host/plugins/plugin_loader.h"
#include "host/routing/route_invoker.h"
#include "host/routing/route_table.h"
#include "host/runtime/plugin_runtime.h"
#include "host/storage/host_schema.h"
#include "tests/support/test_database.h"

namespace civ::host {
namespace {

class SdkGrowthTest : public ::testing::Test {
 protected:
  SdkGrowthTest() : db_(sdk::Dialect::Sqlite) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log_text_);
    sink->set_pattern("%v");
    log_ = std::make_shared<spdlog::logger>("growth_test", sink);
    services_ = std::make_unique<HostServices>(std::make_unique<Database>(db_.url(), 2),
                                               sdk::WorkingDayCalendar{});
    applyHostSchema(*services_->database);
    records_ =
        PluginLoader(log_).load(CIV_TEST_PLUGIN_DIR, {"frozen", "bad_undocumentable", "good_ping"});
    runtime_ = std::make_unique<PluginRuntime>(*services_, log_);
    runtime_->declareParameters(records_);
    runtime_->migrate(records_);
    runtime_->start(records_);
  }
  ~SdkGrowthTest() override { runtime_->stop(records_); }

  const PluginRecord& record(const std::string& id) {
    for (const auto& r : records_)
      if (r.id == id) return r;
    throw std::runtime_error("no record for " + id);
  }

  sdk::Response get(const std::string& plugin, const std::string& path,
                    std::map<std::string, std::string, std::less<>> query = {}) {
    auto match = services_->routes.match(plugin, sdk::Method::Get, path);
    if (match.status != RouteMatch::Status::Found) throw std::runtime_error("no route " + path);
    Invocation invocation;
    invocation.county = "610902";
    invocation.path_params = match.params;
    invocation.query = std::move(query);
    invocation.caller = {"reader", "clerk", {"610902"}, {}};
    invocation.today = *sdk::Date::parse("2026-12-01");
    soci::session session(services_->database->pool());
    return invokeRoute(*match.route, std::move(invocation), *services_->database, session);
  }

  testing::TestDatabase db_;
  std::ostringstream log_text_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<HostServices> services_;
  std::vector<PluginRecord> records_;
  std::unique_ptr<PluginRuntime> runtime_;
};

TEST_F(SdkGrowthTest, APluginBuiltAgainstTheFrozen10HeadersServesAfterFieldsWereAppended) {
  checkAnswersAgainstDeclarations(true);
  ASSERT_EQ(record("frozen").state, PluginState::Started) << log_text_.str();
  EXPECT_NE(record("frozen").build_info.find("sdk=1.0.0"), std::string::npos)
      << record("frozen").build_info;

  const auto thing = get("frozen", "/things/7");
  EXPECT_EQ(thing.status, 200);
  EXPECT_EQ(thing.body["id"], 7);
  EXPECT_EQ(thing.body["allowance"], "120.50");  // the typed parameter's default
  // The plugin's RouteDeclaration is the 1.0 one, smaller than this host's: the host read it by
  // its struct_size and left the appended field at its default.
  EXPECT_LT(thing.body["route_declaration_size"].get<std::size_t>(), sizeof(sdk::RouteDeclaration));
  EXPECT_EQ(thing.body["route_declaration_size"].get<std::size_t>(), kRouteDeclarationSize10);
  for (const auto& route : services_->routes.routes()) {
    if (route->plugin_id == "frozen") {
      EXPECT_TRUE(route->declaration.console.is_null());
    }
  }

  // Its list follows the convention: the default page of 2, then the rest from the cursor.
  const auto first = get("frozen", "/things");
  EXPECT_EQ(first.body["items"].size(), 2u);
  EXPECT_EQ(first.body["total"], 3);
  ASSERT_TRUE(first.body["next"].is_string());
  const auto second = get("frozen", "/things", {{"cursor", first.body["next"].get<std::string>()}});
  EXPECT_EQ(second.body["items"].size(), 1u);
  EXPECT_TRUE(second.body["next"].is_null());
  // A path id that is not a row id names no record; a query parameter it does not declare is
  // refused by name.
  EXPECT_THROW(get("frozen", "/things/x1"), sdk::NotFound);
  try {
    get("frozen", "/things", {{"colour", "red"}});
    ADD_FAILURE() << "an undeclared query parameter was accepted";
  } catch (const sdk::ValidationError& error) {
    EXPECT_EQ(error.fieldErrors().at(0).field, "colour");
    EXPECT_EQ(error.status(), 400);
  }
}

TEST_F(SdkGrowthTest, ARouteTheHostCannotDocumentFailsItsPluginByNameAndTheDocumentIsStillServed) {
  const auto& refused = record("bad_undocumentable");
  EXPECT_EQ(refused.state, PluginState::Failed);
  EXPECT_NE(refused.reason.find("plugin bad_undocumentable route GET /maybe: answer 200"),
            std::string::npos)
      << refused.reason;
  EXPECT_NE(refused.reason.find("\"nullable\": true"), std::string::npos) << refused.reason;

  Config config;
  ApiDispatcher dispatcher(config, *services_, records_, log_);
  const auto document = dispatcher.openApi();
  const auto& paths = document["paths"];
  EXPECT_TRUE(paths.contains("/api/v1/counties/{county}/good_ping/ping"));
  EXPECT_TRUE(paths.contains("/api/v1/counties/{county}/frozen/things/{id}"));
  EXPECT_FALSE(paths.contains("/api/v1/counties/{county}/bad_undocumentable/maybe"));
  // The typed path id is documented as an integer, the list's parameters with their bounds.
  const auto& parameters =
      paths["/api/v1/counties/{county}/frozen/things/{id}"]["get"]["parameters"];
  EXPECT_EQ(parameters.at(1)["schema"]["type"], "integer");
  const auto& list = paths["/api/v1/counties/{county}/frozen/things"]["get"];
  EXPECT_EQ(list["parameters"].at(1)["name"], "limit");
  EXPECT_EQ(list["parameters"].at(1)["schema"]["maximum"], 10);
  EXPECT_EQ(list["responses"]["200"]["content"]["application/json"]["schema"]["required"],
            nlohmann::json::array({"items", "total", "limit", "next"}));
}

TEST(RouteDeclarationChecks, AQueryDefaultThatBreaksItsOwnSchemaIsRefusedByName) {
  RouteTable table;
  sdk::Route route = sdk::Route::get("/things")
                         .summary("事项", "Things")
                         .query("limit", {{"type", "integer"}, {"maximum", 10}, {"default", 20}})
                         .ok(sdk::schema::anyObject());
  try {
    table.add(
        "vendor", route, [](sdk::Request&) { return sdk::Response::ok({}); }, nullptr);
    ADD_FAILURE() << "accepted";
  } catch (const sdk::ValidationError& error) {
    EXPECT_NE(error.detail().find("plugin vendor route GET /things: parameter 'limit' has a "
                                  "default 20 that breaks its own schema"),
              std::string::npos)
        << error.detail();
  }
}

// SDK 1.6: a Route built in the call is handed to the host (its schemas moved, not copied); a
// named Route is copied and stays whole; a Router written before 1.6 gets it through add().
TEST(RouteDeclarationChecks, ARouteBuiltInTheCallIsHandedOverAndANamedOneIsCopied) {
  using namespace sdk::schema;
  const auto handler = [](sdk::Request&) { return sdk::Response::ok({}); };
  RouteTable table;
  PluginRouter router(table, "vendor", nullptr);
  sdk::Route named = sdk::Route::post("/named")
                         .summary("事项", "Things")
                         .body(object({{"a", text(5)}}))
                         .created(anyObject());
  router.add(named, handler);
  EXPECT_EQ(named.declaration().request_schema["properties"]["a"], text(5));
  sdk::Route handed = sdk::Route::post("/handed")
                          .summary("事项", "Things")
                          .body(object({{"b", text(6)}}))
                          .created(anyObject());
  router.add(std::move(handed), handler);
  EXPECT_TRUE(handed.declaration().request_schema.is_null());  // NOLINT: checks the move
  std::map<std::string, nlohmann::json> bodies;
  for (const auto& route : table.routes())
    bodies[route->declaration.path] = route->declaration.request_schema;
  EXPECT_EQ(bodies["/named"]["properties"]["a"], text(5));
  EXPECT_EQ(bodies["/handed"]["properties"]["b"], text(6));

  class RouterBefore16 : public sdk::Router {
   public:
    void add(const sdk::RouteDeclaration& route, sdk::RouteHandler) override {
      paths.push_back(route.path);
    }
    std::vector<std::string> paths;
  } before;
  static_cast<sdk::Router&>(before).add(
      sdk::Route::get("/old").summary("事项", "Things").ok(anyObject()), handler);
  EXPECT_EQ(before.paths, std::vector<std::string>{"/old"});
}

}  // namespace
}  // namespace civ::host
