// A minimal valid plugin: GET /ping answers its compiled-in id. Broken only by its manifest or
// build options (see CMakeLists.txt).
#include <civ/sdk/context.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/router.h>

namespace civ::plugins::test {

class PingPlugin : public sdk::Plugin {
 public:
  void start(sdk::Context& context) override {
    sdk::RouteDeclaration ping;
    ping.path = "/ping";
    ping.summary = "answers its plugin id";
    context.router().add(ping, [](sdk::Request&) {
      return sdk::Response::ok({{"plugin", CIV_PLUGIN_ID}});
    });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::PingPlugin);
