#include "host/http/user_routes.h"

#include <algorithm>
#include <set>

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

#include "host/audit/audit_log.h"
#include "host/common/timestamp.h"
#include "host/http/short_list.h"
#include "host/routing/request_pipeline.h"
#include "host/security/account_store.h"
#include "host/security/grant.h"
#include "host/security/password_hasher.h"
#include "host/security/password_policy.h"
#include "host/security/session_store.h"
#include "host/security/token_store.h"
#include "host/storage/database.h"

namespace civ::host {

namespace {

using nlohmann::json;
using namespace sdk::schema;

json roleSchema() {
  return enumOf({{"clerk", {"经办人", "clerk"}},
                 {"reviewer", {"审核人", "reviewer"}},
                 {"approver", {"审批人", "approver"}},
                 {"auditor", {"审计员", "auditor"}},
                 {"admin", {"管理员", "administrator"}}});
}

json userName() {
  return describe({{"type", "string"}, {"pattern", "^[A-Za-z][A-Za-z0-9_.@-]{0,63}$"}},
                  {"用户名", "User name: a letter, then letters, digits or _.@-"});
}

json userItem() {
  return object(
      {{"name", text(64)},
       {"full_name", describe(text(100, 0), {"姓名", "Full name"})},
       {"created_at", timestamp()},
       {"disabled_at", nullable(timestamp())},
       {"active_tokens", describe(integer(0), {"有效令牌", "Active API tokens"})},
       {"account",
        nullable(object(
            {{"role", roleSchema()},
             {"counties", arrayOf(countyCode())},
             {"townships", arrayOf(text(100))},
             {"modules", arrayOf(text(40))},
             {"must_change_password", describe(boolean(), {"须改密码", "Must change password"})},
             {"password_set_at", timestamp()},
             {"failed_sign_ins",
              describe(integer(0), {"连续失败次数", "Failed sign-ins in a row"})},
             {"locked_until", nullable(timestamp())}}))}});
}

json initialPassword() {
  return describe(text(128), {"初始密码",
                              "Initial password, changed at the first sign-in (10+ characters, "
                              "three of upper case, lower case, digits, others)"});
}

std::vector<std::string> strings(const json& body, const char* key) {
  std::vector<std::string> values;
  if (body.contains(key))
    for (const auto& value : body[key]) values.push_back(value.get<std::string>());
  return values;
}

std::string epochTimestamp(std::int64_t epoch) {
  return isoTimestamp(std::chrono::system_clock::time_point(std::chrono::seconds(epoch)));
}

/// The counties a user works in: their unrevoked tokens' and their account's.
std::vector<std::string> countiesOf(soci::session& db, const UserRecord& user) {
  std::set<std::string> counties;
  for (const auto& county : UserStore::tokenCounties(db, user.id)) counties.insert(county);
  if (const auto account = AccountStore::findByUserId(db, user.id))
    counties.insert(account->grant.counties.begin(), account->grant.counties.end());
  return {counties.begin(), counties.end()};
}

void checkPassword(const std::string& password, const std::string& user) {
  if (auto error = PasswordPolicy::check(password, user, "initial_password"))
    throw sdk::ValidationError({*error}, 422);
}

/// A grant from the body, checked; std::invalid_argument becomes a 422 naming the field.
sdk::Caller grantFrom(const json& body, const std::string& user, const sdk::Caller* before) {
  sdk::Caller grant = before != nullptr ? *before : sdk::Caller{};
  grant.user = user;
  if (body.contains("role")) grant.role = body["role"];
  if (body.contains("counties")) grant.counties = strings(body, "counties");
  if (body.contains("townships")) grant.townships = strings(body, "townships");
  if (body.contains("modules")) grant.modules = strings(body, "modules");
  try {
    checkGrant(grant);
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    const std::string field = message.substr(0, message.find_first_of(" :"));
    throw sdk::ValidationError(field, "grant", message);
  }
  return grant;
}

}  // namespace

void UserRoutes::registerIn(RouteTable& routes) {
  const auto admin = [&](const sdk::Route& route,
                         sdk::Response (UserRoutes::*handler)(sdk::Request&)) {
    routes.addHostRoute(
        kAdminHostRoutes, route,
        [this, handler](sdk::Request& request) { return (this->*handler)(request); }, true);
  };
  sdk::Route list_route = sdk::Route::get("/users");
  list_route.permission(sdk::Permission::Administer)
      .summary("用户",
               "Users with their console accounts (names are unique without regard to "
               "case)")
      .console({{"record", "user"}});
  admin(shortList(list_route, userItem()), &UserRoutes::list);
  admin(
      sdk::Route::post("/users")
          .permission(sdk::Permission::Administer)
          .summary("新增用户",
                   "Add a user; with a role, counties and an initial password they "
                   "can sign in to the console (audited)")
          .body(object({{"name", userName()},
                        {"full_name", optional(describe(text(100, 0), {"姓名", "Full name"}))},
                        {"role", optional(roleSchema())},
                        {"counties", optional(describe(arrayOf(countyCode(), 100, 1),
                                                       {"县（区）", "Counties in scope"}))},
                        {"townships", optional(describe(arrayOf(text(100), 200),
                                                        {"乡镇（街道）", "Townships; none: all"}))},
                        {"modules", optional(describe(arrayOf(text(40), 50),
                                                      {"业务模块", "Modules; none: all"}))},
                        {"initial_password", optional(initialPassword())}}))
          .created(userItem()),
      &UserRoutes::add);
  admin(
      sdk::Route::patch("/users/{name}")
          .permission(sdk::Permission::Administer)
          .pathParam("name", text(64))
          .summary("修改用户",
                   "Change a user's name, role or scope; their console sessions end "
                   "(audited)")
          .body(object({{"full_name", optional(describe(text(100, 0), {"姓名", "Full name"}))},
                        {"role", optional(roleSchema())},
                        {"counties", optional(describe(arrayOf(countyCode(), 100, 1),
                                                       {"县（区）", "Counties in scope"}))},
                        {"townships", optional(describe(arrayOf(text(100), 200),
                                                        {"乡镇（街道）", "Townships; none: all"}))},
                        {"modules", optional(describe(arrayOf(text(40), 50),
                                                      {"业务模块", "Modules; none: all"}))}}))
          .ok(userItem()),
      &UserRoutes::update);
  admin(sdk::Route::post("/users/{name}/password-reset")
            .permission(sdk::Permission::Administer)
            .pathParam("name", text(64))
            .summary("重置密码",
                     "Set a new initial password, to be changed at the next sign-in; "
                     "the user's sessions end (audited)")
            .body(object({{"initial_password", initialPassword()}}))
            .ok(userItem()),
        &UserRoutes::resetPassword);
  admin(sdk::Route::post("/users/{name}/unlock")
            .permission(sdk::Permission::Administer)
            .pathParam("name", text(64))
            .summary("解除锁定", "Unlock an account locked after failed sign-ins (audited)")
            .ok(userItem()),
        &UserRoutes::unlock);
  admin(sdk::Route::post("/users/{name}/disable")
            .permission(sdk::Permission::Administer)
            .pathParam("name", text(64))
            .summary("停用用户", "Disable a user: tokens revoked, sessions ended (audited)")
            .ok(userItem()),
        &UserRoutes::disable);
}

json UserRoutes::userJson(soci::session& db, const UserRecord& user) const {
  json item =
      sdk::jsonObject({{"name", user.name},
                       {"full_name", user.full_name},
                       {"created_at", user.created_at},
                       {"disabled_at", user.disabled_at ? json(*user.disabled_at) : json(nullptr)},
                       {"active_tokens", user.active_tokens},
                       {"account", nullptr}});
  if (const auto account = AccountStore::findByUserId(db, user.id)) {
    const auto now_epoch =
        std::chrono::duration_cast<std::chrono::seconds>(services_.clock.now().time_since_epoch())
            .count();
    const bool locked = account->locked_until_epoch && *account->locked_until_epoch > now_epoch;
    item["account"] = {{"role", account->grant.role},
                       {"counties", account->grant.counties},
                       {"townships", account->grant.townships},
                       {"modules", account->grant.modules},
                       {"must_change_password", account->must_change_password},
                       {"password_set_at", account->password_set_at},
                       {"failed_sign_ins", account->failed_sign_ins},
                       {"locked_until", locked ? json(epochTimestamp(*account->locked_until_epoch))
                                               : json(nullptr)}};
  }
  return item;
}

void UserRoutes::audit(sdk::Request& request, const std::vector<std::string>& counties,
                       const std::string& action, const std::string& user, const json& changes) {
  const sdk::Caller& caller = request.caller();
  AuditEntry entry;
  entry.at = isoTimestamp(services_.clock.now());
  entry.user = caller.user;
  entry.role = caller.role;
  entry.module = "civ";
  entry.action = action;
  entry.entity_type = "user";
  entry.entity_id = user;
  entry.summary = changes.dump();
  // In the counties the user works in (all the caller's, checked before); a user with none yet
  // is recorded in every county of the administrator's.
  AuditLog::appendInCounties(request.db(), services_.database->dialect(),
                             counties.empty() ? caller.counties : counties, entry);
}

UserRecord UserRoutes::administeredUser(sdk::Request& request, bool own_refused) {
  const std::string& name = request.pathParam("name");
  const auto user = UserStore::find(request.db(), name);
  if (!user) throw sdk::NotFound("no user '" + name + "'");
  if (own_refused && sdk::sameUser(user->name, request.caller().user))
    throw sdk::Error(409, "own-account", "Own account",
                     "an administrator may not change their own account here; another must (or "
                     "change your password: PUT /api/v1/session/password)");
  // Users are the host's, but a county's administrator acts only on people working in counties
  // they administer: every county the user's tokens and account reach must be theirs.
  for (const auto& county : countiesOf(request.db(), *user))
    authorize(request.caller(), county, nullptr, sdk::Permission::Administer);
  return *user;
}

sdk::Response UserRoutes::list(sdk::Request& request) {
  const auto page = shortPage(request);
  json items = json::array();
  for (const auto& user : UserStore::list(request.db()))
    items.push_back(userJson(request.db(), user));
  return sdk::Response::ok(page.answerInMemory(std::move(items)));
}

sdk::Response UserRoutes::add(sdk::Request& request) {
  const json& body = request.body();
  const std::string name = body["name"];
  if (auto existing = UserStore::find(request.db(), name))
    throw sdk::Error(409, "user-exists", "User exists",
                     "user " + existing->name + " already exists (names ignore case)");
  const bool with_account =
      body.contains("role") || body.contains("counties") || body.contains("initial_password");
  std::optional<sdk::Caller> grant;
  if (with_account) {
    for (const char* field : {"role", "counties", "initial_password"})
      if (!body.contains(field))
        throw sdk::ValidationError(field, "required",
                                   "a user who signs in needs a role, counties and an initial "
                                   "password");
    grant = grantFrom(body, name, nullptr);
    for (const auto& county : grant->counties)
      authorize(request.caller(), county, nullptr, sdk::Permission::Administer);
    checkPassword(body["initial_password"], name);
  }
  const std::string now = isoTimestamp(services_.clock.now());
  const auto user = UserStore::add(request.db(), name, body.value("full_name", ""), now);
  json changes = {{"name", {{"old", nullptr}, {"new", user.name}}},
                  {"full_name", {{"old", nullptr}, {"new", user.full_name}}}};
  if (grant) {
    AccountStore::create(request.db(), user.id, *grant,
                         PasswordHasher::hash(body["initial_password"]), now);
    changes["role"] = {{"old", nullptr}, {"new", grant->role}};
    changes["counties"] = {{"old", nullptr}, {"new", grant->counties}};
    changes["townships"] = {{"old", nullptr}, {"new", grant->townships}};
    changes["modules"] = {{"old", nullptr}, {"new", grant->modules}};
    changes["initial_password"] = {{"old", nullptr}, {"new", "set"}};
  }
  audit(request, grant ? grant->counties : std::vector<std::string>{}, "user.add", user.name,
        changes);
  return sdk::Response::withStatus(201, userJson(request.db(), user));
}

sdk::Response UserRoutes::update(sdk::Request& request) {
  const json& body = request.body();
  const bool grant_change = body.contains("role") || body.contains("counties") ||
                            body.contains("townships") || body.contains("modules");
  const UserRecord user = administeredUser(request, grant_change);
  const auto before_counties = countiesOf(request.db(), user);
  json changes = json::object();
  if (body.contains("full_name") && body["full_name"] != user.full_name) {
    UserStore::setFullName(request.db(), user.id, body["full_name"]);
    changes["full_name"] = {{"old", user.full_name}, {"new", body["full_name"]}};
  }
  if (grant_change) {
    const auto account = AccountStore::findByUserId(request.db(), user.id);
    if (!account)
      throw sdk::Error(409, "no-account", "No account",
                       "user " + user.name +
                           " has no console account; add one by creating the "
                           "user with a role, counties and an initial password");
    const sdk::Caller grant = grantFrom(body, user.name, &account->grant);
    for (const auto& county : grant.counties)
      authorize(request.caller(), county, nullptr, sdk::Permission::Administer);
    AccountStore::setGrant(request.db(), user.id, grant);
    const auto note = [&](const char* field, const json& old_value, const json& new_value) {
      if (old_value != new_value) changes[field] = {{"old", old_value}, {"new", new_value}};
    };
    note("role", account->grant.role, grant.role);
    note("counties", account->grant.counties, grant.counties);
    note("townships", account->grant.townships, grant.townships);
    note("modules", account->grant.modules, grant.modules);
    // What the open sessions were allowed no longer holds.
    const int ended = SessionStore::endAllOf(request.db(), user.id,
                                             isoTimestamp(services_.clock.now()), "grant changed");
    if (ended > 0) changes["sessions_ended"] = {{"old", nullptr}, {"new", ended}};
  }
  if (changes.empty())
    throw sdk::Error(409, "unchanged", "Nothing would change",
                     "the request names the values user " + user.name + " already has");
  auto counties = before_counties;
  for (const auto& county : countiesOf(request.db(), user))
    if (std::find(counties.begin(), counties.end(), county) == counties.end())
      counties.push_back(county);
  audit(request, counties, "user.update", user.name, changes);
  return sdk::Response::ok(userJson(request.db(), *UserStore::find(request.db(), user.name)));
}

sdk::Response UserRoutes::resetPassword(sdk::Request& request) {
  const UserRecord user = administeredUser(request, true);
  const auto account = AccountStore::findByUserId(request.db(), user.id);
  if (!account)
    throw sdk::Error(409, "no-account", "No account",
                     "user " + user.name + " has no console account");
  const std::string password = request.body()["initial_password"];
  checkPassword(password, user.name);
  const std::string now = isoTimestamp(services_.clock.now());
  AccountStore::setPassword(request.db(), user.id, PasswordHasher::hash(password), true, now);
  const int ended = SessionStore::endAllOf(request.db(), user.id, now, "password reset");
  audit(request, countiesOf(request.db(), user), "user.password_reset", user.name,
        {{"password_set_at", {{"old", account->password_set_at}, {"new", now}}},
         {"must_change_password", {{"old", account->must_change_password}, {"new", true}}},
         {"sessions_ended", {{"old", nullptr}, {"new", ended}}}});
  return sdk::Response::ok(userJson(request.db(), user));
}

sdk::Response UserRoutes::unlock(sdk::Request& request) {
  const UserRecord user = administeredUser(request, false);
  const auto account = AccountStore::findByUserId(request.db(), user.id);
  if (!account || (account->failed_sign_ins == 0 && !account->locked_until_epoch))
    throw sdk::Error(409, "not-locked", "Not locked",
                     "user " + user.name + " is not locked and has no failed sign-ins");
  AccountStore::clearFailures(request.db(), user.id);
  audit(request, countiesOf(request.db(), user), "user.unlock", user.name,
        {{"failed_sign_ins", {{"old", account->failed_sign_ins}, {"new", 0}}},
         {"locked_until",
          {{"old", account->locked_until_epoch ? json(epochTimestamp(*account->locked_until_epoch))
                                               : json(nullptr)},
           {"new", nullptr}}}});
  return sdk::Response::ok(userJson(request.db(), user));
}

sdk::Response UserRoutes::disable(sdk::Request& request) {
  const UserRecord user = administeredUser(request, false);
  if (user.disabled_at)
    throw sdk::Error(409, "already-disabled", "Already disabled",
                     "user " + user.name + " was disabled on " + *user.disabled_at);
  if (sdk::sameUser(user.name, request.caller().user))
    throw sdk::Error(409, "own-account", "Own account",
                     "an administrator may not disable their own account; another must");
  const auto counties = countiesOf(request.db(), user);
  UserStore::disable(request.db(), user.name, isoTimestamp(services_.clock.now()));
  const auto after = *UserStore::find(request.db(), user.name);
  audit(request, counties, "user.disable", after.name,
        {{"disabled_at", {{"old", nullptr}, {"new", *after.disabled_at}}},
         {"revoked_tokens", {{"old", user.active_tokens}, {"new", 0}}}});
  return sdk::Response::ok(userJson(request.db(), after));
}

}  // namespace civ::host
