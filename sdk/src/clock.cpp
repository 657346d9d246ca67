#include <civ/sdk/clock.h>

namespace civ::sdk {

namespace {
constexpr std::chrono::hours kChinaStandardTimeOffset{8};
}

Clock::~Clock() = default;

Date Clock::today() const {
  const auto local = now() + kChinaStandardTimeOffset;
  return Date::fromSysDays(std::chrono::floor<std::chrono::days>(local));
}

FixedClock::FixedClock(Date today)
    : now_(today.sysDays() + std::chrono::hours{12} - kChinaStandardTimeOffset) {}
FixedClock::~FixedClock() = default;

}  // namespace civ::sdk
