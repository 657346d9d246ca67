#include "host/http/session_endpoints.h"

#include <chrono>
#include <future>

#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/json_schema.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

#include "host/audit/audit_log.h"
#include "host/common/timestamp.h"
#include "host/http/json_body.h"
#include "host/security/password_hasher.h"
#include "host/security/password_policy.h"
#include "host/security/security_events.h"
#include "host/security/user_store.h"
#include "host/storage/database.h"
#include "host/storage/transaction.h"

namespace civ::host {

namespace {

using nlohmann::json;
using namespace sdk::schema;

json signInSchema() {
  return object({{"user", describe(text(64), {"用户名", "User name"})},
                 {"password", describe(text(256), {"密码", "Password"})}});
}

json passwordSchema() {
  return object(
      {{"current_password", describe(text(256), {"当前密码", "Current password"})},
       {"new_password", describe(text(256), {"新密码",
                                             "New password: 10+ characters, three of upper "
                                             "case, lower case, digits, others"})}});
}

json sessionSchema() {
  const json localized = object({{"zh", text(200, 0)}, {"en", text(200, 0)}});
  return object(
      {{"user", text(64)},
       {"full_name", text(100, 0)},
       {"role", text(20)},
       {"counties",
        arrayOf(object({{"code", text(6)}, {"name", localized}, {"modules", arrayOf(text(40))}}))},
       {"townships", arrayOf(text(100))},
       {"modules", describe(arrayOf(text(40)), {"模块范围", "Modules in scope; empty: all"})},
       {"csrf_token", describe(text(100), {"CSRF 令牌", "Send as X-CSRF-Token on every write"})},
       {"must_change_password", boolean()},
       {"idle_timeout_seconds", integer(60)},
       {"expires_at", timestamp()}});
}

/// The value of cookie `name` in a Cookie header ("a=1; civ_session=..."), or "".
std::string cookieValue(const std::string& header, std::string_view name) {
  std::size_t start = 0;
  while (start < header.size()) {
    while (start < header.size() && (header[start] == ' ' || header[start] == ';')) ++start;
    const auto end = header.find(';', start);
    const std::string_view pair =
        std::string_view(header).substr(start, end == std::string::npos ? end : end - start);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name)
      return std::string(pair.substr(equals + 1));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

json readBody(const HttpExchange& exchange, const json& schema, sdk::Date today) {
  json body = parseJsonBody(exchange);
  if (body.is_null()) throw sdk::ValidationError("body", "required", "send a JSON object", 400);
  if (auto errors = sdk::validateJson(schema, body, today); !errors.empty())
    throw sdk::ValidationError(std::move(errors), 400);
  return body;
}

HttpReply jsonAnswer(int status, const json& body) {
  HttpReply reply;
  reply.status = status;
  reply.body = body.dump();
  return reply;
}

/// A hash to verify against when the user is unknown, so the answer takes as long as for a
/// known user and does not tell which names exist. Argon2 would take a sixth of civhost's
/// start-up, and on two cores its thread competed with the start-up itself: it is computed on a
/// thread of its own once civhost serves (SessionEndpoints::prepareDecoy), ready long before
/// the first failed sign-in (which waits for it otherwise, or starts it if it came first).
const std::shared_future<std::string>& decoyHashInTheMaking() {
  static const std::shared_future<std::string> hash =
      std::async(std::launch::async, [] {
        return PasswordHasher::hash("decoy password for unknown users");
      }).share();
  return hash;
}
const std::string& decoyHash() {
  try {
    return decoyHashInTheMaking().get();
  } catch (const std::exception&) {
    // The thread's hash failed (no memory for Argon2, no random bytes): computed here instead,
    // and again on the next call if it fails here too, so that an unknown user's sign-in never
    // answers differently from a known user's wrong password.
    static const std::string computed_here =
        PasswordHasher::hash("decoy password for unknown users");
    return computed_here;
  }
}

}  // namespace

SessionEndpoints::SessionEndpoints(const Config& config, HostServices& services)
    : config_(config), services_(services) {}

void SessionEndpoints::prepareDecoy() { (void)decoyHashInTheMaking(); }

void SessionEndpoints::declareIn(RouteTable& routes) {
  const auto unreachable = [](sdk::Request&) -> sdk::Response {
    throw std::logic_error("session routes are answered by SessionEndpoints");
  };
  const auto add = [&](const sdk::Route& route) {
    routes.addHostRoute(kSessionRoutes, route, unreachable, true);
  };
  add(sdk::Route::post("/")
          .permission(sdk::Permission::Read)
          .summary("登录", "Sign in with user name and password; sets the civ_session cookie")
          .body(signInSchema())
          .created(sessionSchema(), "signed in; 401 sign-in-failed, 423 account-locked"));
  add(sdk::Route::get("/")
          .summary("当前会话", "The session of the cookie: user, scope, CSRF token")
          .ok(sessionSchema()));
  add(sdk::Route::del("/")
          .permission(sdk::Permission::Read)
          .summary("退出登录", "Sign out (X-CSRF-Token required)")
          .noContent("signed out"));
  add(sdk::Route::put("/password")
          .permission(sdk::Permission::Read)
          .summary("修改密码", "Change one's own password (X-CSRF-Token required)")
          .body(passwordSchema())
          .noContent("changed"));
}

std::int64_t SessionEndpoints::nowEpoch() const {
  // The host's clock: the wall clock in service; the test clock (whole days) in tests, so an
  // end-to-end test can let a session or a lock-out run out.
  return std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch())
      .count();
}

std::string SessionEndpoints::now() const { return isoTimestamp(services_.clock.now()); }

HttpReply SessionEndpoints::answer(const HttpExchange& exchange, const std::string& path,
                                   const std::string& request_id) {
  const Call call{exchange, path, request_id};
  const bool password = path.ends_with("/password");
  if (password) {
    if (exchange.method == "PUT") return changePassword(call);
    throw sdk::Error(405, "method-not-allowed", "Method not allowed", "use PUT");
  }
  if (exchange.method == "POST") return signIn(call);
  if (exchange.method == "GET") return current(call);
  if (exchange.method == "DELETE") return signOut(call);
  throw sdk::Error(405, "method-not-allowed", "Method not allowed", "use POST, GET or DELETE");
}

std::optional<SignedInCaller> SessionEndpoints::authenticate(const HttpExchange& exchange,
                                                             soci::session& db,
                                                             std::string& refusal) {
  const std::string value = cookieValue(exchange.cookie, kSessionCookie);
  if (value.empty()) return std::nullopt;
  const auto session = SessionStore::find(db, value);
  const auto ended = [&](const std::string& why, const std::string& detail) {
    refusal = why;
    return sdk::Error(401, "session-ended", "Signed out", detail);
  };
  if (!session) throw ended("session unknown or ended", "the session has ended; sign in again");
  const std::int64_t now_epoch = nowEpoch();
  const auto& settings = config_.host.sessions;
  const bool idle = now_epoch - session->last_seen_epoch > settings.idle_timeout_minutes * 60LL;
  const bool expired = now_epoch >= session->expires_epoch;
  if (idle || expired) {
    Transaction transaction(*services_.database, db);
    SessionStore::end(db, session->id, now(), idle ? "idle" : "expired");
    transaction.commit();
    throw ended(idle ? "session idle" : "session expired",
                idle ? "the session ended after " + std::to_string(settings.idle_timeout_minutes) +
                           " minutes without use; sign in again"
                     : "the session reached its end of " +
                           std::to_string(settings.absolute_timeout_hours) +
                           " hours; sign in again");
  }
  const auto account = AccountStore::findByUserId(db, session->user_id);
  if (!account || account->disabled_at)
    throw ended("user disabled", "the user is disabled; ask the administrator");
  const bool write = exchange.method != "GET" && exchange.method != "HEAD";
  if (write && exchange.csrf_token != session->csrf_token) {
    refusal = "CSRF token missing or wrong";
    throw sdk::Error(403, "csrf-refused", "CSRF token refused",
                     "a write from the console carries the session's X-CSRF-Token header");
  }
  // The last-seen time is written at most once a minute: not every read becomes a write.
  if (now_epoch - session->last_seen_epoch >= 60) {
    Transaction transaction(*services_.database, db);
    SessionStore::touch(db, session->id, now_epoch);
    transaction.commit();
  }
  return SignedInCaller{account->grant, *session, account->must_change_password};
}

HttpReply SessionEndpoints::signIn(const Call& call) {
  const json body = readBody(call.exchange, signInSchema(), services_.clock.today());
  const std::string name = body["user"];
  const std::string password = body["password"];
  const auto& settings = config_.host.sessions;
  PooledSession lease(*services_.database);
  auto& db = lease.session();
  Transaction transaction(*services_.database, db);
  const auto account = AccountStore::find(db, name);
  const sdk::Error failed(401, "sign-in-failed", "Sign-in failed",
                          "the user name or the password is wrong");
  if (!account || account->disabled_at) {
    PasswordHasher::verify(decoyHash(), password);
    transaction.commit();
    securityEvent(call, name,
                  account ? "sign-in of a disabled user" : "sign-in of an unknown user");
    throw failed;
  }
  const std::int64_t now_epoch = nowEpoch();
  if (account->locked_until_epoch && *account->locked_until_epoch > now_epoch) {
    const std::string until = isoTimestamp(
        std::chrono::system_clock::time_point(std::chrono::seconds(*account->locked_until_epoch)));
    audit(db, *account, "session.sign_in_refused",
          {{"reason", {{"old", nullptr}, {"new", "locked"}}}}, call);
    transaction.commit();
    securityEvent(call, account->grant.user, "sign-in while locked");
    throw sdk::Error(423, "account-locked", "Account locked",
                     "the account is locked after " + std::to_string(settings.lockout_failures) +
                         " failed sign-ins until " + until + "; an administrator can unlock it");
  }
  if (!PasswordHasher::verify(account->password_hash, password)) {
    const std::int64_t until = now_epoch + settings.lockout_minutes * 60LL;
    const int failures =
        AccountStore::recordFailure(db, account->user_id, settings.lockout_failures, until);
    audit(db, *account, "session.sign_in_failed",
          {{"failed_sign_ins", {{"old", failures - 1}, {"new", failures}}}}, call);
    const bool locked = failures >= settings.lockout_failures;
    if (locked)
      audit(db, *account, "account.lock",
            {{"locked_until",
              {{"old", nullptr},
               {"new", isoTimestamp(
                           std::chrono::system_clock::time_point(std::chrono::seconds(until)))}}}},
            call);
    transaction.commit();
    securityEvent(call, account->grant.user,
                  locked ? "wrong password; account locked" : "wrong password");
    if (locked)
      throw sdk::Error(423, "account-locked", "Account locked",
                       "the account is locked for " + std::to_string(settings.lockout_minutes) +
                           " minutes after " + std::to_string(failures) +
                           " failed sign-ins; an administrator can unlock it");
    throw failed;
  }
  AccountStore::clearFailures(db, account->user_id);
  const std::int64_t expires = now_epoch + settings.absolute_timeout_hours * 3600LL;
  const OpenedSession opened = SessionStore::open(db, account->user_id, now(), now_epoch, expires);
  audit(db, *account, "session.sign_in",
        {{"session", {{"old", nullptr}, {"new", opened.record.id}}}}, call);
  transaction.commit();
  HttpReply reply = jsonAnswer(201, sessionJson(*account, opened.record));
  reply.headers.emplace_back("Set-Cookie", cookieHeader(call.exchange, opened.cookie_value, false));
  return reply;
}

HttpReply SessionEndpoints::current(const Call& call) {
  PooledSession lease(*services_.database);
  std::string refusal;
  auto signed_in = authenticate(call.exchange, lease.session(), refusal);
  if (!signed_in)
    throw sdk::Error(401, "unauthorized", "Not signed in", "sign in: POST /api/v1/session");
  const auto account = AccountStore::findByUserId(lease.session(), signed_in->session.user_id);
  return jsonAnswer(200, sessionJson(*account, signed_in->session));
}

HttpReply SessionEndpoints::signOut(const Call& call) {
  PooledSession lease(*services_.database);
  auto& db = lease.session();
  std::string refusal;
  auto signed_in = authenticate(call.exchange, db, refusal);
  if (!signed_in)
    throw sdk::Error(401, "unauthorized", "Not signed in", "there is no session to end");
  const auto account = AccountStore::findByUserId(db, signed_in->session.user_id);
  Transaction transaction(*services_.database, db);
  SessionStore::end(db, signed_in->session.id, now(), "signed out");
  audit(db, *account, "session.sign_out",
        {{"session", {{"old", signed_in->session.id}, {"new", nullptr}}}}, call);
  transaction.commit();
  HttpReply reply;
  reply.status = 204;
  reply.headers.emplace_back("Set-Cookie", cookieHeader(call.exchange, "", true));
  return reply;
}

HttpReply SessionEndpoints::changePassword(const Call& call) {
  PooledSession lease(*services_.database);
  auto& db = lease.session();
  std::string refusal;
  auto signed_in = authenticate(call.exchange, db, refusal);
  if (!signed_in) throw sdk::Error(401, "unauthorized", "Not signed in", "sign in first");
  const json body = readBody(call.exchange, passwordSchema(), services_.clock.today());
  const std::string current_password = body["current_password"];
  const std::string new_password = body["new_password"];
  Transaction transaction(*services_.database, db);
  const auto account = AccountStore::findByUserId(db, signed_in->session.user_id);
  if (!PasswordHasher::verify(account->password_hash, current_password)) {
    // A wrong current password counts like a failed sign-in: a stolen session cannot guess.
    const auto& settings = config_.host.sessions;
    AccountStore::recordFailure(db, account->user_id, settings.lockout_failures,
                                nowEpoch() + settings.lockout_minutes * 60LL);
    audit(db, *account, "account.password_change_refused",
          {{"reason", {{"old", nullptr}, {"new", "wrong current password"}}}}, call);
    transaction.commit();
    throw sdk::ValidationError("current_password", "incorrect", "the current password is wrong",
                               400);
  }
  if (auto error = PasswordPolicy::check(new_password, account->grant.user, "new_password"))
    throw sdk::ValidationError({*error}, 400);
  if (AccountStore::wasUsedBefore(*account, new_password))
    throw sdk::ValidationError("new_password", "reused",
                               "the new password is the current one or one of the last " +
                                   std::to_string(PasswordPolicy::kRememberedPasswords) +
                                   "; choose another",
                               400);
  AccountStore::setPassword(db, account->user_id, PasswordHasher::hash(new_password), false, now());
  // Other browsers signed in as this user are signed out: the password may have leaked.
  const int ended = SessionStore::endAllOf(db, account->user_id, now(), "password changed",
                                           signed_in->session.id);
  audit(db, *account, "account.password_change",
        {{"password_set_at", {{"old", account->password_set_at}, {"new", now()}}},
         {"must_change_password", {{"old", account->must_change_password}, {"new", false}}},
         {"other_sessions_ended", {{"old", nullptr}, {"new", ended}}}},
        call);
  transaction.commit();
  HttpReply reply;
  reply.status = 204;
  return reply;
}

json SessionEndpoints::sessionJson(const Account& account, const SessionRecord& session) const {
  json counties = json::array();
  for (const auto& code : account.grant.counties) {
    const CountyConfig* county = config_.county(code);
    if (county == nullptr) continue;  // granted but not served here
    json modules = json::array();
    for (const auto& module : county->modules)
      if (account.grant.modules.empty() ||
          std::find(account.grant.modules.begin(), account.grant.modules.end(), module) !=
              account.grant.modules.end())
        modules.push_back(module);
    counties.push_back(
        sdk::jsonObject({{"code", code},
                         {"name", {{"zh", county->name.zh}, {"en", county->name.en}}},
                         {"modules", modules}}));
  }
  return {{"user", account.grant.user},
          {"full_name", account.full_name},
          {"role", account.grant.role},
          {"counties", counties},
          {"townships", account.grant.townships},
          {"modules", account.grant.modules},
          {"csrf_token", session.csrf_token},
          {"must_change_password", account.must_change_password},
          {"idle_timeout_seconds", config_.host.sessions.idle_timeout_minutes * 60},
          {"expires_at", isoTimestamp(std::chrono::system_clock::time_point(
                             std::chrono::seconds(session.expires_epoch)))}};
}

std::string SessionEndpoints::cookieHeader(const HttpExchange& exchange, const std::string& value,
                                           bool expire) const {
  std::string header =
      std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (expire) header += "; Max-Age=0";
  if (config_.host.sessions.secure_cookie || config_.host.http.tls.enabled() ||
      exchange.forwarded_proto == "https")
    header += "; Secure";
  return header;
}

void SessionEndpoints::audit(soci::session& db, const Account& account, const std::string& action,
                             const json& changes, const Call& call) const {
  for (const auto& county : account.grant.counties) {
    AuditEntry entry;
    entry.at = now();
    entry.user = account.grant.user;
    entry.role = account.grant.role;
    entry.county = county;
    entry.module = "civ";
    entry.action = action;
    entry.entity_type = "user";
    entry.entity_id = account.grant.user;
    entry.summary = changes.dump();
    entry.request_id = call.request_id;
    AuditLog::append(db, services_.database->dialect(), std::move(entry));
  }
}

void SessionEndpoints::securityEvent(const Call& call, const std::string& user,
                                     const std::string& reason) const {
  SecurityEvent event;
  event.at = now();
  event.status = 401;
  event.user = user;
  event.method = call.exchange.method;
  event.path = call.path;
  event.reason = reason;
  SecurityEvents::record(*services_.database, event);
}

}  // namespace civ::host
