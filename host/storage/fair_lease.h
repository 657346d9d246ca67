// First come, first served permits for the pool's sessions. SOCI's pool wakes a waiter that
// then races every newly arriving thread for the session, so under load one connection could
// wait many turns (worst wait 200 ms on PostgreSQL with 64 connections, bench/RESULTS.md).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace civ::host {

/// Thread-safe. A released permit passes straight to the thread that has waited longest.
class FairLease {
 public:
  explicit FairLease(std::size_t permits) : free_(permits) {}

  /// Takes a permit, waiting in arrival order; false when `timeout` passes first.
  bool acquire(std::chrono::milliseconds timeout);
  void release();

 private:
  struct Waiter {
    std::condition_variable woken;
    bool granted = false;
  };

  std::mutex mutex_;
  std::size_t free_;
  std::deque<Waiter*> waiting_;
};

/// Gives a permit back when its holder goes: std::unique_ptr<FairLease, FairLeaseRelease>.
struct FairLeaseRelease {
  void operator()(FairLease* lease) const noexcept { lease->release(); }
};

}  // namespace civ::host
