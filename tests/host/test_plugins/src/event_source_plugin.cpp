// Publishes event_source.pinged {"n": N} on POST /ping.
#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/router.h>

namespace civ::plugins::test {

class EventSourcePlugin : public sdk::Plugin {
 public:
  std::vector<sdk::EventDeclaration> events() const override {
    sdk::EventDeclaration pinged;
    pinged.name = "event_source.pinged";
    pinged.description = {"测试事件", "test event"};
    pinged.payload_schema = {
        {"type", "object"}, {"required", {"n"}}, {"properties", {{"n", {{"type", "integer"}}}}}};
    return {pinged};
  }
  void start(sdk::Context& context) override {
    sdk::RouteDeclaration ping;
    ping.method = sdk::Method::Post;
    ping.path = "/ping";
    ping.permission = sdk::Permission::Edit;
    ping.request_schema = {
        {"type", "object"}, {"required", {"n"}}, {"properties", {{"n", {{"type", "integer"}}}}}};
    context.router().add(ping, [&context](sdk::Request& request) {
      const auto id = context.events().publish(request.db(), "event_source.pinged",
                                               request.county(), {{"n", request.body()["n"]}});
      return sdk::Response::ok({{"event_id", id}});
    });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::EventSourcePlugin);
