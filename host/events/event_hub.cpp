#include "host/events/event_hub.h"

#include <algorithm>
#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/sql.h>

#include "host/audit/audit_log.h"
#include "host/common/timestamp.h"
#include "host/events/event_cause.h"
#include "host/storage/transaction.h"

namespace civ::host {

namespace {
constexpr int kBatch = 200;
constexpr int kMaxBackoffSeconds = 300;
}  // namespace

void EventHub::declare(const std::string& plugin_id, const sdk::EventDeclaration& declaration) {
  const auto problems = sdk::checkSchema(declaration.payload_schema);
  if (!problems.empty())
    throw std::invalid_argument("event " + declaration.name +
                                ": payload schema: " + problems.front());
  if (declaration.name.empty()) throw std::invalid_argument("an event declaration has no name");
  std::lock_guard lock(mutex_);
  auto it = declarations_.find(declaration.name);
  if (it != declarations_.end() && it->second.first != plugin_id)
    throw std::invalid_argument("event " + declaration.name + " is already declared by " +
                                it->second.first);
  declarations_[declaration.name] = {plugin_id,
                                     std::make_shared<const sdk::EventDeclaration>(declaration)};
}

void EventHub::subscribe(EventSubscription subscription) {
  std::lock_guard lock(mutex_);
  for (const auto& existing : subscriptions_)
    if (existing->subscriber == subscription.subscriber && existing->event == subscription.event)
      throw std::invalid_argument("subscriber " + subscription.subscriber +
                                  " already subscribes to " + subscription.event);
  subscriptions_.push_back(std::make_shared<const EventSubscription>(std::move(subscription)));
}

void EventHub::removePlugin(const std::string& plugin_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(subscriptions_, [&](const auto& s) { return s->plugin_id == plugin_id; });
  std::erase_if(declarations_, [&](const auto& entry) { return entry.second.first == plugin_id; });
}

std::map<std::string, std::vector<sdk::EventDeclaration>> EventHub::declarations() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::vector<sdk::EventDeclaration>> by_plugin;
  for (const auto& [name, entry] : declarations_) by_plugin[entry.first].push_back(*entry.second);
  return by_plugin;
}

namespace {
thread_local bool this_thread_published = false;
/// The audit rows a handler recorded during the delivery running on this thread: appended after
/// the handler returns, as a request's are, so the chain's lock is held only at the end of the
/// transaction (taking it first and row locks after would deadlock against requests).
thread_local std::vector<AuditEntry>* pending_handler_audit = nullptr;
}  // namespace

EventHub::EventHub(Database& database, sdk::Storage& storage, AuditStatements& audit,
                   const sdk::Clock& clock)
    : database_(database),
      storage_(storage),
      audit_(audit),
      clock_(clock),
      insert_event_(storage,
                    "INSERT INTO civ_outbox (name, county_code, payload, published_by,"
                    " published_at, caused_by, request_id) VALUES (:name, :county, :payload,"
                    " :plugin, :at, :caused_by, :request_id) RETURNING id"),
      due_events_(storage,
                  "SELECT o.id, o.name, o.county_code, o.payload, o.published_by, o.published_at,"
                  " o.caused_by, o.request_id FROM civ_outbox o"
                  " WHERE o.name = :event"
                  " AND NOT EXISTS (SELECT 1 FROM civ_deliveries d WHERE d.event_id = o.id AND "
                  "d.subscriber = :sub)"
                  " AND NOT EXISTS (SELECT 1 FROM civ_delivery_failures f WHERE f.event_id = o.id"
                  "   AND f.subscriber = :sub2 AND f.next_attempt_at > :now)"
                  " ORDER BY o.id LIMIT " +
                      std::to_string(kBatch)) {}

std::shared_ptr<const sdk::EventDeclaration> EventHub::declarationOf(const std::string& plugin_id,
                                                                     std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = declarations_.find(std::string(name));
  if (it == declarations_.end() || it->second.first != plugin_id)
    throw std::logic_error("plugin " + plugin_id + " publishes event " + std::string(name) +
                           " without declaring it in events()");
  return it->second.second;
}

std::optional<std::string> EventHub::payloadProblem(const sdk::EventDeclaration& declaration,
                                                    const nlohmann::json& payload) const {
  const auto errors = sdk::validateJson(declaration.payload_schema, payload, clock_.today());
  if (errors.empty()) return std::nullopt;
  return errors.front().field + ": " + errors.front().message;
}

