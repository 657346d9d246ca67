#include "host/policy/policy_repository.h"

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/sql.h>

namespace civ::host {

std::vector<std::pair<std::string, PolicyValue>> PolicyRepository::loadApiValues(
    soci::session& db) {
  std::vector<std::pair<std::string, PolicyValue>> values;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT full_key, level, effective_from, value, set_by, set_at FROM "
                     "civ_policy_values ORDER BY id");
  for (const auto& row : rows) {
    auto date = sdk::Date::parse(sdk::sql::textAt(row, 2));
    if (!date) continue;
    values.emplace_back(
        sdk::sql::textAt(row, 0),
        PolicyValue{sdk::sql::textAt(row, 1), *date, sdk::sql::textAt(row, 3),
                    "admin API: " + sdk::sql::textAt(row, 4) + " at " + sdk::sql::textAt(row, 5),
                    true});
  }
  return values;
}

void PolicyRepository::insert(soci::session& db, const std::string& full_key,
                              const PolicyValue& value, const std::string& set_by,
                              const std::string& set_at, const std::string& reason) {
  const std::string from = value.effective_from.toString();
  int existing = 0;
  db << "SELECT COUNT(*) FROM civ_policy_values WHERE full_key = :key AND level = :level AND "
        "effective_from = :from_date",
      soci::into(existing), soci::use(full_key), soci::use(value.level), soci::use(from);
  if (existing > 0)
    throw sdk::Conflict(full_key + " already has a value at level " + value.level + " effective " +
                        from + "; history is never rewritten: choose another effective_from");
  db << "INSERT INTO civ_policy_values (full_key, level, effective_from, value, set_by, set_at, "
        "reason)"
        " VALUES (:key, :level, :from_date, :value, :set_by, :set_at, :reason)",
      soci::use(full_key), soci::use(value.level), soci::use(from), soci::use(value.value),
      soci::use(set_by), soci::use(set_at), soci::use(reason);
}

}  // namespace civ::host
