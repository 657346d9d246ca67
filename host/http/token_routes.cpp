#include "host/http/token_routes.h"

#include <chrono>
#include <stdexcept>

#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

#include "host/audit/audit_log.h"
#include "host/common/timestamp.h"
#include "host/http/short_list.h"
#include "host/routing/request_pipeline.h"
#include "host/security/token_store.h"
#include "host/storage/database.h"

namespace civ::host {

namespace {

using nlohmann::json;
using namespace sdk::schema;

json tokenItem() {
  return object({{"id", id()},
                 {"user", describe(text(64), {"用户名", "User"})},
                 {"role", text(20)},
                 {"counties", arrayOf(countyCode())},
                 {"townships", arrayOf(text(100))},
                 {"modules", arrayOf(text(40))},
                 {"created_at", timestamp()},
                 {"expires_at", describe(nullable(timestamp()), {"到期时间", "Expires at"})},
                 {"revoked_at", describe(nullable(timestamp()), {"吊销时间", "Revoked at"})}});
}

json tokenJson(const TokenRecord& token) {
  return sdk::jsonObject(
      {{"id", token.id},
       {"user", token.grant.user},
       {"role", token.grant.role},
       {"counties", token.grant.counties},
       {"townships", token.grant.townships},
       {"modules", token.grant.modules},
       {"created_at", token.created_at},
       {"expires_at", token.expires_at ? json(*token.expires_at) : json(nullptr)},
       {"revoked_at", token.revoked_at ? json(*token.revoked_at) : json(nullptr)}});
}

std::vector<std::string> strings(const json& body, const char* key) {
  std::vector<std::string> values;
  if (body.contains(key))
    for (const auto& value : body[key]) values.push_back(value.get<std::string>());
  return values;
}

void audit(sdk::Request& request, HostServices& services, const std::vector<std::string>& counties,
           const std::string& action, const std::string& user, const json& changes) {
  AuditEntry entry;
  entry.at = isoTimestamp(services.clock.now());
  entry.user = request.caller().user;
  entry.role = request.caller().role;
  entry.module = "civ";
  entry.action = action;
  entry.entity_type = "token";
  entry.entity_id = user;
  entry.summary = changes.dump();
  AuditLog::appendInCounties(request.db(), services.database->dialect(), counties, entry);
}

}  // namespace

void TokenRoutes::registerIn(RouteTable& routes) {
  const auto admin = [&](const sdk::Route& route,
                         sdk::Response (TokenRoutes::*handler)(sdk::Request&)) {
    routes.addHostRoute(
        kAdminHostRoutes, route,
        [this, handler](sdk::Request& request) { return (this->*handler)(request); }, true);
  };
  sdk::Route list_route = sdk::Route::get("/tokens");
  list_route.permission(sdk::Permission::Administer)
      .summary("接口令牌",
               "API tokens of the administrator's counties, newest first (never "
               "their values)");
  admin(shortList(list_route, tokenItem()), &TokenRoutes::list);
  admin(
      sdk::Route::post("/tokens")
          .permission(sdk::Permission::Administer)
          .summary("签发令牌",
                   "Issue an API token for a program; the value is shown once "
                   "(audited)")
          .body(object(
              {{"user",
                describe({{"type", "string"}, {"pattern", "^[A-Za-z][A-Za-z0-9_.@-]{0,63}$"}},
                         {"用户名", "The user the token belongs to"})},
               {"role", enumOf({"clerk", "reviewer", "approver", "auditor", "admin"})},
               {"counties", describe(arrayOf(countyCode(), 100, 1), {"县（区）", "Counties"})},
               {"townships", optional(describe(arrayOf(text(100), 200),
                                               {"乡镇（街道）", "Townships; none: all"}))},
               {"modules",
                optional(describe(arrayOf(text(40), 50), {"业务模块", "Modules; none: all"}))},
               {"expires_in_days",
                optional(describe(integer(1, 3660), {"有效天数", "Days until it expires (90)"}))}}))
          .created(object(
              {{"token", describe(text(100), {"令牌", "Shown once"})}, {"record", tokenItem()}})),
      &TokenRoutes::issue);
  admin(sdk::Route::post("/tokens/{id}/revoke")
            .permission(sdk::Permission::Administer)
            .pathId("id")
            .summary("吊销令牌", "Revoke a token at once (audited)")
            .ok(tokenItem()),
        &TokenRoutes::revoke);
}

sdk::Response TokenRoutes::list(sdk::Request& request) {
  const auto page = shortPage(request);
  const auto& caller = request.caller();
  json items = json::array();
  for (const auto& token : TokenStore::list(request.db())) {
    // Only tokens that stay within the administrator's counties.
    bool mine = true;
    for (const auto& county : token.grant.counties)
      mine = mine && std::find(caller.counties.begin(), caller.counties.end(), county) !=
                         caller.counties.end();
    if (mine) items.push_back(tokenJson(token));
  }
  return sdk::Response::ok(page.answerInMemory(std::move(items)));
}

sdk::Response TokenRoutes::issue(sdk::Request& request) {
  const json& body = request.body();
  sdk::Caller grant{body["user"], body["role"], strings(body, "counties"), strings(body, "modules"),
                    strings(body, "townships")};
  for (const auto& county : grant.counties)
    authorize(request.caller(), county, nullptr, sdk::Permission::Administer);
  IssuedToken issued;
  try {
    issued = TokenStore::issue(request.db(), grant, isoTimestamp(services_.clock.now()),
                               body.value("expires_in_days", TokenStore::kDefaultLifetimeDays));
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    const std::string field = message.substr(0, message.find_first_of(" :"));
    throw sdk::ValidationError(field.starts_with("--") ? "user" : field, "grant", message);
  }
  const auto record = TokenStore::list(request.db()).front();  // newest first: this one
  audit(request, services_, issued.caller.counties, "token.issue", issued.caller.user,
        {{"role", {{"old", nullptr}, {"new", issued.caller.role}}},
         {"modules", {{"old", nullptr}, {"new", issued.caller.modules}}},
         {"townships", {{"old", nullptr}, {"new", issued.caller.townships}}},
         {"expires_at", {{"old", nullptr}, {"new", issued.expires_at}}}});
  return sdk::Response::withStatus(201, {{"token", issued.token}, {"record", tokenJson(record)}});
}

sdk::Response TokenRoutes::revoke(sdk::Request& request) {
  const auto id = std::stoll(request.pathParam("id"));
  const auto token = TokenStore::find(request.db(), id);
  if (!token) throw sdk::NotFound("no token " + std::to_string(id));
  for (const auto& county : token->grant.counties)
    authorize(request.caller(), county, nullptr, sdk::Permission::Administer);
  if (token->revoked_at)
    throw sdk::Error(409, "already-revoked", "Already revoked",
                     "token " + std::to_string(id) + " was revoked on " + *token->revoked_at);
  const std::string now = isoTimestamp(services_.clock.now());
  TokenStore::revokeById(request.db(), id, now);
  audit(request, services_, token->grant.counties, "token.revoke", token->grant.user,
        {{"token", {{"old", id}, {"new", nullptr}}},
         {"revoked_at", {{"old", nullptr}, {"new", now}}}});
  return sdk::Response::ok(tokenJson(*TokenStore::find(request.db(), id)));
}

}  // namespace civ::host
