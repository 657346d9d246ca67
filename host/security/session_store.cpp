#include "host/security/session_store.h"

#include <Poco/RandomStream.h>
#include <soci/soci.h>

#include <civ/sdk/sql.h>

#include "host/common/sha256.h"

namespace civ::host {

namespace {

std::string randomHex(int bytes) {
  Poco::RandomInputStream random;  // the kernel's CSPRNG
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < bytes; ++i) {
    const auto byte = static_cast<unsigned char>(random.get());
    text += kHex[byte >> 4];
    text += kHex[byte & 0x0F];
  }
  return text;
}

}  // namespace

OpenedSession SessionStore::open(soci::session& db, std::int64_t user_id, const std::string& now,
                                 std::int64_t now_epoch, std::int64_t expires_epoch) {
  OpenedSession opened;
  opened.cookie_value = randomHex(32);
  opened.record.user_id = user_id;
  opened.record.csrf_token = randomHex(24);
  opened.record.created_at = now;
  opened.record.last_seen_epoch = now_epoch;
  opened.record.expires_epoch = expires_epoch;
  const std::string hash = sha256Hex(opened.cookie_value);
  const long long user = user_id, seen = now_epoch, expires = expires_epoch;
  db << "INSERT INTO civ_sessions (token_hash, user_id, csrf_token, created_at, last_seen_epoch,"
        " expires_epoch) VALUES (:hash, :user, :csrf, :now, :seen, :expires)",
      soci::use(hash), soci::use(user), soci::use(opened.record.csrf_token), soci::use(now),
      soci::use(seen), soci::use(expires);
  long long id = 0;
  db << "SELECT id FROM civ_sessions WHERE token_hash = :hash", soci::into(id), soci::use(hash);
  opened.record.id = id;
  return opened;
}

std::optional<SessionRecord> SessionStore::find(soci::session& db,
                                                const std::string& cookie_value) {
  const std::string hash = sha256Hex(cookie_value);
  std::optional<SessionRecord> found;
  soci::rowset<soci::row> rows =
      (db.prepare << "SELECT id, user_id, csrf_token, created_at, last_seen_epoch, expires_epoch"
                     " FROM civ_sessions WHERE token_hash = :hash AND ended_at IS NULL",
       soci::use(hash));
  for (const auto& row : rows) {
    SessionRecord record;
    record.id = sdk::sql::int64At(row, 0);
    record.user_id = sdk::sql::int64At(row, 1);
    record.csrf_token = sdk::sql::textAt(row, 2);
    record.created_at = sdk::sql::textAt(row, 3);
    record.last_seen_epoch = sdk::sql::int64At(row, 4);
    record.expires_epoch = sdk::sql::int64At(row, 5);
    found = std::move(record);
  }
  return found;
}

void SessionStore::touch(soci::session& db, std::int64_t session_id, std::int64_t now_epoch) {
  const long long id = session_id, seen = now_epoch;
  db << "UPDATE civ_sessions SET last_seen_epoch = :seen WHERE id = :id", soci::use(seen),
      soci::use(id);
}

void SessionStore::end(soci::session& db, std::int64_t session_id, const std::string& now,
                       const std::string& reason) {
  const long long id = session_id;
  db << "UPDATE civ_sessions SET ended_at = :now, end_reason = :reason"
        " WHERE id = :id AND ended_at IS NULL",
      soci::use(now), soci::use(reason), soci::use(id);
}

int SessionStore::endAllOf(soci::session& db, std::int64_t user_id, const std::string& now,
                           const std::string& reason, std::optional<std::int64_t> keep) {
  const long long user = user_id, kept = keep.value_or(0);
  soci::statement update =
      (db.prepare << "UPDATE civ_sessions SET ended_at = :now, end_reason = :reason"
                     " WHERE user_id = :user AND ended_at IS NULL AND id <> :kept",
       soci::use(now), soci::use(reason), soci::use(user), soci::use(kept));
  update.execute(true);
  return static_cast<int>(update.get_affected_rows());
}

}  // namespace civ::host
