// Publishes event_source.pinged {"n": N} on POST /ping.
#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

namespace civ::plugins::test {

class EventSourcePlugin : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override {
    sdk::EventDeclaration pinged;
    pinged.name = "event_source.pinged";
    pinged.description = {"测试事件", "test event"};
    pinged.payload_schema = {
        {"type", "object"}, {"required", {"n"}}, {"properties", {{"n", {{"type", "integer"}}}}}};
    declarations.event(pinged);
  }
  void start(sdk::Context& context) override {
    context.router().add(sdk::Route::post("/ping")
                             .summary("发布测试事件", "publishes event_source.pinged")
                             .body(sdk::schema::object({{"n", sdk::schema::integer()}}))
                             .ok(sdk::schema::object({{"event_id", sdk::schema::id()}})),
                         [&context](sdk::Request& request) {
                           const auto id = context.events().publish(
                               request.db(), "event_source.pinged", request.county(),
                               {{"n", request.body()["n"]}});
                           return sdk::Response::ok({{"event_id", id}});
                         });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::EventSourcePlugin);
