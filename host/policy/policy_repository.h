// Policy values set through the admin API, kept in civ_policy_values (never deleted: a change is
// a new row with its own effective date; a value not yet in effect may be withdrawn, which marks
// its row), and the proposed withdrawals and replacements of such values (civ_policy_changes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <soci/session.h>

#include "host/policy/policy_store.h"

namespace civ::host {

class PolicyRepository {
 public:
  static std::vector<std::pair<std::string, PolicyValue>> loadApiValues(soci::session& db);
  /// Throws sdk::Conflict when the key already has a value at that level and date.
  static void insert(soci::session& db, const std::string& full_key, const PolicyValue& value,
                     const std::string& set_by, const std::string& set_at,
                     const std::string& reason);
  /// The value standing (not withdrawn) at a key, level and date, set through the API.
  static std::optional<std::string> standingValue(soci::session& db, const std::string& full_key,
                                                  const std::string& level,
                                                  const std::string& effective_from);
  /// Marks that value withdrawn; false when there is none.
  static bool withdraw(soci::session& db, const std::string& full_key, const std::string& level,
                       const std::string& effective_from, const std::string& by,
                       const std::string& at, const std::string& reason);

  struct Change {
    std::int64_t id = 0;
    std::string action;  ///< "withdraw" or "replace"
    std::string full_key, level, effective_from;
    std::optional<std::string> value;  ///< the replacement
    std::string reason, proposed_by, proposed_at;
    std::string status;  ///< "pending", "applied"
    std::optional<std::string> decided_by, decided_at;
  };
  static std::int64_t addChange(soci::session& db, const Change& change);
  static std::optional<Change> findChange(soci::session& db, std::int64_t id);
  static std::vector<Change> listChanges(soci::session& db);
  /// Marks a pending change applied by `by`; false when it was no longer pending (a racing
  /// confirmation won).
  static bool markApplied(soci::session& db, std::int64_t id, const std::string& by,
                          const std::string& at);
};

}  // namespace civ::host
