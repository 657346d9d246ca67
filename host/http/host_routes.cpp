#include "host/http/host_routes.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/json_schema.h>

#include "host/audit/audit_log.h"
#include "host/common/timestamp.h"
#include "host/http/json_body.h"
#include "host/policy/policy_repository.h"
#include "host/routing/route_table.h"
#include "host/security/security_events.h"
#include "host/security/user_store.h"
#include "host/storage/transaction.h"

namespace civ::host {

namespace {

using nlohmann::json;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string joinList(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

/// The body, checked against `schema` (400 naming each field and rule).
json parseBody(const HttpExchange& exchange, const json& schema, sdk::Date today) {
  json body = parseJsonBody(exchange);
  if (body.is_null())
    throw sdk::ValidationError("(body)", "required", "this route needs a JSON body", 400);
  auto errors = sdk::validateJson(schema, body, today);
  if (!errors.empty()) throw sdk::ValidationError(std::move(errors), 400);
  return body;
}

}  // namespace

void authorize(const sdk::Caller& caller, const std::string& county, const std::string* module,
               sdk::Permission permission) {
  if (!contains(caller.counties, county))
    throw sdk::Error(403, "out-of-scope", "Out of scope",
                     "the token of " + caller.user + " covers counties " +
                         joinList(caller.counties) + ", not " + county);
  if (module != nullptr && !caller.modules.empty() && !contains(caller.modules, *module))
    throw sdk::Error(403, "out-of-scope", "Out of scope",
                     "the token of " + caller.user + " covers modules " + joinList(caller.modules) +
                         ", not " + *module);
  if (!sdk::roleGrants(caller.role, permission))
    throw sdk::Error(
        403, "forbidden", "Not permitted",
        "role " + caller.role + " may not " + std::string(toString(permission)) + " here");
}

HostRoutes::HostRoutes(const Config& config, HostServices& services,
                       const std::vector<PluginRecord>& plugins, bool test_clock)
    : config_(config), services_(services), plugins_(plugins), test_clock_(test_clock) {}

std::vector<std::string> HostRoutes::reloadPolicy() {
  PooledSession lease(*services_.database);
  return services_.policy.replaceApiValues(PolicyRepository::loadApiValues(lease.session()));
}

namespace {

// The host's lists follow the SDK's list convention (list.h): the audit trail pages by keyset on
// its ids, oldest first; the short lists (counties, parameters) by offset in their natural order.
const sdk::ListSpec kAuditList{{}, "id", 100, 500};
const sdk::ListSpec kShortList{{}, "natural", 100, 500};

std::optional<std::string> optionalParam(const QueryParams& query, const char* name) {
  auto it = query.find(name);
  return it == query.end() ? std::nullopt : std::optional(it->second);
}

/// As for module routes: a query parameter the route does not take is a 400 naming it (an old
/// client's after_id must not silently page from the start forever).
void refuseUnknown(const QueryParams& query, std::initializer_list<const char*> known) {
  for (const auto& entry : query) {
    const std::string& name = entry.first;  // not a structured binding: clang 14 cannot capture one
    if (std::any_of(known.begin(), known.end(), [&](const char* k) { return name == k; })) continue;
    std::string list;
    for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw sdk::ValidationError(
        name, "unknown_parameter",
        "this route has no query parameter '" + name + "'; it takes: " + list, 400);
  }
}

sdk::ListRequest listRequest(const QueryParams& query, const sdk::ListSpec& spec) {
  if (query.count("sort") != 0 && &spec == &kShortList)
    throw sdk::ValidationError("sort", "unknown_parameter",
                               "this list has one order; it takes limit and cursor", 400);
  // The spec's default sort is accepted as is (the short lists are never sorted by a client).
  sdk::ListSpec with_default = spec;
  if (&spec == &kShortList) with_default.sortable = {"natural"};
  return sdk::ListRequest::from(optionalParam(query, "limit"), optionalParam(query, "sort"),
                                optionalParam(query, "cursor"), with_default);
}

}  // namespace

HttpReply HostRoutes::admin(const HttpExchange& exchange, const sdk::Caller& caller,
                            const std::string& rest, const QueryParams& query) {
  if (!sdk::roleGrants(caller.role, sdk::Permission::Administer))
    throw sdk::Error(403, "forbidden", "Not permitted",
                     "role " + caller.role + " may not administer");
  if (exchange.method == "GET" && rest == "counties") return counties(caller, query);
  if (exchange.method == "GET" && rest.starts_with("counties/"))
    return county(caller, rest.substr(9));
  if (exchange.method == "GET" && rest == "parameters") return parameters(caller, query);
  if (exchange.method == "POST" && rest == "parameters") return setParameter(exchange, caller);
  if (exchange.method == "POST" && rest == "clock" && test_clock_)
    return moveClock(exchange, caller);
  if (exchange.method == "GET" && rest == "users") return users(query);
  if (exchange.method == "POST" && rest == "users") return addUser(exchange, caller);
  if (exchange.method == "POST" && rest.starts_with("users/") && rest.ends_with("/disable"))
    return disableUser(caller, rest.substr(6, rest.size() - 6 - 8));
  throw sdk::NotFound("no admin resource " + exchange.method + " /api/v1/admin/" + rest);
}

HttpReply HostRoutes::counties(const sdk::Caller& caller, const QueryParams& query) {
  refuseUnknown(query, {"limit", "cursor"});
  const auto page = listRequest(query, kShortList);
  json list = json::array();
  for (const auto& county : config_.counties) {
    if (!contains(caller.counties, county.code)) continue;
    list.push_back({{"code", county.code},
                    {"name", {{"zh", county.name.zh}, {"en", county.name.en}}},
                    {"modules", county.modules}});
  }
  return jsonReply(200, page.answerInMemory(std::move(list)));
}

json HostRoutes::parameterJson(const std::string& full_key, const std::string& county,
                               sdk::Date today) const {
  const auto declaration = services_.policy.declaration(full_key);
  const auto in_force = services_.policy.resolve(county, full_key, today);
  json history = json::array();
  for (const auto& value : services_.policy.history(full_key)) {
    if (!county.starts_with(value.level)) continue;
    history.push_back({{"level", value.level},
                       {"effective_from", value.effective_from.toString()},
                       {"value", value.value},
                       {"source", value.source}});
  }
  json item = {
      {"key", full_key},
      {"type", toString(declaration->type)},
      {"unit", declaration->unit},
      {"default", declaration->default_value},
      {"description", {{"zh", declaration->description.zh}, {"en", declaration->description.en}}},
      {"value", in_force ? in_force->value : declaration->default_value},
      {"level", in_force ? json(in_force->level) : json("default")},
      {"effective_from", in_force ? json(in_force->effective_from.toString()) : json(nullptr)},
      {"history", history}};
  if (declaration->minimum) item["minimum"] = *declaration->minimum;
  if (declaration->maximum) item["maximum"] = *declaration->maximum;
  if (!declaration->allowed.empty()) item["allowed"] = declaration->allowed;
  return item;
}

HttpReply HostRoutes::county(const sdk::Caller& caller, const std::string& code) {
  const CountyConfig* county = config_.county(code);
  if (county == nullptr)
    throw sdk::Error(404, "unknown-county", "Unknown county",
                     "county '" + code + "' is not configured");
  authorize(caller, code, nullptr, sdk::Permission::Administer);
  const sdk::Date today = services_.clock.today();
  json parameters = json::array();
  for (const auto& key : services_.policy.keys()) {
    const std::string module = key.substr(0, key.find('.'));
    if (contains(county->modules, module)) parameters.push_back(parameterJson(key, code, today));
  }
  return jsonReply(200, {{"code", county->code},
                         {"name", {{"zh", county->name.zh}, {"en", county->name.en}}},
                         {"modules", county->modules},
                         {"today", today.toString()},
                         {"parameters", parameters}});
}

HttpReply HostRoutes::parameters(const sdk::Caller& caller, const QueryParams& query) {
  auto county_it = query.find("county");
  if (county_it == query.end())
    throw sdk::ValidationError("county", "required", "give ?county=<six-digit code>", 400);
  const CountyConfig* county = config_.county(county_it->second);
  if (county == nullptr)
    throw sdk::Error(404, "unknown-county", "Unknown county",
                     "county '" + county_it->second + "' is not configured");
  authorize(caller, county->code, nullptr, sdk::Permission::Administer);
  refuseUnknown(query, {"county", "module", "limit", "cursor"});
  auto module_it = query.find("module");
  const auto page = listRequest(query, kShortList);
  const sdk::Date today = services_.clock.today();
  json list = json::array();
  for (const auto& key : services_.policy.keys()) {
    const std::string module = key.substr(0, key.find('.'));
    if (!contains(county->modules, module)) continue;
    if (module_it != query.end() && module_it->second != module) continue;
    list.push_back(parameterJson(key, county->code, today));
  }
  return jsonReply(200, page.answerInMemory(std::move(list)));
}

HttpReply HostRoutes::setParameter(const HttpExchange& exchange, const sdk::Caller& caller) {
  static const json schema = {
      {"type", "object"},
      {"required", {"level", "key", "value", "effective_from", "reason"}},
      {"properties",
       {{"level", {{"type", "string"}, {"pattern", "^([0-9]{2}|[0-9]{4}|[0-9]{6})$"}}},
        {"key", {{"type", "string"}, {"maxLength", 200}}},
        {"value", {{"type", "string"}, {"maxLength", 200}}},
        {"effective_from", {{"type", "string"}, {"format", "date"}}},
        {"reason", {{"type", "string"}, {"minLength", 1}, {"maxLength", 500}}}}}};
  const sdk::Date today = services_.clock.today();
  const json body = parseBody(exchange, schema, today);
  const std::string level = body["level"];
  const std::string key = body["key"];
  const auto declaration = services_.policy.declaration(key);
  if (!declaration)
    throw sdk::ValidationError("key", "declared",
                               "no loaded module declares parameter '" + key + "'");
  if (!sdk::isRegionPrefix(level))
    throw sdk::ValidationError(
        "level", "region_prefix",
        "'" + level + "' is not a GB/T 2260 province, prefecture or county code");
  auto check = sdk::checkParameterValue(*declaration, body["value"].get<std::string>());
  if (!check.canonical) throw sdk::ValidationError("value", "declared_bounds", check.problem);
  if (auto problem = sdk::checkParameterLevel(*declaration, level))
    throw sdk::ValidationError("level", "declared_level", *problem);
  const sdk::Date from = *sdk::Date::parse(body["effective_from"].get<std::string>());
  if (from < today)
    throw sdk::ValidationError("effective_from", "not_past",
                               "effective_from " + from.toString() + " is before today (" +
                                   today.toString() + "): history is never rewritten");
  // The admin must hold every configured county the level covers.
  std::vector<std::string> affected;
  for (const auto& county : config_.counties)
    if (county.code.starts_with(level)) affected.push_back(county.code);
  if (affected.empty())
    throw sdk::ValidationError("level", "configured",
                               "no configured county lies under level " + level);
  for (const auto& code : affected) authorize(caller, code, nullptr, sdk::Permission::Administer);

  const std::string now = isoTimestamp(services_.clock.now());
  PolicyValue value{level, from, *check.canonical, "admin API: " + caller.user + " at " + now,
                    true};
  const auto previous = services_.policy.resolve(affected.front(), key, from);
  {
    PooledSession lease(*services_.database);
    Transaction transaction(*services_.database, lease.session());
    PolicyRepository::insert(lease.session(), key, value, caller.user, now, body["reason"]);
    for (const auto& code : affected) {
      AuditEntry entry;
      entry.at = now;
      entry.user = caller.user;
      entry.role = caller.role;
      entry.county = code;
      entry.module = "civ";
      entry.action = "parameter.set";
      entry.entity_type = "parameter";
      entry.entity_id = key + "@" + level + "@" + from.toString();
      entry.summary =
          json{{"value",
                {{"old", previous ? json(previous->value) : json(nullptr)}, {"new", value.value}}},
               {"reason", body["reason"]}}
              .dump();
      AuditLog::append(lease.session(), services_.database->dialect(), std::move(entry));
    }
    transaction.commit();
  }
  reloadPolicy();
  return jsonReply(201, {{"key", key},
                         {"level", level},
                         {"effective_from", from.toString()},
                         {"value", value.value},
                         {"counties", affected}});
}

HttpReply HostRoutes::moveClock(const HttpExchange& exchange, const sdk::Caller& caller) {
  static const json schema = {
      {"type", "object"},
      {"required", {"today"}},
      {"properties", {{"today", {{"type", "string"}, {"format", "date"}}}}}};
  const json body = parseBody(exchange, schema, services_.clock.today());
  const std::string before = services_.clock.today().toString();
  services_.clock.moveTo(*sdk::Date::parse(body["today"].get<std::string>()));
  {
    // A test clock that moves changes every deadline: audited like any change.
    PooledSession lease(*services_.database);
    Transaction transaction(*services_.database, lease.session());
    auditHostChange(lease.session(), caller, "clock.move", "clock", "today",
                    {{"today", {{"old", before}, {"new", services_.clock.today().toString()}}}});
    transaction.commit();
  }
  return jsonReply(200, {{"today", services_.clock.today().toString()}});
}

namespace {

json userJson(const UserRecord& user) {
  return {{"name", user.name},
          {"full_name", user.full_name},
          {"created_at", user.created_at},
          {"disabled_at", user.disabled_at ? json(*user.disabled_at) : json(nullptr)},
          {"active_tokens", user.active_tokens}};
}

}  // namespace

void HostRoutes::auditHostChange(soci::session& db, const sdk::Caller& caller,
                                 const std::string& action, const std::string& entity_type,
                                 const std::string& entity_id, const json& changes) {
  const std::string now = isoTimestamp(services_.clock.now());
  for (const auto& county : caller.counties) {
    AuditEntry entry;
    entry.at = now;
    entry.user = caller.user;
    entry.role = caller.role;
    entry.county = county;
    entry.module = "civ";
    entry.action = action;
    entry.entity_type = entity_type;
    entry.entity_id = entity_id;
    entry.summary = changes.dump();
    AuditLog::append(db, services_.database->dialect(), std::move(entry));
  }
}

HttpReply HostRoutes::users(const QueryParams& query) {
  refuseUnknown(query, {"limit", "cursor"});
  const auto page = listRequest(query, kShortList);
  PooledSession lease(*services_.database);
  json list = json::array();
  for (const auto& user : UserStore::list(lease.session())) list.push_back(userJson(user));
  return jsonReply(200, page.answerInMemory(std::move(list)));
}

HttpReply HostRoutes::addUser(const HttpExchange& exchange, const sdk::Caller& caller) {
  static const json schema = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"name"}},
      {"properties",
       {{"name", {{"type", "string"}, {"pattern", "^[A-Za-z0-9_.@-]{1,64}$"}}},
        {"full_name", {{"type", "string"}, {"maxLength", 100}}}}}};
  const json body = parseBody(exchange, schema, services_.clock.today());
  const std::string name = body["name"];
  PooledSession lease(*services_.database);
  Transaction transaction(*services_.database, lease.session());
  if (auto existing = UserStore::find(lease.session(), name))
    throw sdk::Error(409, "user-exists", "User exists",
                     "user " + existing->name + " already exists (names ignore case)");
  const auto user = UserStore::add(lease.session(), name, body.value("full_name", ""),
                                   isoTimestamp(services_.clock.now()));
  auditHostChange(lease.session(), caller, "user.add", "user", user.name,
                  {{"name", {{"old", nullptr}, {"new", user.name}}},
                   {"full_name", {{"old", nullptr}, {"new", user.full_name}}}});
  transaction.commit();
  return jsonReply(201, userJson(user));
}

