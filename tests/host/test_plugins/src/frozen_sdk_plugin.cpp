// A module compiled against the SDK 1.0.0 headers as they were frozen (tests/abi/sdk-1.0), which
// the current host (a later minor, with fields appended to RouteDeclaration) must still load and
// serve: declarations read by struct_size, the typed parameter, a list and a typed path id.
#include <soci/soci.h>

#include <civ/sdk/abi.h>
#include <civ/sdk/context.h>
#include <civ/sdk/declarations.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/policy.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

static_assert(CIV_SDK_ABI_MINOR == 0,
              "this plugin must be compiled against the frozen 1.0 headers");

namespace civ::plugins::test {

namespace {
constexpr sdk::Parameter<sdk::ParameterType::Money> kGreeting{
    "allowance", "yuan/month", "120.50", {"测试补贴", "A test allowance"}, "0.00", "1000.00"};
const sdk::ListSpec kThings{{}, "id", 2, 10};
}  // namespace

class FrozenPlugin : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override {
    declarations.migration({1,
                            "three things",
                            {"CREATE TABLE frozen_things (id {{ID_PRIMARY_KEY}}, county_code TEXT)",
                             "INSERT INTO frozen_things (county_code) VALUES ('610902')",
                             "INSERT INTO frozen_things (county_code) VALUES ('610902')",
                             "INSERT INTO frozen_things (county_code) VALUES ('610902')"},
                            {}});
    declarations.parameter(kGreeting);
    sdk::EventDeclaration event;
    event.name = "frozen.touched";
    event.description = {"测试事件", "test event"};
    event.payload_schema = sdk::schema::object({{"n", sdk::schema::integer()}});
    declarations.event(event);
  }
  void start(sdk::Context& context) override {
    using namespace sdk::schema;
    context.router().add(
        sdk::Route::get("/things/{id}")
            .pathId("id")
            .summary("事项", "One thing, with the allowance in force")
            .ok(object(
                {{"id", id()}, {"allowance", money()}, {"route_declaration_size", integer(1)}})),
        [&context](sdk::Request& request) {
          const sdk::Money allowance =
              context.policy().get(kGreeting, request.county(), request.today());
          return sdk::Response::ok({{"id", request.pathId("id")},
                                    {"allowance", allowance.toString()},
                                    {"route_declaration_size", sizeof(sdk::RouteDeclaration)}});
        });
    context.router().add(sdk::Route::get("/things")
                             .summary("事项列表", "Three things, paged")
                             .list(object({{"id", id()}}), kThings),
                         [](sdk::Request& request) {
                           const auto page = sdk::ListRequest::from(request, kThings);
                           long long total = 0;
                           request.db() << "SELECT COUNT(*) FROM frozen_things", soci::into(total);
                           soci::rowset<long long> rows =
                               (request.db().prepare << "SELECT id FROM frozen_things WHERE " +
                                                            page.keysetCondition("id") +
                                                            page.orderAndLimit({{"id", "id"}}));
                           nlohmann::json items = nlohmann::json::array();
                           std::vector<std::int64_t> ids;
                           for (long long id : rows) {
                             items.push_back({{"id", id}});
                             ids.push_back(id);
                           }
                           return sdk::Response::ok(page.answer(items, total, ids));
                         });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::FrozenPlugin);
