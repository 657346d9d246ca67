// Accounts: how a user signs in to the console. A user (user_store.h) may hold API tokens, an
// account, or both; the account carries the user's grant (role and scope, as a token's) and an
// Argon2id password hash. Failed sign-ins count towards a lock-out; a password an administrator
// set must be changed at the first sign-in (password_policy.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/caller.h>

namespace civ::host {

struct Account {
  std::int64_t user_id = 0;
  sdk::Caller grant;  ///< user = the user's name as first written
  std::string full_name;
  std::optional<std::string> disabled_at;  ///< the user's
  std::string password_hash;
  std::vector<std::string> password_history;  ///< earlier hashes, newest first
  std::string password_set_at;
  bool must_change_password = false;
  int failed_sign_ins = 0;
  std::optional<std::int64_t> locked_until_epoch;  ///< seconds since the epoch
};

class AccountStore {
 public:
  /// The account of user `name` (any case); nullopt when the user has none.
  static std::optional<Account> find(soci::session& db, const std::string& name);
  static std::optional<Account> findByUserId(soci::session& db, std::int64_t user_id);
  /// Creates the account of `user_id` with `grant` and an initial password's hash, to be
  /// changed at the first sign-in. std::invalid_argument when the user already has one or the
  /// grant is malformed (grant.h).
  static void create(soci::session& db, std::int64_t user_id, const sdk::Caller& grant,
                     const std::string& password_hash, const std::string& now);
  /// Replaces the grant (role, counties, townships, modules); std::invalid_argument as above.
  static void setGrant(soci::session& db, std::int64_t user_id, const sdk::Caller& grant);
  /// Stores a new password hash, keeping the previous one in the history, and clears the
  /// failed-sign-in count and any lock-out. `must_change`: set by an administrator (a reset).
  static void setPassword(soci::session& db, std::int64_t user_id, const std::string& hash,
                          bool must_change, const std::string& now);
  /// Whether `password` is the current one or one of the remembered earlier ones.
  static bool wasUsedBefore(const Account& account, const std::string& password);
  /// Counts a failed sign-in; at `lock_after` failures in a row the account is locked until
  /// `lock_until_epoch`. Returns the count after this failure.
  static int recordFailure(soci::session& db, std::int64_t user_id, int lock_after,
                           std::int64_t lock_until_epoch);
  /// A successful sign-in (or an administrator's unlock): the count and lock-out are cleared.
  static void clearFailures(soci::session& db, std::int64_t user_id);
};

}  // namespace civ::host
