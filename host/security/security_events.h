// Security events: every refused request (401, 403) kept for the auditor with who asked, with
// which token, what they asked and why it was refused (等保 2.0: audit of access control). Written
// outside the refused request's transaction (which changed nothing) and never blocking it.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/list.h>

#include "host/storage/database.h"

namespace civ::host {

struct SecurityEvent {
  std::int64_t id = 0;
  std::string at;
  std::string county;  ///< from the path; "" for a host route outside a county
  int status = 0;
  std::string user;  ///< "" when no token authenticated
  std::optional<std::int64_t> token_id;
  std::string method;
  std::string path;    ///< without the query; citizen IDs masked
  std::string reason;  ///< the refusal's detail
};

class SecurityEvents {
 public:
  /// Appends `event` in its own transaction. Never throws: a failure is returned as false so
  /// the refusal itself is still answered.
  static bool record(Database& database, const SecurityEvent& event);
  /// A county's events, newest first by default, on the list convention (keyset on the id).
  static std::vector<SecurityEvent> list(soci::session& db, const std::string& county,
                                         const sdk::ListRequest& page, std::int64_t& total);
};

/// Bounds what a flood of refusals (a script trying tokens) can write: a token bucket of
/// `burst` events refilled at `per_second`. A refusal over the bound is not stored but counted,
/// and the next stored one says how many were left out, so the flood stays visible to the
/// auditor without filling the disk.
class RefusalThrottle {
 public:
  RefusalThrottle(double per_second = 5, double burst = 50)
      : per_second_(per_second), burst_(burst), tokens_(burst) {}
  /// Whether to store a refusal now; when true, `left_out` is how many were not stored since
  /// the last one that was.
  bool admit(std::chrono::steady_clock::time_point now, std::int64_t& left_out);

 private:
  std::mutex mutex_;
  double per_second_, burst_, tokens_;
  std::optional<std::chrono::steady_clock::time_point> last_;
  std::int64_t left_out_ = 0;
};

}  // namespace civ::host
