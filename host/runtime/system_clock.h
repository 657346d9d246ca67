// The host's clock: the system time, which end-to-end tests may move to another day when civhost
// runs with CIV_TEST_CLOCK=1 (POST /api/v1/admin/clock).
#pragma once

#include <atomic>

#include <civ/sdk/clock.h>

namespace civ::host {

class SystemClock : public sdk::Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now() + std::chrono::days{day_offset_.load()};
  }
  /// Shifts the clock by whole days so that today() is `today`; the time of day runs on.
  void moveTo(sdk::Date today) {
    day_offset_ = 0;
    day_offset_ = this->today().daysUntil(today);
  }

 private:
  std::atomic<int> day_offset_{0};
};

}  // namespace civ::host
