// A minimal valid plugin: GET /ping answers its compiled-in id. Broken only by its manifest or
// build options (see CMakeLists.txt).
#include <civ/sdk/context.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

namespace civ::plugins::test {

class PingPlugin : public sdk::Plugin {
 public:
  void start(sdk::Context& context) override {
    context.router().add(sdk::Route::get("/ping")
                             .summary("回应", "answers its plugin id")
                             .ok(sdk::schema::object({{"plugin", sdk::schema::text(40)}})),
                         [](sdk::Request&) {
                           return sdk::Response::ok({{"plugin", CIV_PLUGIN_ID}});
                         });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::PingPlugin);
