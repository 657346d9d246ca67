// The host's event service: declarations, subscriptions, the outbox, and delivery.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/clock.h>
#include <civ/sdk/events.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/storage.h>

#include "host/audit/audit_log.h"
#include "host/storage/database.h"

namespace civ::host {

struct EventSubscription {
  std::string plugin_id;
  std::string subscriber;  ///< "<plugin>.<name>": the key of its delivery records
  std::string event;
  sdk::EventHandler handler;
  std::shared_ptr<const void> library_pin;
};

/// What one delivery pass did.
struct DeliveryPass {
  int delivered = 0;
  int failed = 0;
  /// One line per failed delivery: "<subscriber> on event <id> (<name>): <error>", for the log.
  std::vector<std::string> failures;
};

/// Thread-safe. Publishing runs on request threads; deliverPending() on one delivery thread.
class EventHub {
 public:
  /// `audit` writes the handlers' audit rows; it outlives the hub.
  EventHub(Database& database, sdk::Storage& storage, AuditStatements& audit,
           const sdk::Clock& clock);

  /// std::invalid_argument when another plugin already declares the name, or the schema is bad.
  void declare(const std::string& plugin_id, const sdk::EventDeclaration& declaration);
  void subscribe(EventSubscription subscription);
  /// Drops a plugin's declarations and subscriptions (it failed or stopped).
  void removePlugin(const std::string& plugin_id);
  /// Declarations by publishing plugin.
  std::map<std::string, std::vector<sdk::EventDeclaration>> declarations() const;

  std::int64_t publish(soci::session& db, const std::string& plugin_id, std::string_view name,
                       std::string_view county, const nlohmann::json& payload);
  /// sdk::EventBus::publishAll: every payload checked, then one bulk load of the outbox rows.
  void publishAll(soci::session& db, const std::string& plugin_id, std::string_view name,
                  std::string_view county, const std::vector<nlohmann::json>& payloads);

  /// Delivers every due (event, subscriber) pair, each in its own transaction; a handler that
  /// throws is retried later with exponential backoff (1 s doubling to 5 min).
  DeliveryPass deliverPending();
  /// Pairs not yet delivered, and pairs whose last attempt failed.
  std::pair<std::int64_t, std::int64_t> backlog();

  /// Wakes the delivery thread.
  void wake();
  /// Wakes the delivery thread when the calling thread published since its last call: a
  /// request thread calls it after its commit. A pass costs one query per subscription, so
  /// waking after every write, published or not, was a quarter of a write's CPU (RESULTS.md).
  /// After a rolled-back publish the next call wakes once for nothing, which is harmless.
  void wakeIfThisThreadPublished();
  /// Waits until woken or `timeout` passes.
  void waitForWork(std::chrono::milliseconds timeout);

  const sdk::Clock& clock() const { return clock_; }
  sdk::Dialect dialect() const { return database_.dialect(); }

 private:
  /// False with `error_text` set when the handler (or recording its delivery) failed.
  bool deliver(const EventSubscription& subscription, const sdk::Event& event,
               std::string& error_text);
  /// The declaration `plugin_id` publishes `name` under; std::logic_error (a bug in the
  /// plugin) when it declared no such event.
  std::shared_ptr<const sdk::EventDeclaration> declarationOf(const std::string& plugin_id,
                                                             std::string_view name) const;
  /// What is wrong with `payload` by `declaration`'s schema ("field: message"), if anything.
  std::optional<std::string> payloadProblem(const sdk::EventDeclaration& declaration,
                                            const nlohmann::json& payload) const;

  Database& database_;
  sdk::Storage& storage_;
  AuditStatements& audit_;
  const sdk::Clock& clock_;
  /// The outbox INSERT, prepared once per pooled session: a run that publishes 14,000 events
  /// (an annual re-review) parses it once.
  sdk::KeptQuery insert_event_;
  /// A subscription's due events, run for every subscription on every pass (twice a second
  /// when idle): kept, so an idle PostgreSQL host does not prepare, run and deallocate one
  /// statement per subscription each pass.
  sdk::KeptQuery due_events_;
  mutable std::mutex mutex_;
  /// name -> (plugin, declaration); shared so publish() validates against it outside the lock
  /// without copying the schema (a JSON tree) for every event.
  std::map<std::string, std::pair<std::string, std::shared_ptr<const sdk::EventDeclaration>>>
      declarations_;
  std::vector<std::shared_ptr<const EventSubscription>> subscriptions_;
  std::condition_variable wake_;
  bool woken_ = false;
};

/// The sdk::EventBus of one plugin.
class PluginEventBus : public sdk::EventBus {
 public:
  PluginEventBus(EventHub& hub, std::string plugin_id, std::shared_ptr<const void> library_pin)
      : hub_(hub), plugin_id_(std::move(plugin_id)), library_pin_(std::move(library_pin)) {}

  // sdk::EventBus
  std::int64_t publish(soci::session& db, std::string_view name, std::string_view county,
                       const nlohmann::json& payload) override;
  void publishAll(soci::session& db, std::string_view name, std::string_view county,
                  const std::vector<nlohmann::json>& payloads) override;
  void subscribe(std::string_view event, std::string_view subscriber,
                 sdk::EventHandler handler) override;
  void audit(soci::session& db, const sdk::Event& event, std::string_view county,
             const sdk::AuditRecord& record) override;

 private:
  EventHub& hub_;
  std::string plugin_id_;
  std::shared_ptr<const void> library_pin_;
};

}  // namespace civ::host
