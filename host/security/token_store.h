// API tokens: issued once, stored only as a SHA-256 hash, scoped to a role, counties and
// (optionally) modules, revocable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/caller.h>

namespace civ::host {

struct IssuedToken {
  std::string token;  ///< shown once; only its hash is stored
  sdk::Caller caller;
  std::string expires_at;
};

/// A token as listed (never its value: only the hash is kept).
struct TokenRecord {
  std::int64_t id = 0;
  sdk::Caller grant;
  std::string created_at;
  std::optional<std::string> expires_at;
  std::optional<std::string> revoked_at;
};

class TokenStore {
 public:
  /// Roles: clerk, reviewer, approver, auditor, admin. std::invalid_argument names a bad role,
  /// county code or module id.
  /// The token expires `lifetime_days` after `now` (kDefaultLifetimeDays unless given).
  static IssuedToken issue(soci::session& db, const sdk::Caller& caller, const std::string& now,
                           int lifetime_days = kDefaultLifetimeDays);
  /// How long a token lasts unless the issuer says otherwise: a quarter of a year, so a
  /// forgotten token of a clerk who left stops working on its own.
  static constexpr int kDefaultLifetimeDays = 90;
  /// Revokes every active token of `user` (any spelling); returns what each token granted.
  static std::vector<sdk::Caller> revokeUser(soci::session& db, const std::string& user,
                                             const std::string& now);
  /// Revokes one token by its value; nullopt when unknown or already revoked.
  static std::optional<sdk::Caller> revokeToken(soci::session& db, const std::string& token,
                                                const std::string& now);

  /// Every token, newest first.
  static std::vector<TokenRecord> list(soci::session& db);
  static std::optional<TokenRecord> find(soci::session& db, std::int64_t id);
  /// Revokes the token of row `id`; false when unknown or already revoked.
  static bool revokeById(soci::session& db, std::int64_t id, const std::string& now);

  static const std::vector<std::string>& roles();
};

}  // namespace civ::host