HttpReply HostRoutes::disableUser(const sdk::Caller& caller, const std::string& name) {
  PooledSession lease(*services_.database);
  Transaction transaction(*services_.database, lease.session());
  const auto user = UserStore::find(lease.session(), name);
  if (!user) throw sdk::NotFound("no user '" + name + "'");
  if (user->disabled_at)
    throw sdk::Error(409, "already-disabled", "Already disabled",
                     "user " + user->name + " was disabled on " + *user->disabled_at);
  if (sdk::sameUser(user->name, caller.user))
    throw sdk::Error(409, "own-account", "Own account",
                     "an administrator may not disable their own account; another must");
  UserStore::disable(lease.session(), name, isoTimestamp(services_.clock.now()));
  const auto after = *UserStore::find(lease.session(), name);
  auditHostChange(lease.session(), caller, "user.disable", "user", after.name,
                  {{"disabled_at", {{"old", nullptr}, {"new", *after.disabled_at}}},
                   {"revoked_tokens", {{"old", user->active_tokens}, {"new", 0}}}});
  transaction.commit();
  return jsonReply(200, userJson(after));
}

HttpReply HostRoutes::securityEvents(const CountyConfig& county, const QueryParams& query) {
  refuseUnknown(query, {"limit", "sort", "cursor"});
  static const sdk::ListSpec kSecurityList{{}, "-id", 100, 500};
  const auto page = listRequest(query, kSecurityList);
  PooledSession lease(*services_.database);
  std::int64_t total = 0;
  const auto events = SecurityEvents::list(lease.session(), county.code, page, total);
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& event : events) {
    items.push_back({{"id", event.id},
                     {"at", event.at},
                     {"status", event.status},
                     {"user", event.user},
                     {"token_id", event.token_id ? json(*event.token_id) : json(nullptr)},
                     {"method", event.method},
                     {"path", event.path},
                     {"reason", event.reason}});
    ids.push_back(event.id);
  }
  return jsonReply(200, page.answer(std::move(items), total, ids));
}

