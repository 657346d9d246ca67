// A module with bugs, for the tests that show one module's fault stays its own: a handler that
// writes and then throws (the write must be rolled back and the caller get a 500), a handler that
// throws something that is not even a std::exception, and a subscriber that always fails (its
// delivery is retried with backoff while other subscribers get the same event).
#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

namespace civ::plugins::test {

class FaultyPlugin : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override {
    declarations.migration({1, "writes", {"CREATE TABLE faulty_writes (n BIGINT NOT NULL)"}, {}});
  }
  void start(sdk::Context& context) override {
    context.router().add(
        sdk::Route::post("/write-then-throw")
            .summary("写后抛错", "writes, then throws")
            .body({{"type", "object"}})
            .ok(sdk::schema::anyObject()),
        [](sdk::Request& request) -> sdk::Response {
          request.db() << "INSERT INTO faulty_writes (n) VALUES (1)";
          throw std::runtime_error("archive quota exceeded at /srv/archive/secret-path");
        });
    context.router().add(sdk::Route::get("/throw-anything")
                             .summary("抛出非标准异常", "throws a non-standard exception")
                             .ok(sdk::schema::anyObject()),
                         [](sdk::Request&) -> sdk::Response { throw 42; });
    context.events().subscribe("event_source.pinged", "always_fails",
                               [](soci::session&, const sdk::Event&) {
                                 throw std::runtime_error("the archive service is down");
                               });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::FaultyPlugin);
