// Registers a route, then throws in start(): the host must drop the route and go on.
#include <stdexcept>

#include <civ/sdk/context.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

namespace civ::plugins::test {
class ThrowingPlugin : public sdk::Plugin {
 public:
  void start(sdk::Context& context) override {
    context.router().add(sdk::Route::get("/ping")
                             .summary("回应", "answers before start() throws")
                             .ok(sdk::schema::anyObject()),
                         [](sdk::Request&) {
                           return sdk::Response::ok({{"plugin", "bad"}});
                         });
    throw std::runtime_error("cannot reach the archive service");
  }
};
}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::ThrowingPlugin);
