// API tokens: issued once, stored only as a SHA-256 hash, scoped to a role, counties and
// (optionally) modules, revocable.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/session.h>

#include <civ/sdk/caller.h>

namespace civ::host {

struct IssuedToken {
  std::string token;  ///< shown once; only its hash is stored
  sdk::Caller caller;
};

class TokenStore {
 public:
  /// Roles: clerk, reviewer, approver, auditor, admin. std::invalid_argument names a bad role,
  /// county code or module id.
  static IssuedToken issue(soci::session& db, const sdk::Caller& caller, const std::string& now);
  /// Revokes every active token of `user`; returns how many.
  static int revokeUser(soci::session& db, const std::string& user, const std::string& now);
  /// Revokes one token by its value; false when unknown or already revoked.
  static bool revokeToken(soci::session& db, const std::string& token, const std::string& now);

  static const std::vector<std::string>& roles();
};

}  // namespace civ::host
