#include "host/security/token_store.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

#include <Poco/RandomStream.h>
#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/common/comma_list.h"
#include "host/common/sha256.h"
#include "host/common/timestamp.h"
#include "host/security/grant.h"
#include "host/security/user_store.h"

namespace civ::host {

namespace {

std::string randomToken() {
  Poco::RandomInputStream random;  // the kernel's CSPRNG
  static constexpr char kHex[] = "0123456789abcdef";
  std::string token = "civ_";
  for (int i = 0; i < 32; ++i) {
    const auto byte = static_cast<unsigned char>(random.get());
    token += kHex[byte >> 4];
    token += kHex[byte & 0x0F];
  }
  return token;
}

}  // namespace

const std::vector<std::string>& TokenStore::roles() {
  static const std::vector<std::string> kRoles = {"clerk", "reviewer", "approver", "auditor",
                                                  "admin"};
  return kRoles;
}

IssuedToken TokenStore::issue(soci::session& db, const sdk::Caller& caller, const std::string& now,
                              int lifetime_days) {
  if (lifetime_days < 1 || lifetime_days > 3660)
    throw std::invalid_argument("--expires-in-days must be 1 to 3660, got " +
                                std::to_string(lifetime_days));
  UserStore::checkName(caller.user);
  checkGrant(caller);
  // The token belongs to a user record: an unknown name becomes a user, a disabled user gets
  // no token, and the name is written as the user record has it ("Clerk1" issues for clerk1).
  const UserRecord user = UserStore::ensure(db, caller.user, now);
  if (user.disabled_at)
    throw std::invalid_argument("user " + user.name + " was disabled on " + *user.disabled_at);
  IssuedToken issued{randomToken(), caller, ""};
  issued.caller.user = user.name;
  // Wall time, not the (test) business clock: a token's life is about security, not the date
  // a case is processed on. ISO text in one zone compares as text (host/common/timestamp.h).
  issued.expires_at =
      isoTimestamp(std::chrono::system_clock::now() + std::chrono::hours(24 * lifetime_days));
  const std::string hash = sha256Hex(issued.token);
  const std::string counties = joinCommaList(caller.counties);
  const std::string modules = joinCommaList(caller.modules);
  const std::string townships = joinCommaList(caller.townships);
  const long long user_id = user.id;
  db << "INSERT INTO civ_tokens (token_hash, user_name, role, counties, modules, created_at,"
        " user_id, townships, expires_at)"
        " VALUES (:hash, :user_name, :role, :counties, :modules, :created_at, :user_id,"
        " :townships, :expires_at)",
      soci::use(hash), soci::use(user.name), soci::use(caller.role), soci::use(counties),
      soci::use(modules), soci::use(now), soci::use(user_id), soci::use(townships),
      soci::use(issued.expires_at);
  return issued;
}

namespace {

/// What the active tokens matching `where` grant, read before they are revoked.
std::vector<sdk::Caller> activeGrants(soci::session& db, const std::string& where,
                                      const std::string& value) {
  std::vector<sdk::Caller> grants;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT user_name, role, counties, modules, townships FROM civ_tokens"
                     " WHERE revoked_at IS NULL AND " +
                         where,
       soci::use(value));
  for (const auto& row : rows)
    grants.push_back(sdk::Caller{
        row.get<std::string>(0), row.get<std::string>(1), splitCommaList(row.get<std::string>(2)),
        splitCommaList(row.get<std::string>(3)), splitCommaList(row.get<std::string>(4))});
  return grants;
}

}  // namespace

std::vector<sdk::Caller> TokenStore::revokeUser(soci::session& db, const std::string& user,
                                                const std::string& now) {
  const std::string key = UserStore::nameKey(user);
  const std::string by_user = "user_id = (SELECT id FROM civ_users WHERE name_key = :key)";
  auto grants = activeGrants(db, by_user, key);
  db << "UPDATE civ_tokens SET revoked_at = :now WHERE revoked_at IS NULL AND " + by_user,
      soci::use(now), soci::use(key);
  return grants;
}

std::optional<sdk::Caller> TokenStore::revokeToken(soci::session& db, const std::string& token,
                                                   const std::string& now) {
  const std::string hash = sha256Hex(token);
  auto grants = activeGrants(db, "token_hash = :hash", hash);
  if (grants.empty()) return std::nullopt;
  db << "UPDATE civ_tokens SET revoked_at = :now WHERE token_hash = :hash AND revoked_at IS NULL",
      soci::use(now), soci::use(hash);
  return grants.front();
}

namespace {

std::vector<TokenRecord> tokensWhere(soci::session& db, const std::string& where, long long id) {
  std::vector<TokenRecord> tokens;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, user_name, role, counties, modules, townships, created_at,"
                     " expires_at, revoked_at FROM civ_tokens WHERE " +
                         where + " ORDER BY id DESC",
       soci::use(id));
  for (const auto& row : rows) {
    TokenRecord token;
    token.id = sdk::sql::int64At(row, 0);
    token.grant = sdk::Caller{sdk::sql::textAt(row, 1), sdk::sql::textAt(row, 2),
                              splitCommaList(sdk::sql::textAt(row, 3)),
                              splitCommaList(sdk::sql::textAt(row, 4)),
                              splitCommaList(sdk::sql::textAt(row, 5))};
    token.created_at = sdk::sql::textAt(row, 6);
    token.expires_at = sdk::sql::optionalTextAt(row, 7);
    token.revoked_at = sdk::sql::optionalTextAt(row, 8);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

}  // namespace

std::vector<TokenRecord> TokenStore::list(soci::session& db) {
  return tokensWhere(db, "id >= :id", 0);
}

std::optional<TokenRecord> TokenStore::find(soci::session& db, std::int64_t id) {
  auto tokens = tokensWhere(db, "id = :id", id);
  if (tokens.empty()) return std::nullopt;
  return tokens.front();
}

bool TokenStore::revokeById(soci::session& db, std::int64_t id, const std::string& now) {
  const auto token = find(db, id);
  if (!token || token->revoked_at) return false;
  const long long row = id;
  db << "UPDATE civ_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
      soci::use(now), soci::use(row);
  return true;
}

}  // namespace civ::host
