// The clock a plugin reads. Injectable: tests and the fake Context set the time.
#pragma once

#include <chrono>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>

namespace civ::sdk {

/// Source of the current time. All of civ's counties are on China Standard Time (UTC+8, no
/// daylight saving), so today() is the UTC instant shifted by eight hours.
class CIV_SDK_API Clock {
 public:
  virtual ~Clock();
  virtual std::chrono::system_clock::time_point now() const = 0;
  /// The calendar date in China Standard Time.
  Date today() const;
};

/// A clock that stays where it is set (for tests and replays).
class CIV_SDK_API FixedClock : public Clock {
 public:
  explicit FixedClock(std::chrono::system_clock::time_point now) : now_(now) {}
  /// 12:00 China Standard Time on the given date.
  explicit FixedClock(Date today);
  ~FixedClock() override;
  std::chrono::system_clock::time_point now() const override { return now_; }
  void set(std::chrono::system_clock::time_point now) { now_ = now; }

 private:
  std::chrono::system_clock::time_point now_;
};

}  // namespace civ::sdk