HttpReply HostRoutes::audit(const CountyConfig& county, const sdk::Caller& caller,
                            const QueryParams& query) {
  refuseUnknown(query, {"module", "entity_type", "entity_id", "user", "from", "to", "limit", "sort",
                        "cursor"});
  AuditQuery audit_query;
  audit_query.county = county.code;
  audit_query.module = optionalParam(query, "module");
  if (!caller.modules.empty()) {
    if (audit_query.module && !contains(caller.modules, *audit_query.module))
      throw sdk::Error(403, "out-of-scope", "Out of scope",
                       "the token of " + caller.user + " covers modules " +
                           joinList(caller.modules) + ", not " + *audit_query.module);
    audit_query.modules_in_scope = caller.modules;
  }
  audit_query.entity_type = optionalParam(query, "entity_type");
  audit_query.entity_id = optionalParam(query, "entity_id");
  audit_query.user = optionalParam(query, "user");
  audit_query.from = optionalParam(query, "from");
  audit_query.to = optionalParam(query, "to");
  audit_query.page = listRequest(query, kAuditList);
  PooledSession lease(*services_.database);
  const auto entries = AuditLog::query(lease.session(), audit_query);
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& entry : entries) {
    json summary = json::parse(entry.summary, nullptr, false);
    items.push_back({{"id", entry.id},
                     {"at", entry.at},
                     {"user", entry.user},
                     {"role", entry.role},
                     {"module", entry.module},
                     {"action", entry.action},
                     {"entity_type", entry.entity_type},
                     {"entity_id", entry.entity_id},
                     {"changes", summary.is_discarded() ? json(entry.summary) : summary},
                     {"hash", entry.hash},
                     {"request_id", entry.request_id},
                     {"cause", entry.cause}});
    ids.push_back(entry.id);
  }
  return jsonReply(200, audit_query.page.answer(
                            std::move(items), AuditLog::count(lease.session(), audit_query), ids));
}

}  // namespace civ::host
