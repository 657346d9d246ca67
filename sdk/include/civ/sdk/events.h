// Domain events: published into an outbox inside the publisher's transaction, delivered after
// commit to every subscriber, each delivery in the subscriber's own transaction together with
// the record that it happened, so a subscriber's effect happens exactly once even across
// crashes and redeliveries.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/audit.h>
#include <civ/sdk/localized_text.h>

namespace soci {
class session;
}

namespace civ::sdk {

/// An event a plugin publishes (returned by Plugin::events()). Append-only.
struct EventDeclaration {
  std::uint32_t struct_size = sizeof(EventDeclaration);
  std::string name;  ///< "<plugin>.<event>" or a platform name such as "person.deceased"
  LocalizedText description;
  nlohmann::json payload_schema;  ///< JSON Schema (json_schema.h subset) of the payload
};

/// One event as a subscriber receives it.
struct Event {
  std::int64_t id = 0;  ///< outbox id: increasing, unique
  std::string name;
  std::string county;
  nlohmann::json payload;
  std::string publisher;  ///< plugin id
  std::string published_at;
  // SDK 1.1 (appended; the host builds every Event, so older plugins read only the fields above):
  std::string caused_by;   ///< the user whose request published it ("" for background work)
  std::string request_id;  ///< that request's id, as its own audit rows carry it
};

/// Handles one event inside the subscriber's transaction (`db`); throw to have it retried with
/// backoff. Called on the host's delivery thread, one event at a time per subscriber, in outbox
/// order.
using EventHandler = std::function<void(soci::session& db, const Event& event)>;

/// Host-implemented; a plugin gets its own from Context::events().
class CIV_SDK_API EventBus {
 public:
  virtual ~EventBus();
  /// Writes the event to the outbox in `db`'s transaction: it is delivered only if that
  /// transaction commits. The event must be declared by this plugin and the payload must
  /// satisfy the declared schema (std::logic_error otherwise: a bug in the plugin).
  virtual std::int64_t publish(soci::session& db, std::string_view name, std::string_view county,
                               const nlohmann::json& payload) = 0;
  /// Subscribes `handler` to `event` under `subscriber`, a name unique within the plugin that
  /// identifies its deliveries ("stop_payments"); keep it stable across releases. Call from
  /// start(). Events published before the subscription existed are delivered too.
  virtual void subscribe(std::string_view event, std::string_view subscriber,
                         EventHandler handler) = 0;

  /// SDK 1.1. Records what a handler changed, in the handler's transaction (`db`), in the audit
  /// trail of `county`: the county whose records change, which may differ from the county the
  /// event was published in (a death registered in one county ends a case in another). The row
  /// names the event, the user and the request that caused it, and this plugin. Every change a
  /// handler makes is audited like a request's, with old and new values.
  virtual void audit(soci::session& db, const Event& event, std::string_view county,
                     const AuditRecord& record) = 0;

  // ---- appended in SDK 1.8 ----
  /// SDK 1.8. publish() for many events of one name at once, for batch work (an annual
  /// re-review publishes thousands): written to the outbox in `db`'s transaction in one bulk
  /// load (COPY on PostgreSQL, not a round trip per event), delivered in the order given. Every
  /// payload is checked before any is written (std::logic_error naming its index otherwise).
  /// The outbox ids are not returned. A BulkWriter of the plugin's own must not be open on
  /// `db` meanwhile (Storage::bulkWriter).
  virtual void publishAll(soci::session& db, std::string_view name, std::string_view county,
                          const std::vector<nlohmann::json>& payloads) = 0;
};

}  // namespace civ::sdk
