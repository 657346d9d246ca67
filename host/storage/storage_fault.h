// Whether a failure is the storage's (a full disk, an I/O error, a lost database connection)
// rather than the request's or the code's: such a request is answered 503 with Retry-After and
// /healthz says writes are failing until one succeeds again (issue 16: storage faults are
// honest). Nothing of the failed request is kept: its transaction was rolled back.
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

namespace civ::host {

/// A pooled session that could not be opened (the server away, the file gone): a storage fault
/// like a lost connection, answered the same way.
class SessionUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The storage fault behind `error`, in words for the log and the answer; nullopt when it is
/// something else.
std::optional<std::string> storageFault(const std::exception& error);

/// Whether writes are failing now: set by a storage fault, cleared by the next commit.
class StorageHealth {
 public:
  void recordFault(const std::string& reason, const std::string& at);
  void recordSuccess() {
    if (failing_.load(std::memory_order_relaxed)) clear();
  }
  bool failing() const { return failing_.load(std::memory_order_relaxed); }
  /// Since when and why, while failing.
  std::pair<std::string, std::string> fault() const;

 private:
  void clear();

  std::atomic<bool> failing_{false};
  mutable std::mutex mutex_;
  std::string since_, reason_;
};

}  // namespace civ::host
