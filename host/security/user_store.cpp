#include "host/security/user_store.h"

#include <cctype>
#include <regex>
#include <set>
#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/common/comma_list.h"

namespace civ::host {

namespace {

constexpr const char* kUserColumns =
    "u.id, u.name, u.full_name, u.created_at, u.disabled_at,"
    " (SELECT COUNT(*) FROM civ_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL)";

UserRecord userFromRow(const soci::row& row) {
  UserRecord user;
  user.id = sdk::sql::int64At(row, 0);
  user.name = sdk::sql::textAt(row, 1);
  user.full_name = sdk::sql::textAt(row, 2);
  user.created_at = sdk::sql::textAt(row, 3);
  user.disabled_at = sdk::sql::optionalTextAt(row, 4);
  user.active_tokens = static_cast<int>(sdk::sql::int64At(row, 5));
  return user;
}

}  // namespace

std::string UserStore::nameKey(const std::string& name) {
  std::string key = name;
  for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return key;
}

void UserStore::checkName(const std::string& name) {
  static const std::regex user_pattern(R"([A-Za-z][A-Za-z0-9_.@-]{0,63})");
  if (!std::regex_match(name, user_pattern))
    throw std::invalid_argument(
        "--user must be a letter then up to 63 letters, digits or _.@-, got '" + name + "'");
}

std::optional<UserRecord> UserStore::find(soci::session& db, const std::string& name) {
  const std::string key = nameKey(name);
  std::optional<UserRecord> user;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kUserColumns << " FROM civ_users u WHERE u.name_key = :key",
       soci::use(key));
  for (const auto& row : rows) user = userFromRow(row);
  return user;
}

UserRecord UserStore::add(soci::session& db, const std::string& name, const std::string& full_name,
                          const std::string& now) {
  checkName(name);
  if (full_name.size() > 100) throw std::invalid_argument("--name: at most 100 bytes");
  if (auto existing = find(db, name))
    throw std::invalid_argument("user " + existing->name + " already exists" +
                                (existing->name == name ? "" : " (names ignore case)"));
  const std::string key = nameKey(name);
  db << "INSERT INTO civ_users (name, name_key, full_name, created_at) VALUES (:name, :key,"
        " :full_name, :now)",
      soci::use(name), soci::use(key), soci::use(full_name), soci::use(now);
  return *find(db, name);
}

UserRecord UserStore::ensure(soci::session& db, const std::string& name, const std::string& now) {
  checkName(name);
  if (auto existing = find(db, name)) return *existing;
  return add(db, name, "", now);
}

std::vector<std::string> UserStore::tokenCounties(soci::session& db, std::int64_t user_id) {
  std::set<std::string> counties;
  const long long id = user_id;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT counties FROM civ_tokens WHERE user_id = :u AND revoked_at IS NULL",
       soci::use(id));
  for (const auto& row : rows)
    for (auto& county : splitCommaList(sdk::sql::textAt(row, 0))) counties.insert(county);
  return {counties.begin(), counties.end()};
}

std::vector<UserRecord> UserStore::list(soci::session& db) {
  std::vector<UserRecord> users;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT " << kUserColumns << " FROM civ_users u ORDER BY u.id");
  for (const auto& row : rows) users.push_back(userFromRow(row));
  return users;
}

bool UserStore::disable(soci::session& db, const std::string& name, const std::string& now) {
  const auto user = find(db, name);
  if (!user || user->disabled_at) return false;
  const long long id = user->id;
  db << "UPDATE civ_users SET disabled_at = :now WHERE id = :id", soci::use(now), soci::use(id);
  db << "UPDATE civ_tokens SET revoked_at = :now WHERE user_id = :id AND revoked_at IS NULL",
      soci::use(now), soci::use(id);
  const std::string reason = "user disabled";
  db << "UPDATE civ_sessions SET ended_at = :now, end_reason = :reason"
        " WHERE user_id = :id AND ended_at IS NULL",
      soci::use(now), soci::use(reason), soci::use(id);
  return true;
}

void UserStore::setFullName(soci::session& db, std::int64_t user_id, const std::string& full_name) {
  if (full_name.size() > 100) throw std::invalid_argument("full_name: at most 100 bytes");
  const long long id = user_id;
  db << "UPDATE civ_users SET full_name = :full_name WHERE id = :id", soci::use(full_name),
      soci::use(id);
}

}  // namespace civ::host
