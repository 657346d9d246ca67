// The real clock.
#pragma once

#include <civ/sdk/clock.h>

namespace civ::host {

class SystemClock : public sdk::Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace civ::host