std::int64_t EventHub::publish(soci::session& db, const std::string& plugin_id,
                               std::string_view name, std::string_view county,
                               const nlohmann::json& payload) {
  if (auto problem = payloadProblem(*declarationOf(plugin_id, name), payload))
    throw std::logic_error("event " + std::string(name) + " payload: " + *problem);
  const std::string name_text(name);
  const std::string county_text(county);
  const std::string payload_text = payload.dump();
  const std::string now = isoTimestamp(clock_.now());
  const EventCause* cause = EventCauseScope::current();
  const std::string caused_by = cause != nullptr ? cause->user : "";
  const std::string request_id = cause != nullptr ? cause->request_id : "";
  std::int64_t id = 0;
  insert_event_.forEach(
      db, {name_text, county_text, payload_text, plugin_id, now, caused_by, request_id},
      [&](const soci::row& row) { id = sdk::sql::int64At(row, 0); });
  this_thread_published = true;
  return id;
}

void EventHub::publishAll(soci::session& db, const std::string& plugin_id, std::string_view name,
                          std::string_view county, const std::vector<nlohmann::json>& payloads) {
  // All checked and written out first (dump() throws on text that is not UTF-8), so a bad one
  // leaves nothing half-written in the caller's transaction: on PostgreSQL an abandoned COPY
  // would abort it.
  const auto declaration = declarationOf(plugin_id, name);
  std::vector<std::string> texts;
  texts.reserve(payloads.size());
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    if (auto problem = payloadProblem(*declaration, payloads[i]))
      throw std::logic_error("event " + std::string(name) + " payload [" + std::to_string(i) +
                             "]: " + *problem);
    texts.push_back(payloads[i].dump());
  }
  if (payloads.empty()) return;
  const std::string name_text(name);
  const std::string county_text(county);
  const std::string now = isoTimestamp(clock_.now());
  const EventCause* cause = EventCauseScope::current();
  const std::string caused_by = cause != nullptr ? cause->user : "";
  const std::string request_id = cause != nullptr ? cause->request_id : "";
  // The columns of insert_event_, in its order; the engine numbers the rows in this order.
  auto outbox = storage_.bulkWriter(db, "civ_outbox",
                                    {"name", "county_code", "payload", "published_by",
                                     "published_at", "caused_by", "request_id"});
  for (auto& text : texts)
    outbox->add({name_text, county_text, std::move(text), plugin_id, now, caused_by, request_id});
  outbox->finish();
  this_thread_published = true;
}

bool EventHub::deliver(const EventSubscription& subscription, const sdk::Event& event,
                       std::string& error_text) {
  const std::string now = isoTimestamp(clock_.now());
  const long long event_id = event.id;
  PooledSession lease(database_);
  soci::session& db = lease.session();
  try {
    Transaction transaction(database_, db);
    // The record first: a second host delivering the same pair fails here and rolls back.
    db << "INSERT INTO civ_deliveries (event_id, subscriber, delivered_at) VALUES (:id, "
          ":subscriber, :at)",
        soci::use(event_id), soci::use(subscription.subscriber), soci::use(now);
    std::vector<AuditEntry> audit;
    pending_handler_audit = &audit;
    try {
      // Events the handler publishes in turn carry the same cause.
      EventCauseScope cause({event.caused_by, event.request_id});
      subscription.handler(db, event);
    } catch (...) {
      pending_handler_audit = nullptr;
      throw;
    }
    pending_handler_audit = nullptr;
    AuditLog::appendAll(db, audit_, std::move(audit));
    db << "DELETE FROM civ_delivery_failures WHERE event_id = :id AND subscriber = :subscriber",
        soci::use(event_id), soci::use(subscription.subscriber);
    transaction.commit();
    return true;
  } catch (const std::exception& error) {
    error_text = error.what();
  } catch (...) {
    error_text = "non-standard exception";
  }
  // Record the failure and when to try again, in a transaction of its own.
  try {
    Transaction transaction(database_, db);
    int attempts = 0;
    db << "SELECT attempts FROM civ_delivery_failures WHERE event_id = :id AND subscriber = "
          ":subscriber",
        soci::into(attempts), soci::use(event_id), soci::use(subscription.subscriber);
    if (!db.got_data()) attempts = 0;
    ++attempts;
    const int delay = std::min(kMaxBackoffSeconds, 1 << std::min(attempts - 1, 16));
    const std::string next = isoTimestamp(clock_.now() + std::chrono::seconds(delay));
    if (attempts == 1) {
      db << "INSERT INTO civ_delivery_failures (event_id, subscriber, attempts, last_error, "
            "next_attempt_at)"
            " VALUES (:id, :subscriber, :attempts, :error, :next)",
          soci::use(event_id), soci::use(subscription.subscriber), soci::use(attempts),
          soci::use(error_text), soci::use(next);
    } else {
      db << "UPDATE civ_delivery_failures SET attempts = :attempts, last_error = :error, "
            "next_attempt_at = :next"
            " WHERE event_id = :id AND subscriber = :subscriber",
          soci::use(attempts), soci::use(error_text), soci::use(next), soci::use(event_id),
          soci::use(subscription.subscriber);
    }
    transaction.commit();
  } catch (const std::exception&) {
    // Another host recorded it first; the next pass sees its record.
  }
  return false;
}

