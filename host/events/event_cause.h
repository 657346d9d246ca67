// Who caused what is published on this thread: the route invoker names the user and the request
// around a handler, the event hub stores them with each event it publishes, and the handlers'
// audit rows name them, so a change made in another county by an event is traced to its request.
#pragma once

#include <string>

namespace civ::host {

struct EventCause {
  std::string user;
  std::string request_id;
};

/// Sets the cause for this thread while it lives (scopes nest: the previous one comes back).
class EventCauseScope {
 public:
  explicit EventCauseScope(EventCause cause);
  ~EventCauseScope();
  EventCauseScope(const EventCauseScope&) = delete;
  EventCauseScope& operator=(const EventCauseScope&) = delete;

  /// The cause set on this thread, or nullptr (background work: jobs, deliveries).
  static const EventCause* current();

 private:
  EventCause cause_;
  const EventCause* previous_;
};

/// A new request id: unique across hosts and restarts (random prefix per process, counter).
std::string newRequestId();

}  // namespace civ::host
