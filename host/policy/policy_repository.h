// Policy values set through the admin API, kept in civ_policy_values (never updated or deleted:
// a change is a new row with its own effective date).
#pragma once

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
};

}  // namespace civ::host
