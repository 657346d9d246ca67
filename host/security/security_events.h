// Security events: every refused request (401, 403) kept for the auditor with who asked, with
// which token, what they asked and why it was refused (等保 2.0: audit of access control). Written
// outside the refused request's transaction (which changed nothing) and never blocking it.
#pragma once

#include <cstdint>
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

}  // namespace civ::host
