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
                     "civ_policy_values WHERE withdrawn_at IS NULL ORDER BY id");
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
        "effective_from = :from_date AND withdrawn_at IS NULL",
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

std::optional<std::string> PolicyRepository::standingValue(soci::session& db,
                                                           const std::string& full_key,
                                                           const std::string& level,
                                                           const std::string& effective_from) {
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT value FROM civ_policy_values WHERE full_key = :k AND level = :l AND"
                     " effective_from = :f AND withdrawn_at IS NULL",
       soci::use(full_key), soci::use(level), soci::use(effective_from));
  for (const auto& row : rows) return sdk::sql::textAt(row, 0);
  return std::nullopt;
}

bool PolicyRepository::withdraw(soci::session& db, const std::string& full_key,
                                const std::string& level, const std::string& effective_from,
                                const std::string& by, const std::string& at,
                                const std::string& reason) {
  soci::statement update =
      (db.prepare << "UPDATE civ_policy_values SET withdrawn_at = :at, withdrawn_by = :by,"
                     " withdrawal_reason = :r WHERE full_key = :k AND level = :l AND"
                     " effective_from = :f AND withdrawn_at IS NULL",
       soci::use(at), soci::use(by), soci::use(reason), soci::use(full_key), soci::use(level),
       soci::use(effective_from));
  update.execute(true);
  return update.get_affected_rows() > 0;
}

namespace {

PolicyRepository::Change changeFromRow(const soci::row& row) {
  PolicyRepository::Change change;
  change.id = sdk::sql::int64At(row, 0);
  change.action = sdk::sql::textAt(row, 1);
  change.full_key = sdk::sql::textAt(row, 2);
  change.level = sdk::sql::textAt(row, 3);
  change.effective_from = sdk::sql::textAt(row, 4);
  change.value = sdk::sql::optionalTextAt(row, 5);
  change.reason = sdk::sql::textAt(row, 6);
  change.proposed_by = sdk::sql::textAt(row, 7);
  change.proposed_at = sdk::sql::textAt(row, 8);
  change.status = sdk::sql::textAt(row, 9);
  change.decided_by = sdk::sql::optionalTextAt(row, 10);
  change.decided_at = sdk::sql::optionalTextAt(row, 11);
  return change;
}

constexpr const char* kChangeColumns =
    "id, action, full_key, level, effective_from, value, reason, proposed_by, proposed_at,"
    " status, decided_by, decided_at";

}  // namespace

std::int64_t PolicyRepository::addChange(soci::session& db, const Change& change) {
  long long id = 0;
  soci::indicator value_present = change.value ? soci::i_ok : soci::i_null;
  const std::string value = change.value.value_or("");
  db << "INSERT INTO civ_policy_changes (action, full_key, level, effective_from, value, reason,"
        " proposed_by, proposed_at, status) VALUES (:a, :k, :l, :f, :v, :r, :b, :t, :s)"
        " RETURNING id",
      soci::use(change.action), soci::use(change.full_key), soci::use(change.level),
      soci::use(change.effective_from), soci::use(value, value_present), soci::use(change.reason),
      soci::use(change.proposed_by), soci::use(change.proposed_at), soci::use(change.status),
      soci::into(id);
  return id;
}

std::optional<PolicyRepository::Change> PolicyRepository::findChange(soci::session& db,
                                                                     std::int64_t id) {
  const long long key = id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kChangeColumns << " FROM civ_policy_changes WHERE id = :id",
       soci::use(key));
  for (const auto& row : rows) return changeFromRow(row);
  return std::nullopt;
}

std::vector<PolicyRepository::Change> PolicyRepository::listChanges(soci::session& db) {
  std::vector<Change> changes;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kChangeColumns << " FROM civ_policy_changes ORDER BY id DESC");
  for (const auto& row : rows) changes.push_back(changeFromRow(row));
  return changes;
}

bool PolicyRepository::markApplied(soci::session& db, std::int64_t id, const std::string& by,
                                   const std::string& at) {
  const long long key = id;
  soci::statement update =
      (db.prepare << "UPDATE civ_policy_changes SET status = 'applied', decided_by = :b,"
                     " decided_at = :t WHERE id = :id AND status = 'pending'",
       soci::use(by), soci::use(at), soci::use(key));
  update.execute(true);
  return update.get_affected_rows() > 0;
}

}  // namespace civ::host
