// Users as records: one row per person who signs in, unique without regard to case ("Clerk1"
// and "clerk1" are one user), disabled rather than deleted (the audit trail names them). A token
// belongs to a user; a disabled user's tokens stop working at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/session.h>

namespace civ::host {

struct UserRecord {
  std::int64_t id = 0;
  std::string name;       ///< as first written
  std::string full_name;  ///< 姓名, optional
  std::string created_at;
  std::optional<std::string> disabled_at;
  int active_tokens = 0;
};

class UserStore {
 public:
  /// The key a name is unique by (ASCII lower case; names are a letter, then [A-Za-z0-9_.@-]).
  static std::string nameKey(const std::string& name);
  /// std::invalid_argument for a malformed name.
  static void checkName(const std::string& name);

  /// Adds a user; std::invalid_argument when the name (in any case) exists or is malformed.
  static UserRecord add(soci::session& db, const std::string& name, const std::string& full_name,
                        const std::string& now);
  /// The user of `name` (any case), created when unknown.
  static UserRecord ensure(soci::session& db, const std::string& name, const std::string& now);
  static std::optional<UserRecord> find(soci::session& db, const std::string& name);
  static std::vector<UserRecord> list(soci::session& db);
  /// The counties the user's unrevoked tokens cover (sorted, once each): whose administrator
  /// may disable them.
  static std::vector<std::string> tokenCounties(soci::session& db, std::int64_t user_id);
  static void setFullName(soci::session& db, std::int64_t user_id, const std::string& full_name);
  /// Disables the user, revokes their tokens and ends their console sessions; false when
  /// unknown or already disabled.
  static bool disable(soci::session& db, const std::string& name, const std::string& now);
};

}  // namespace civ::host
