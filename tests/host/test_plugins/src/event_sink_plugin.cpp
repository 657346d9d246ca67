// Subscribes to event_source.pinged and records each delivery as a row of event_sink_effects
// (no key: a duplicate delivery would show as a second row). While the file named by
// CIV_TEST_SINK_FAIL_FILE exists, every delivery throws, as an unavailable dependency would.
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/plugin_entry.h>

namespace civ::plugins::test {

class EventSinkPlugin : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override {
    declarations.migration(
        {1,
         "effects",
         {"CREATE TABLE event_sink_effects (event_id BIGINT NOT NULL, n BIGINT NOT NULL)"},
         {}});
  }
  void start(sdk::Context& context) override {
    context.events().subscribe(
        "event_source.pinged", "effects", [](soci::session& db, const sdk::Event& event) {
          if (const char* flag = std::getenv("CIV_TEST_SINK_FAIL_FILE");
              flag != nullptr && std::filesystem::exists(flag))
            throw std::runtime_error("sink unavailable");
          const long long event_id = event.id;
          const long long n = event.payload["n"].get<long long>();
          db << "INSERT INTO event_sink_effects (event_id, n) VALUES (:event_id, :n)",
              soci::use(event_id), soci::use(n);
        });
  }
};

}  // namespace civ::plugins::test

CIV_PLUGIN(civ::plugins::test::EventSinkPlugin);
