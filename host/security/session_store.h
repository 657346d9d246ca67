// Console sessions: a signed-in browser holds a random value in an HttpOnly cookie; only its
// SHA-256 is stored, with a CSRF token the console sends back on every write, the time of the
// last request (for the idle timeout) and an absolute end. Times are seconds since the epoch of
// the wall clock, not the business (test) clock: a session's life is about security.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <soci/session.h>

namespace civ::host {

struct SessionRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::string created_at;
  std::int64_t last_seen_epoch = 0;
  std::int64_t expires_epoch = 0;
};

struct OpenedSession {
  std::string cookie_value;  ///< given to the browser once; only its hash is stored
  SessionRecord record;
};

class SessionStore {
 public:
  static OpenedSession open(soci::session& db, std::int64_t user_id, const std::string& now,
                            std::int64_t now_epoch, std::int64_t expires_epoch);
  /// The session the cookie value names, unless it has ended (expired sessions are ended by
  /// the caller, who knows the timeouts).
  static std::optional<SessionRecord> find(soci::session& db, const std::string& cookie_value);
  static void touch(soci::session& db, std::int64_t session_id, std::int64_t now_epoch);
  /// Ends one session ("signed out", "idle", "expired").
  static void end(soci::session& db, std::int64_t session_id, const std::string& now,
                  const std::string& reason);
  /// Ends every open session of a user (password changed or reset, user disabled, grant
  /// changed) except `keep` (the one that changed its own password); returns how many.
  static int endAllOf(soci::session& db, std::int64_t user_id, const std::string& now,
                      const std::string& reason, std::optional<std::int64_t> keep = std::nullopt);
};

}  // namespace civ::host
