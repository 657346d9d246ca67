#include "host/security/account_store.h"

#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/common/comma_list.h"
#include "host/security/grant.h"
#include "host/security/password_hasher.h"
#include "host/security/password_policy.h"
#include "host/security/user_store.h"

namespace civ::host {

namespace {

constexpr const char* kAccountColumns =
    "a.user_id, u.name, u.full_name, u.disabled_at, a.role, a.counties, a.townships, a.modules,"
    " a.password_hash, a.password_history, a.password_set_at, a.must_change_password,"
    " a.failed_sign_ins, a.locked_until_epoch";

std::optional<Account> findWhere(soci::session& db, const std::string& condition,
                                 const std::string& value) {
  std::optional<Account> account;
  soci::rowset<soci::row> rows =
      (db.prepare << std::string("SELECT ") + kAccountColumns +
                         " FROM civ_accounts a JOIN civ_users u ON u.id = a.user_id WHERE " +
                         condition,
       soci::use(value));
  for (const auto& row : rows) {
    Account found;
    found.user_id = sdk::sql::int64At(row, 0);
    found.grant.user = sdk::sql::textAt(row, 1);
    found.full_name = sdk::sql::textAt(row, 2);
    found.disabled_at = sdk::sql::optionalTextAt(row, 3);
    found.grant.role = sdk::sql::textAt(row, 4);
    found.grant.counties = splitCommaList(sdk::sql::textAt(row, 5));
    found.grant.townships = splitCommaList(sdk::sql::textAt(row, 6));
    found.grant.modules = splitCommaList(sdk::sql::textAt(row, 7));
    found.password_hash = sdk::sql::textAt(row, 8);
    // Hashes hold no whitespace: the history is newline-separated.
    const std::string history = sdk::sql::textAt(row, 9);
    for (std::size_t start = 0; start < history.size();) {
      const auto end = history.find('\n', start);
      found.password_history.push_back(history.substr(start, end - start));
      start = end == std::string::npos ? history.size() : end + 1;
    }
    found.password_set_at = sdk::sql::textAt(row, 10);
    found.must_change_password = sdk::sql::int64At(row, 11) != 0;
    found.failed_sign_ins = static_cast<int>(sdk::sql::int64At(row, 12));
    if (row.get_indicator(13) != soci::i_null)
      found.locked_until_epoch = sdk::sql::int64At(row, 13);
    account = std::move(found);
  }
  return account;
}

}  // namespace

std::optional<Account> AccountStore::find(soci::session& db, const std::string& name) {
  return findWhere(db, "u.name_key = :key", UserStore::nameKey(name));
}

std::optional<Account> AccountStore::findByUserId(soci::session& db, std::int64_t user_id) {
  return findWhere(db, "a.user_id = CAST(:id AS BIGINT)", std::to_string(user_id));
}

void AccountStore::create(soci::session& db, std::int64_t user_id, const sdk::Caller& grant,
                          const std::string& password_hash, const std::string& now) {
  checkGrant(grant);
  if (findByUserId(db, user_id))
    throw std::invalid_argument("user " + grant.user + " already has an account");
  const long long id = user_id;
  const std::string counties = joinCommaList(grant.counties);
  const std::string townships = joinCommaList(grant.townships);
  const std::string modules = joinCommaList(grant.modules);
  db << "INSERT INTO civ_accounts (user_id, role, counties, townships, modules, password_hash,"
        " password_history, password_set_at, must_change_password, failed_sign_ins)"
        " VALUES (:id, :role, :counties, :townships, :modules, :hash, '', :now, 1, 0)",
      soci::use(id), soci::use(grant.role), soci::use(counties), soci::use(townships),
      soci::use(modules), soci::use(password_hash), soci::use(now);
}

void AccountStore::setGrant(soci::session& db, std::int64_t user_id, const sdk::Caller& grant) {
  checkGrant(grant);
  const long long id = user_id;
  const std::string counties = joinCommaList(grant.counties);
  const std::string townships = joinCommaList(grant.townships);
  const std::string modules = joinCommaList(grant.modules);
  db << "UPDATE civ_accounts SET role = :role, counties = :counties, townships = :townships,"
        " modules = :modules WHERE user_id = :id",
      soci::use(grant.role), soci::use(counties), soci::use(townships), soci::use(modules),
      soci::use(id);
}

void AccountStore::setPassword(soci::session& db, std::int64_t user_id, const std::string& hash,
                               bool must_change, const std::string& now) {
  const auto account = findByUserId(db, user_id);
  if (!account) throw std::invalid_argument("the user has no account");
  std::string history = account->password_hash;
  for (std::size_t i = 0;
       i < account->password_history.size() && i + 1 < PasswordPolicy::kRememberedPasswords; ++i)
    history += "\n" + account->password_history[i];
  const long long id = user_id;
  const int must = must_change ? 1 : 0;
  db << "UPDATE civ_accounts SET password_hash = :hash, password_history = :history,"
        " password_set_at = :now, must_change_password = :must, failed_sign_ins = 0,"
        " locked_until_epoch = NULL WHERE user_id = :id",
      soci::use(hash), soci::use(history), soci::use(now), soci::use(must), soci::use(id);
}

bool AccountStore::wasUsedBefore(const Account& account, const std::string& password) {
  if (PasswordHasher::verify(account.password_hash, password)) return true;
  for (const auto& old : account.password_history)
    if (PasswordHasher::verify(old, password)) return true;
  return false;
}

int AccountStore::recordFailure(soci::session& db, std::int64_t user_id, int lock_after,
                                std::int64_t lock_until_epoch) {
  const long long id = user_id;
  db << "UPDATE civ_accounts SET failed_sign_ins = failed_sign_ins + 1 WHERE user_id = :id",
      soci::use(id);
  long long failures = 0;
  db << "SELECT failed_sign_ins FROM civ_accounts WHERE user_id = :id", soci::into(failures),
      soci::use(id);
  if (failures >= lock_after) {
    const long long until = lock_until_epoch;
    db << "UPDATE civ_accounts SET locked_until_epoch = :until WHERE user_id = :id",
        soci::use(until), soci::use(id);
  }
  return static_cast<int>(failures);
}

void AccountStore::clearFailures(soci::session& db, std::int64_t user_id) {
  const long long id = user_id;
  db << "UPDATE civ_accounts SET failed_sign_ins = 0, locked_until_epoch = NULL"
        " WHERE user_id = :id",
      soci::use(id);
}

}  // namespace civ::host
