// Publishing many events at once (EventBus::publishAll, SDK 1.8): the outbox rows as publish()
// writes them, in order, delivered in that order; a bad payload anywhere writes none. Both engines.
#include "host/events/event_hub.h"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <civ/sdk/clock.h>
#include <civ/sdk/sql.h>

#include "host/audit/audit_log.h"
#include "host/events/event_cause.h"
#include "host/storage/database.h"
#include "host/storage/host_schema.h"
#include "host/storage/host_storage.h"
#include "tests/support/test_database.h"

namespace civ::host {
namespace {

using nlohmann::json;

Database& withHostSchema(Database& database) {
  applyHostSchema(database);
  return database;
}

class EventHubTest : public ::testing::TestWithParam<sdk::Dialect> {
 protected:
  EventHubTest()
      : database_(test_db_.url(), 1),
        storage_(withHostSchema(database_)),
        audit_(storage_),
        clock_(*sdk::Date::fromParts(2026, 12, 2)),
        hub_(database_, storage_, audit_, clock_),
        bus_(hub_, "source", nullptr) {
    sdk::EventDeclaration changed;
    changed.name = "source.changed";
    changed.payload_schema = {
        {"type", "object"}, {"required", {"n"}}, {"properties", {{"n", {{"type", "integer"}}}}}};
    hub_.declare("source", changed);
    EventSubscription sink;
    sink.plugin_id = "sink";
    sink.subscriber = "sink.log";
    sink.event = "source.changed";
    sink.handler = [this](soci::session&, const sdk::Event& event) {
      delivered_.push_back(event.payload["n"].get<int>());
    };
    hub_.subscribe(std::move(sink));
  }

  /// The outbox as (n, published_by, caused_by, request_id) rows in id order.
  std::vector<std::string> outbox(soci::session& db) {
    std::vector<std::string> rows;
    soci::rowset<soci::row> found =
        (db.prepare << "SELECT payload, published_by, caused_by, request_id, county_code FROM"
                       " civ_outbox ORDER BY id");
    for (const auto& row : found)
      rows.push_back(sdk::sql::textAt(row, 0) + " " + sdk::sql::textAt(row, 1) + " " +
                     sdk::sql::textAt(row, 2) + " " + sdk::sql::textAt(row, 3) + " " +
                     sdk::sql::textAt(row, 4));
    return rows;
  }

  testing::TestDatabase test_db_{GetParam()};
  Database database_;
  HostStorage storage_;
  AuditStatements audit_;
  sdk::FixedClock clock_;
  EventHub hub_;
  PluginEventBus bus_;
  std::vector<int> delivered_;
};

TEST_P(EventHubTest, EventsPublishedTogetherAreWrittenAndDeliveredInTheirOrderWithTheirCause) {
  {
    PooledSession lease(database_);
    soci::session& db = lease.session();
    db << "BEGIN";
    EventCauseScope cause({"wang", "req-1"});
    bus_.publish(db, "source.changed", "610902", {{"n", 1}});
    bus_.publishAll(db, "source.changed", "610902", {{{"n", 2}}, {{"n", 3}}, {{"n", 4}}});
    bus_.publishAll(db, "source.changed", "610902", {});  // nothing, and no error
    db << "COMMIT";
    EXPECT_EQ(outbox(db), (std::vector<std::string>{
                              R"({"n":1} source wang req-1 610902)",
                              R"({"n":2} source wang req-1 610902)",
                              R"({"n":3} source wang req-1 610902)",
                              R"({"n":4} source wang req-1 610902)",
                          }));
  }
  const auto pass = hub_.deliverPending();
  EXPECT_TRUE(pass.failures.empty());
  EXPECT_EQ(delivered_, (std::vector<int>{1, 2, 3, 4}));
}

TEST_P(EventHubTest, ABadPayloadAnywhereInABatchWritesNoneOfIt) {
  PooledSession lease(database_);
  soci::session& db = lease.session();
  db << "BEGIN";
  // The bad one after more rows than the bulk writer buffers (64 a batch on SQLite, 256 KiB of
  // COPY data on PostgreSQL), so that writing before checking would have sent some.
  std::vector<json> payloads;
  for (int n = 0; n < 6000; ++n) payloads.push_back({{"n", n}});
  payloads.push_back({{"n", "two"}});
  try {
    bus_.publishAll(db, "source.changed", "610902", payloads);
    ADD_FAILURE() << "a payload off its schema was published";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("payload [6000]"), std::string::npos) << error.what();
  }
  // An event the plugin did not declare is refused the same way, even with nothing to publish.
  EXPECT_THROW(bus_.publishAll(db, "source.other", "610902", {{{"n", 1}}}), std::logic_error);
  EXPECT_THROW(bus_.publishAll(db, "source.other", "610902", {}), std::logic_error);
  // Counted inside the transaction: on PostgreSQL a COPY left open would fail this statement.
  long long rows = -1;
  db << "SELECT COUNT(*) FROM civ_outbox", soci::into(rows);
  EXPECT_EQ(rows, 0);
  db << "COMMIT";
  EXPECT_TRUE(outbox(db).empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, EventHubTest,
                         ::testing::Values(sdk::Dialect::Sqlite, sdk::Dialect::Postgresql),
                         [](const auto& info) { return testing::dialectName(info.param); });

}  // namespace
}  // namespace civ::host
