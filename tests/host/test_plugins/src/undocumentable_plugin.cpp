// Declares a route whose answer uses a list of types, which JSON Schema allows and OpenAPI 3.0
// cannot express: the host refuses it at start, naming the plugin, the route and the fix.
#include <civ/sdk/context.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/route_builder.h>

namespace civ::plugins::test {

class UndocumentablePlugin : public sdk::Plugin {
 public:
  void start(sdk::Context& context) override {
    context.router().add(
        sdk::Route::get("/maybe")
            .summary("可能为空", "answers a number or null")
            .ok({{"type", "object"}, {"properties", {{"value", {{"type", {"integer", "null"}}}}}}}),
        [](sdk::Request&) {
          return sdk::Response::ok({{"value", nullptr}});
        });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::UndocumentablePlugin);
