// Sign-in for people (the web console): /api/v1/session and /api/v1/session/password.
// They are answered here rather than through the request pipeline because they set and read the
// session cookie, which module routes never see; they are declared in the route table all the
// same (mount kSessionRoutes), so the OpenAPI document describes them like every other route.
//
// POST   /api/v1/session            {user, password} → 201 the session, Set-Cookie civ_session
// GET    /api/v1/session            the session of the cookie (401 when none)
// DELETE /api/v1/session            sign out (CSRF token required)
// PUT    /api/v1/session/password   {current_password, new_password} (CSRF token required)
//
// Every sign-in, failure, lock-out, sign-out and password change is audited in each county of
// the account's grant (module "civ"); failures are security events as well.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <civ/sdk/caller.h>

#include "host/config/host_config.h"
#include "host/http/http_exchange.h"
#include "host/routing/request_pipeline.h"
#include "host/routing/route_table.h"
#include "host/runtime/host_services.h"
#include "host/security/account_store.h"
#include "host/security/session_store.h"

namespace soci {
class session;
}

namespace civ::host {

/// The cookie that carries a console session.
inline constexpr std::string_view kSessionCookie = "civ_session";

/// A request authenticated by its session cookie.
struct SignedInCaller {
  sdk::Caller caller;
  SessionRecord session;
  bool must_change_password = false;
};

class SessionEndpoints {
 public:
  SessionEndpoints(const Config& config, HostServices& services);

  static bool handles(std::string_view path) {
    return path == "/api/v1/session" || path == "/api/v1/session/password";
  }
  /// Declares the routes (for the API document); the table never runs their handlers.
  static void declareIn(RouteTable& routes);
  /// Starts hashing the decoy password that an unknown user's sign-in is checked against, on
  /// a thread of its own: called once civhost serves, so that it does not slow the start-up.
  static void prepareDecoy();

  /// Answers a session request; throws sdk::Error for a refusal (400, 401, 403, 423).
  /// `request_id` goes into the audit rows.
  HttpReply answer(const HttpExchange& exchange, const std::string& path,
                   const std::string& request_id);

  /// The caller of the request's session cookie, or nullopt when it has none. Throws 401 when
  /// the cookie names no open session (ended, idle or past its absolute end: the session is
  /// ended and `refusal` says why), or its user is disabled. Writes (any method but GET and
  /// HEAD) must carry the session's CSRF token: 403 "csrf-refused" otherwise.
  std::optional<SignedInCaller> authenticate(const HttpExchange& exchange, soci::session& db,
                                             std::string& refusal);

 private:
  struct Call {
    const HttpExchange& exchange;
    const std::string& path;
    const std::string& request_id;
  };
  HttpReply signIn(const Call& call);
  HttpReply current(const Call& call);
  HttpReply signOut(const Call& call);
  HttpReply changePassword(const Call& call);

  /// The session body the console keeps: who, the grant with county names and modules, the
  /// CSRF token, the timeouts.
  nlohmann::json sessionJson(const Account& account, const SessionRecord& session) const;
  std::string cookieHeader(const HttpExchange& exchange, const std::string& value,
                           bool expire) const;
  /// One audit row per county of the account's grant.
  void audit(soci::session& db, const Account& account, const std::string& action,
             const nlohmann::json& changes, const Call& call) const;
  void securityEvent(const Call& call, const std::string& user, const std::string& reason) const;
  std::int64_t nowEpoch() const;
  std::string now() const;

  const Config& config_;
  HostServices& services_;
};

}  // namespace civ::host
