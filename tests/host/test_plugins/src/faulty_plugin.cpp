// A module with bugs, for the tests that show one module's fault stays its own: a handler that
// writes and then throws (the write must be rolled back and the caller get a 500), a handler that
// throws something that is not even a std::exception, and a subscriber that always fails (its
// delivery is retried with backoff while other subscribers get the same event).
#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/plugin_entry.h>
#include <civ/sdk/router.h>

namespace civ::plugins::test {

class FaultyPlugin : public sdk::Plugin {
 public:
  std::vector<sdk::Migration> migrations() const override {
    return {{1, "writes", {"CREATE TABLE faulty_writes (n BIGINT NOT NULL)"}, {}}};
  }
  void start(sdk::Context& context) override {
    sdk::RouteDeclaration write;
    write.method = sdk::Method::Post;
    write.path = "/write-then-throw";
    write.permission = sdk::Permission::Edit;
    write.request_schema = {{"type", "object"}};
    context.router().add(write, [](sdk::Request& request) -> sdk::Response {
      request.db() << "INSERT INTO faulty_writes (n) VALUES (1)";
      throw std::runtime_error("archive quota exceeded at /srv/archive/secret-path");
    });
    sdk::RouteDeclaration anything;
    anything.path = "/throw-anything";
    context.router().add(anything, [](sdk::Request&) -> sdk::Response { throw 42; });
    context.events().subscribe("event_source.pinged", "always_fails",
                               [](soci::session&, const sdk::Event&) {
                                 throw std::runtime_error("the archive service is down");
                               });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::FaultyPlugin);