DeliveryPass EventHub::deliverPending() {
  DeliveryPass pass;
  std::vector<std::shared_ptr<const EventSubscription>> subscriptions;
  {
    std::lock_guard lock(mutex_);
    subscriptions = subscriptions_;
  }
  for (const auto& subscription : subscriptions) {
    std::vector<sdk::Event> due;
    {
      PooledSession lease(database_);
      const std::string now = isoTimestamp(clock_.now());
      due_events_.forEach(
          lease.session(),
          {subscription->event, subscription->subscriber, subscription->subscriber, now},
          [&](const soci::row& row) {
            sdk::Event event;
            event.id = sdk::sql::int64At(row, 0);
            event.name = sdk::sql::textAt(row, 1);
            event.county = sdk::sql::textAt(row, 2);
            event.payload = nlohmann::json::parse(sdk::sql::textAt(row, 3), nullptr, false);
            event.publisher = sdk::sql::textAt(row, 4);
            event.published_at = sdk::sql::textAt(row, 5);
            event.caused_by = sdk::sql::textAt(row, 6);
            event.request_id = sdk::sql::textAt(row, 7);
            due.push_back(std::move(event));
          });
    }
    for (const auto& event : due) {
      std::string error_text;
      if (deliver(*subscription, event, error_text)) {
        ++pass.delivered;
      } else {
        ++pass.failed;
        pass.failures.push_back(subscription->subscriber + " on event " + std::to_string(event.id) +
                                " (" + event.name + "): " + error_text);
      }
    }
  }
  return pass;
}

std::pair<std::int64_t, std::int64_t> EventHub::backlog() {
  std::vector<std::shared_ptr<const EventSubscription>> subscriptions;
  {
    std::lock_guard lock(mutex_);
    subscriptions = subscriptions_;
  }
  PooledSession lease(database_);
  std::int64_t pending = 0;
  for (const auto& subscription : subscriptions) {
    long long count = 0;
    lease.session()
        << "SELECT COUNT(*) FROM civ_outbox o WHERE o.name = :event AND NOT EXISTS"
           " (SELECT 1 FROM civ_deliveries d WHERE d.event_id = o.id AND d.subscriber = :sub)",
        soci::into(count), soci::use(subscription->event), soci::use(subscription->subscriber);
    pending += count;
  }
  long long failing = 0;
  lease.session() << "SELECT COUNT(*) FROM civ_delivery_failures", soci::into(failing);
  return {pending, failing};
}

void EventHub::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void EventHub::wakeIfThisThreadPublished() {
  if (!this_thread_published) return;
  this_thread_published = false;
  wake();
}

void EventHub::waitForWork(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, timeout, [this] { return woken_; });
  woken_ = false;
}

std::int64_t PluginEventBus::publish(soci::session& db, std::string_view name,
                                     std::string_view county, const nlohmann::json& payload) {
  return hub_.publish(db, plugin_id_, name, county, payload);
}

void PluginEventBus::publishAll(soci::session& db, std::string_view name, std::string_view county,
                                const std::vector<nlohmann::json>& payloads) {
  hub_.publishAll(db, plugin_id_, name, county, payloads);
}

void PluginEventBus::audit(soci::session& db, const sdk::Event& event, std::string_view county,
                           const sdk::AuditRecord& record) {
  AuditEntry entry;
  entry.at = isoTimestamp(hub_.clock().now());
  // The user whose request published the event is the one the change is traced to; work that
  // no request started is the system's.
  entry.user = event.caused_by.empty() ? "system" : event.caused_by;
  entry.role = "event";
  entry.county = std::string(county);
  entry.module = plugin_id_;
  entry.action = record.action;
  entry.entity_type = record.entity_type;
  entry.entity_id = record.entity_id;
  entry.request_id = event.request_id;
  entry.cause = "event " + event.name + " #" + std::to_string(event.id) + " from " +
                event.publisher + " in " + event.county;
  entry.summary = sdk::maskCitizenIds(
      record.changes.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (pending_handler_audit != nullptr)
    pending_handler_audit->push_back(std::move(entry));  // appended when the handler returns
  else
    AuditLog::append(db, hub_.dialect(), std::move(entry));
}

void PluginEventBus::subscribe(std::string_view event, std::string_view subscriber,
                               sdk::EventHandler handler) {
  if (!handler)
    throw std::invalid_argument("subscription " + std::string(subscriber) + " has no handler");
  hub_.subscribe(EventSubscription{plugin_id_, plugin_id_ + "." + std::string(subscriber),
                                   std::string(event), std::move(handler), library_pin_});
}

}  // namespace civ::host
