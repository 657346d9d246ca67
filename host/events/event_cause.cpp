#include "host/events/event_cause.h"

#include <atomic>
#include <cstdio>

#include <Poco/RandomStream.h>

namespace civ::host {

namespace {
thread_local const EventCause* current_cause = nullptr;

std::string processPrefix() {
  Poco::RandomInputStream random;  // the kernel's CSPRNG
  static constexpr char kHex[] = "0123456789abcdef";
  std::string prefix;
  for (int i = 0; i < 6; ++i) {
    const auto byte = static_cast<unsigned char>(random.get());
    prefix += kHex[byte >> 4];
    prefix += kHex[byte & 0x0F];
  }
  return prefix;
}
}  // namespace

EventCauseScope::EventCauseScope(EventCause cause)
    : cause_(std::move(cause)), previous_(current_cause) {
  current_cause = &cause_;
}

EventCauseScope::~EventCauseScope() { current_cause = previous_; }

const EventCause* EventCauseScope::current() { return current_cause; }

std::string newRequestId() {
  static const std::string prefix = processPrefix();
  static std::atomic<unsigned long long> counter{0};
  char number[24];
  std::snprintf(number, sizeof number, "%llx", ++counter);
  return prefix + "-" + number;
}

}  // namespace civ::host
