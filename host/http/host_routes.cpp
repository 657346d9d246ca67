#include "host/http/host_routes.h"

#include <algorithm>
#include <map>

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/list.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

#include "host/audit/audit_log.h"
#include "host/common/timestamp.h"
#include "host/http/short_list.h"
#include "host/policy/policy_repository.h"
#include "host/reports/indicator_csv.h"
#include "host/reports/indicator_workbook.h"
#include "host/reports/report_parameters.h"
#include "host/security/security_events.h"

namespace civ::host {

namespace {

using nlohmann::json;
using namespace sdk::schema;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string joinList(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

// The host's lists follow the SDK's list convention (list.h): the audit trail pages by keyset on
// its ids, oldest first, the security events newest first; the short lists (counties,
// parameters, users) by offset in their natural order.
const sdk::ListSpec kAuditList{{}, "id", 100, 500};
const sdk::ListSpec kSecurityList{{}, "-id", 100, 500};
json localized() { return object({{"zh", {{"type", "string"}}}, {"en", {{"type", "string"}}}}); }

/// One township's figure; a small count of people is suppressed (report_parameters.h).
json townshipValue() {
  return object(
      {{"township", text(100)},
       {"value", nullable(integer())},
       {"suppressed", optional(describe(boolean(), {"小数抑制", "Suppressed: a small count"}))},
       {"code", optional(describe(text(12), {"今区划代码", "Today's division code"}))},
       {"recorded_as",
        optional(
            describe(arrayOf(text(100)),
                     {"记录所载乡镇", "The townships the records hold, merged into this row"}))},
       {"became",
        optional(describe(arrayOf(text(100)),
                          {"今属乡镇", "Today's divisions of a township split since"}))}});
}

json countyPattern() { return {{"type", "string"}, {"pattern", "^[0-9]{6}$"}}; }

json parameterItem() {
  return object({{"key", text(200)},
                 {"type", text(20)},
                 {"unit", text(80, 0)},
                 {"default", {{"type", "string"}}},
                 {"description", localized()},
                 {"value", {{"type", "string"}}},
                 {"level", text(10)},
                 {"effective_from", nullable(date())},
                 {"history", arrayOf(object({{"level", text(10)},
                                             {"effective_from", date()},
                                             {"value", {{"type", "string"}}},
                                             {"source", {{"type", "string"}}}}))},
                 {"minimum", optional({{"type", "string"}})},
                 {"maximum", optional({{"type", "string"}})},
                 {"allowed", optional(arrayOf(text(80)))}});
}

}  // namespace

HostRoutes::HostRoutes(const Config& config, HostServices& services, bool test_clock)
    : config_(config), services_(services), test_clock_(test_clock) {}

std::vector<std::string> HostRoutes::reloadPolicy() {
  PooledSession lease(*services_.database);
  return services_.policy.replaceApiValues(PolicyRepository::loadApiValues(lease.session()));
}

void HostRoutes::registerIn(RouteTable& routes) {
  const auto county = [&](const sdk::Route& route,
                          sdk::Response (HostRoutes::*handler)(sdk::Request&)) {
    routes.addHostRoute(
        kCountyHostRoutes, route,
        [this, handler](sdk::Request& request) { return (this->*handler)(request); }, false);
  };
  const auto admin = [&](const sdk::Route& route,
                         sdk::Response (HostRoutes::*handler)(sdk::Request&)) {
    routes.addHostRoute(
        kAdminHostRoutes, route,
        [this, handler](sdk::Request& request) { return (this->*handler)(request); }, true);
  };
  const json period_date = date();
  county(
      sdk::Route::get("/indicators")
          .summary("县级指标", "Indicators of the county's modules for a period")
          .query("from", describe(date(), {"起", "first day of the period"}), true)
          .query("to", describe(date(), {"止", "last day of the period"}), true)
          .ok(object(
              {{"county", countyCode()},
               {"from", date()},
               {"to", date()},
               {"indicators",
                arrayOf(object(
                    {{"module", text(40)},
                     {"id", text(80)},
                     {"name", localized()},
                     {"unit", text(40, 0)},
                     {"definition", describe(localized(), {"口径", "How it is computed"})},
                     {"source", optional(describe(localized(), {"法律或统计依据",
                                                                "Legal or statistical source"}))},
                     {"measure", enumOf({{"count", {"计数", "count"}},
                                         {"money", {"金额（分）", "money in fen"}},
                                         {"ratio", {"比率", "ratio"}}})},
                     {"value", integer()},
                     {"by_township", optional(arrayOf(townshipValue()))}}))}})),
      &HostRoutes::indicators);
  admin(sdk::Route::get("/indicators")
            .summary("地区汇总指标",
                     "Prefecture or province view: the indicators summed across the counties in "
                     "the caller's scope (or under `level`), each county's figure beside the sum")
            .query("from", describe(date(), {"起", "first day of the period"}), true)
            .query("to", describe(date(), {"止", "last day of the period"}), true)
            .query("level",
                   describe({{"type", "string"}, {"pattern", "^([0-9]{2}|[0-9]{4}|[0-9]{6})$"}},
                            {"区划（省2位、市4位、县6位）",
                             "Province (2 digits), prefecture (4) or county (6)"}))
            .ok(object(
                {{"from", date()},
                 {"to", date()},
                 {"level", nullable(text(6))},
                 {"counties", arrayOf(object({{"code", countyCode()}, {"name", localized()}}))},
                 {"indicators",
                  arrayOf(object(
                      {{"module", text(40)},
                       {"id", text(80)},
                       {"name", localized()},
                       {"unit", text(40, 0)},
                       {"definition", localized()},
                       {"source", optional(localized())},
                       {"measure", text(10)},
                       {"value", describe(nullable(integer()),
                                          {"合计（比率不相加，为空）",
                                           "The sum; null for a ratio (shares do not add up)"})},
                       {"by_county",
                        arrayOf(object({{"county", countyCode()}, {"value", integer()}}))}}))}})),
        &HostRoutes::regionIndicators);
  county(sdk::Route::get("/indicators.xlsx")
             .summary("县级指标（Excel）",
                      "The same indicators as an XLSX workbook, with the "
                      "township breakdowns, the period and who produced it")
             .query("from", describe(date(), {"起", "first day of the period"}), true)
             .query("to", describe(date(), {"止", "last day of the period"}), true)
             .document(sdk::kXlsx, "the indicators workbook"),
         &HostRoutes::indicatorsWorkbook);
  county(sdk::Route::get("/indicators.csv")
             .summary("县级指标（CSV）",
                      "The same indicators as CSV: heading lines, then the county's figure and "
                      "its townships' for each indicator (docs/import-layout.md)")
             .query("from", describe(date(), {"起", "first day of the period"}), true)
             .query("to", describe(date(), {"止", "last day of the period"}), true)
             .document(sdk::kCsv, "the indicators table"),
         &HostRoutes::indicatorsCsv);
  county(sdk::Route::get("/parameters")
             .summary("现行政策参数（只读）",
                      "The policy parameters in force today for the county's modules (read-only)")
             .query("module", text(40))
             .ok(object({{"county", countyCode()},
                         {"today", date()},
                         {"parameters", arrayOf(parameterItem())}})),
         &HostRoutes::countyParameters);
  const json audit_entry =
      object({{"id", id()},
              {"at", timestamp()},
              {"user", text(100, 0)},
              {"role", text(40, 0)},
              {"module", text(40, 0)},
              {"action", text(200)},
              {"entity_type", text(80, 0)},
              {"entity_id", text(200, 0)},
              {"changes", describe(anyObject(), {"变更", "old and new values, masked"})},
              {"hash", text(64)},
              {"request_id", describe(text(40, 0), {"请求", "the request that made the change"})},
              {"cause", describe(text(200, 0), {"起因",
                                                "for a change made by an event handler: "
                                                "the event, its id and county"})}});
  county(sdk::Route::get("/audit")
             .permission(sdk::Permission::Audit)
             .summary("审计记录", "The county's audit trail (auditor, admin), oldest first")
             .query("module", text(40))
             .query("entity_type", text(80))
             .query("entity_id", text(200))
             .query("user", text(100))
             .query("from", describe(text(40), {"起", "from this timestamp or date, inclusive"}))
             .query("to", describe(text(40), {"止", "before this timestamp or date"}))
             .list(audit_entry, kAuditList),
         &HostRoutes::audit);
  county(
      sdk::Route::get("/audit/verification")
          .permission(sdk::Permission::Audit)
          .summary("审计链校验",
                   "Check the audit trail's hash chain (every county's rows: one "
                   "chain); the head hash is what to record elsewhere")
          .ok(object({{"intact", describe(boolean(), {"完整", "The chain verifies"})},
                      {"rows", describe(integer(0), {"记录数", "Rows checked"})},
                      {"first_bad_id", describe(nullable(integer(1)),
                                                {"首个异常记录", "The first row that fails"})},
                      {"problem", describe(text(500, 0), {"问题", "What is wrong"})},
                      {"head_hash", describe(text(64, 0), {"链头哈希", "Hash of the last row"})},
                      {"head_algorithm",
                       describe(text(10, 0), {"链头哈希算法（sha256 或 sm3）",
                                              "The last row's hash algorithm (sha256 or sm3)"})}}))
          .console({{"view", "audit-verification"}}),
      &HostRoutes::verifyAudit);
  // One record's changes for anyone who may read the county's records (the console's timeline):
  // the whole trail stays with auditors.
  county(
      sdk::Route::get("/history")
          .summary("记录变更历史", "The changes of one record, oldest first (county-wide callers)")
          .query("module", describe(text(40), {"模块", "the record's module"}), true)
          .query("entity_type", describe(text(80), {"记录类型", "as in the audit trail"}), true)
          .query("entity_id", describe(text(200), {"记录编号", "the record's id"}), true)
          .list(audit_entry, kAuditList)
          .console({{"hidden", true}}),
      &HostRoutes::history);
  const json security_event =
      object({{"id", id()},
              {"at", timestamp()},
              {"status", integer(401, 403)},
              {"user", describe(text(100, 0), {"用户", "\"\" when no token authenticated"})},
              {"token_id", nullable(id())},
              {"method", text(10)},
              {"path", text(2000)},
              {"reason", text(1000, 0)}});
  county(sdk::Route::get("/security-events")
             .permission(sdk::Permission::Audit)
             .summary("安全事件", "Refused requests (401, 403) in the county, newest first")
             .list(security_event, kSecurityList),
         &HostRoutes::securityEvents);
  // Refusals of the admin API and of paths that name no county belong to no county's list.
  admin(sdk::Route::get("/security-events")
            .permission(sdk::Permission::Administer)
            .summary("主机安全事件",
                     "Refused requests that name no county (the admin API), newest first")
            .list(security_event, kSecurityList),
        &HostRoutes::securityEvents);

  const json county_item =
      object({{"code", countyCode()}, {"name", localized()}, {"modules", arrayOf(text(40))}});
  sdk::Route counties_route = sdk::Route::get("/counties");
  counties_route.permission(sdk::Permission::Administer)
      .summary("县区", "Counties in the admin's scope with their modules");
  admin(shortList(counties_route, county_item), &HostRoutes::counties);
  admin(sdk::Route::get("/counties/{code}")
            .permission(sdk::Permission::Administer)
            .pathParam("code", countyPattern())
            .summary("县区及现行参数", "One county with the parameters in force today")
            .ok(object({{"code", countyCode()},
                        {"name", localized()},
                        {"modules", arrayOf(text(40))},
                        {"today", date()},
                        {"parameters", arrayOf(parameterItem())}})),
        &HostRoutes::county);
  sdk::Route parameters_route = sdk::Route::get("/parameters");
  parameters_route.permission(sdk::Permission::Administer)
      .summary("政策参数", "Declared parameters with value in force, level and history")
      .query("county", countyPattern(), true)
      .query("module", text(40));
  admin(shortList(parameters_route, parameterItem()), &HostRoutes::parameters);
  admin(sdk::Route::post("/parameters")
            .permission(sdk::Permission::Administer)
            .summary("设定参数", "Set a parameter at a level from a date on (audited)")
            .body(object(
                {{"level", {{"type", "string"}, {"pattern", "^([0-9]{2}|[0-9]{4}|[0-9]{6})$"}}},
                 {"key", text(200)},
                 {"value", text(200, 0)},
                 {"effective_from", date()},
                 {"reason", text(500)}}))
            .created(object({{"key", text(200)},
                             {"level", text(6)},
                             {"effective_from", date()},
                             {"value", {{"type", "string"}}},
                             {"counties", arrayOf(countyCode())}})),
        &HostRoutes::setParameter);
  const json change_item = object(
      {{"id", id()},
       {"action", enumOf({{"withdraw", {"撤回", "withdraw"}}, {"replace", {"替换", "replace"}}})},
       {"key", text(200)},
       {"level", text(6)},
       {"effective_from", date()},
       {"value", nullable({{"type", "string"}})},
       {"reason", text(500)},
       {"proposed_by", text(64)},
       {"proposed_at", timestamp()},
       {"status", enumOf({{"pending", {"待复核", "pending"}}, {"applied", {"已生效", "applied"}}})},
       {"decided_by", nullable(text(64))},
       {"decided_at", nullable(timestamp())}});
  sdk::Route changes_route = sdk::Route::get("/parameters/changes");
  changes_route.permission(sdk::Permission::Administer)
      .summary("参数撤回与替换", "Withdrawals and replacements of future values, newest first");
  admin(shortList(changes_route, change_item), &HostRoutes::parameterChanges);
  admin(sdk::Route::post("/parameters/changes")
            .permission(sdk::Permission::Administer)
            .summary("撤回或替换未生效的参数值",
                     "Withdraw or replace a value set through the API before it takes effect "
                     "(a money value waits for a second administrator)")
            .body(object(
                {{"action",
                  enumOf({{"withdraw", {"撤回", "withdraw"}}, {"replace", {"替换", "replace"}}})},
                 {"level", {{"type", "string"}, {"pattern", "^([0-9]{2}|[0-9]{4}|[0-9]{6})$"}}},
                 {"key", text(200)},
                 {"effective_from", date()},
                 {"value", optional(text(200, 0))},
                 {"reason", text(500)}}))
            .ok(change_item, "applied at once")
            .answers(202, change_item, "a money value: waits for a second administrator"),
        &HostRoutes::proposeParameterChange);
  admin(sdk::Route::post("/parameters/changes/{id}/confirmation")
            .permission(sdk::Permission::Administer)
            .pathId("id")
            .summary("复核参数变更", "A second administrator confirms a pending change")
            .ok(change_item),
        &HostRoutes::confirmParameterChange);
  if (test_clock_)
    admin(sdk::Route::post("/clock")
              .permission(sdk::Permission::Administer)
              .summary("测试时钟", "Move the test clock to a day (CIV_TEST_CLOCK=1 only; audited)")
              .body(object({{"today", date()}}))
              .ok(object({{"today", date()}})),
          &HostRoutes::moveClock);
}

// ---- county routes -------------------------------------------------------------------------

sdk::Response HostRoutes::indicators(sdk::Request& request) {
  const sdk::Date from = *sdk::Date::parse(*request.queryParam("from"));
  const sdk::Date to = *sdk::Date::parse(*request.queryParam("to"));
  if (to < from)
    throw sdk::ValidationError("to", "after_from", "the period ends before it starts", 400);
  const CountyConfig& county = configuredCounty(request.county());
  const TownshipMapping today{services_.divisions, request.today()};
  json list = indicatorReport(services_.indicators, county.modules, request.caller(),
                              sdk::IndicatorQuery{county.code, from, to}, request.db(),
                              smallCountThreshold(services_.policy, county.code, to), &today);
  return sdk::Response::ok({{"county", county.code},
                            {"from", from.toString()},
                            {"to", to.toString()},
                            {"indicators", std::move(list)}});
}

sdk::Response HostRoutes::regionIndicators(sdk::Request& request) {
  const sdk::Date from = *sdk::Date::parse(*request.queryParam("from"));
  const sdk::Date to = *sdk::Date::parse(*request.queryParam("to"));
  if (to < from)
    throw sdk::ValidationError("to", "after_from", "the period ends before it starts", 400);
  const sdk::Caller& caller = request.caller();
  sdk::requireCountyWide(caller, "the indicators of several counties");
  const auto level = request.queryParam("level");
  std::vector<const CountyConfig*> counties;
  for (const auto& county : config_.counties) {
    if (level) {
      if (!county.code.starts_with(*level)) continue;
      authorize(caller, county.code, nullptr, sdk::Permission::Read);  // 403 when not theirs
    } else if (!contains(caller.counties, county.code)) {
      continue;
    }
    counties.push_back(&county);
  }
  if (counties.empty())
    throw sdk::ValidationError(level ? "level" : "counties", "configured",
                               "no configured county lies in the caller's scope" +
                                   (level ? " under level " + *level : std::string()));
  json listed = json::array();
  json indicators = json::array();
  std::map<std::string, std::size_t> position;  // "<module>.<id>" -> index in `indicators`
  for (const CountyConfig* county : counties) {
    listed.push_back(sdk::jsonObject(
        {{"code", county->code}, {"name", {{"zh", county->name.zh}, {"en", county->name.en}}}}));
    const json report = indicatorReport(services_.indicators, county->modules, caller,
                                        sdk::IndicatorQuery{county->code, from, to}, request.db());
    for (const auto& item : report) {
      const std::string key =
          item["module"].get<std::string>() + "." + item["id"].get<std::string>();
      auto [at, added] = position.emplace(key, indicators.size());
      if (added)
        indicators.push_back(
            sdk::jsonObject({{"module", item["module"]},
                             {"id", item["id"]},
                             {"name", item["name"]},
                             {"unit", item["unit"]},
                             {"definition", item["definition"]},
                             {"measure", item["measure"]},
                             {"value", item["measure"] == "ratio" ? json(nullptr) : json(0)},
                             {"by_county", json::array()}}));
      if (added && item.contains("source")) indicators[at->second]["source"] = item["source"];
      json& total = indicators[at->second];
      total["by_county"].push_back(
          sdk::jsonObject({{"county", county->code}, {"value", item["value"]}}));
      if (!total["value"].is_null())
        total["value"] = total["value"].get<std::int64_t>() + item["value"].get<std::int64_t>();
    }
  }
  return sdk::Response::ok({{"from", from.toString()},
                            {"to", to.toString()},
                            {"level", level ? json(*level) : json(nullptr)},
                            {"counties", std::move(listed)},
                            {"indicators", std::move(indicators)}});
}

WorkbookHeading HostRoutes::reportHeading(sdk::Request& request, const json& report) const {
  const CountyConfig& county = configuredCounty(request.county());
  WorkbookHeading heading;
  heading.county_code = county.code;
  heading.county_name = county.name.zh;
  heading.from = report["from"];
  heading.to = report["to"];
  heading.produced_by = request.caller().user;
  heading.produced_at = isoTimestamp(services_.clock.now());
  return heading;
}

sdk::Response HostRoutes::indicatorsCsv(sdk::Request& request) {
  const sdk::Response report = indicators(request);
  const WorkbookHeading heading = reportHeading(request, report.body);
  return sdk::Response::file(
      sdk::kCsv, indicatorCsv(report.body["indicators"], heading),
      "indicators-" + heading.county_code + "-" + heading.from + "-" + heading.to + ".csv");
}

sdk::Response HostRoutes::indicatorsWorkbook(sdk::Request& request) {
  const sdk::Response report = indicators(request);
  const WorkbookHeading heading = reportHeading(request, report.body);
  return sdk::Response::file(
      sdk::kXlsx, indicatorWorkbook(report.body["indicators"], heading),
      "indicators-" + heading.county_code + "-" + heading.from + "-" + heading.to + ".xlsx");
}

sdk::Response HostRoutes::audit(sdk::Request& request) {
  AuditQuery audit_query;
  audit_query.module = request.queryParam("module");
  audit_query.entity_type = request.queryParam("entity_type");
  audit_query.entity_id = request.queryParam("entity_id");
  audit_query.user = request.queryParam("user");
  audit_query.from = request.queryParam("from");
  audit_query.to = request.queryParam("to");
  return auditPage(request, std::move(audit_query));
}

sdk::Response HostRoutes::verifyAudit(sdk::Request& request) {
  const auto result = AuditLog::verify(request.db());
  return sdk::Response::ok(
      {{"intact", !result.first_bad_id.has_value()},
       {"rows", result.rows},
       {"first_bad_id", result.first_bad_id ? json(*result.first_bad_id) : json(nullptr)},
       {"problem", result.problem},
       {"head_hash", result.head_hash},
       {"head_algorithm", result.head_algorithm}});
}

sdk::Response HostRoutes::history(sdk::Request& request) {
  AuditQuery audit_query;
  audit_query.module = request.queryParam("module");
  audit_query.entity_type = request.queryParam("entity_type");
  audit_query.entity_id = request.queryParam("entity_id");
  return auditPage(request, std::move(audit_query));
}

sdk::Response HostRoutes::auditPage(sdk::Request& request, AuditQuery audit_query) {
  const sdk::Caller& caller = request.caller();
  sdk::requireCountyWide(caller, "the audit trail");  // rows are not by township
  audit_query.county = request.county();
  if (!caller.modules.empty()) {
    if (audit_query.module && !contains(caller.modules, *audit_query.module))
      throw sdk::Error(403, "out-of-scope", "Out of scope",
                       "the token of " + caller.user + " covers modules " +
                           joinList(caller.modules) + ", not " + *audit_query.module);
    audit_query.modules_in_scope = caller.modules;
  }
  audit_query.page = sdk::ListRequest::from(request, kAuditList);
  const auto entries = AuditLog::query(request.db(), audit_query);
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& entry : entries) {
    json summary = json::parse(entry.summary, nullptr, false);
    items.push_back(
        sdk::jsonObject({{"id", entry.id},
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
                         {"cause", entry.cause}}));
    ids.push_back(entry.id);
  }
  return sdk::Response::ok(
      audit_query.page.answer(std::move(items), AuditLog::count(request.db(), audit_query), ids));
}

sdk::Response HostRoutes::securityEvents(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the security events");
  // request.county() is "" on the admin mount: the refusals that name no county.
  const auto page = sdk::ListRequest::from(request, kSecurityList);
  std::int64_t total = 0;
  const auto events = SecurityEvents::list(request.db(), request.county(), page, total);
  json items = json::array();
  std::vector<std::int64_t> ids;
  for (const auto& event : events) {
    items.push_back(
        sdk::jsonObject({{"id", event.id},
                         {"at", event.at},
                         {"status", event.status},
                         {"user", event.user},
                         {"token_id", event.token_id ? json(*event.token_id) : json(nullptr)},
                         {"method", event.method},
                         {"path", event.path},
                         {"reason", event.reason}}));
    ids.push_back(event.id);
  }
  return sdk::Response::ok(page.answer(std::move(items), total, ids));
}

// ---- administration ------------------------------------------------------------------------

const CountyConfig& HostRoutes::configuredCounty(const std::string& code) const {
  const CountyConfig* county = config_.county(code);
  if (county == nullptr)
    throw sdk::Error(404, "unknown-county", "Unknown county",
                     "county '" + code + "' is not configured");
  return *county;
}

sdk::Response HostRoutes::counties(sdk::Request& request) {
  const auto page = shortPage(request);
  json list = json::array();
  for (const auto& county : config_.counties) {
    if (!contains(request.caller().counties, county.code)) continue;
    list.push_back(sdk::jsonObject({{"code", county.code},
                                    {"name", {{"zh", county.name.zh}, {"en", county.name.en}}},
                                    {"modules", county.modules}}));
  }
  return sdk::Response::ok(page.answerInMemory(std::move(list)));
}

json HostRoutes::parameterJson(const std::string& full_key, const std::string& county,
                               sdk::Date today) const {
  const auto declaration = services_.policy.declaration(full_key);
  const auto in_force = services_.policy.resolve(county, full_key, today);
  json history = json::array();
  for (const auto& value : services_.policy.history(full_key)) {
    if (!county.starts_with(value.level)) continue;
    history.push_back(sdk::jsonObject({{"level", value.level},
                                       {"effective_from", value.effective_from.toString()},
                                       {"value", value.value},
                                       {"source", value.source}}));
  }
  json item = sdk::jsonObject(
      {{"key", full_key},
       {"type", toString(declaration->type)},
       {"unit", declaration->unit},
       {"default", declaration->default_value},
       {"description", {{"zh", declaration->description.zh}, {"en", declaration->description.en}}},
       {"value", in_force ? in_force->value : declaration->default_value},
       {"level", in_force ? json(in_force->level) : json("default")},
       {"effective_from", in_force ? json(in_force->effective_from.toString()) : json(nullptr)},
       {"history", history}});
  if (declaration->minimum) item["minimum"] = *declaration->minimum;
  if (declaration->maximum) item["maximum"] = *declaration->maximum;
  if (!declaration->allowed.empty()) item["allowed"] = declaration->allowed;
  return item;
}

sdk::Response HostRoutes::county(sdk::Request& request) {
  const CountyConfig& county = configuredCounty(request.pathParam("code"));
  authorize(request.caller(), county.code, nullptr, sdk::Permission::Administer);
  const sdk::Date today = request.today();
  json parameters = json::array();
  for (const auto& key : services_.policy.keys()) {
    const std::string module = key.substr(0, key.find('.'));
    if (contains(county.modules, module))
      parameters.push_back(parameterJson(key, county.code, today));
  }
  return sdk::Response::ok({{"code", county.code},
                            {"name", {{"zh", county.name.zh}, {"en", county.name.en}}},
                            {"modules", county.modules},
                            {"today", today.toString()},
                            {"parameters", parameters}});
}

sdk::Response HostRoutes::parameters(sdk::Request& request) {
  const CountyConfig& county = configuredCounty(*request.queryParam("county"));
  authorize(request.caller(), county.code, nullptr, sdk::Permission::Administer);
  const auto module_filter = request.queryParam("module");
  const auto page = shortPage(request);
  const sdk::Date today = request.today();
  json list = json::array();
  for (const auto& key : services_.policy.keys()) {
    const std::string module = key.substr(0, key.find('.'));
    if (!contains(county.modules, module)) continue;
    if (module_filter && *module_filter != module) continue;
    list.push_back(parameterJson(key, county.code, today));
  }
  return sdk::Response::ok(page.answerInMemory(std::move(list)));
}

sdk::Response HostRoutes::setParameter(sdk::Request& request) {
  const json& body = request.body();
  const sdk::Caller& caller = request.caller();
  const sdk::Date today = request.today();
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
  PolicyRepository::insert(request.db(), key, value, caller.user, now, body["reason"]);
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
    AuditLog::append(request.db(), services_.database->dialect(), std::move(entry));
  }
  // Read back on this request's session, which sees the row before the commit.
  services_.policy.replaceApiValues(PolicyRepository::loadApiValues(request.db()));
  return sdk::Response::withStatus(201, {{"key", key},
                                         {"level", level},
                                         {"effective_from", from.toString()},
                                         {"value", value.value},
                                         {"counties", affected}});
}

sdk::Response HostRoutes::countyParameters(sdk::Request& request) {
  const CountyConfig& county = configuredCounty(request.county());
  const auto module_filter = request.queryParam("module");
  const auto& caller = request.caller();
  const sdk::Date today = request.today();
  json parameters = json::array();
  for (const auto& key : services_.policy.keys()) {
    const std::string module = key.substr(0, key.find('.'));
    const bool host_own = module == "civ";  // the reports' parameters (report_parameters.h)
    if (!host_own && !contains(county.modules, module)) continue;
    if (!host_own && !caller.modules.empty() && !contains(caller.modules, module)) continue;
    if (module_filter && *module_filter != module) continue;
    parameters.push_back(parameterJson(key, county.code, today));
  }
  return sdk::Response::ok(
      {{"county", county.code}, {"today", today.toString()}, {"parameters", parameters}});
}

namespace {

json changeJson(const PolicyRepository::Change& change) {
  return sdk::jsonObject(
      {{"id", change.id},
       {"action", change.action},
       {"key", change.full_key},
       {"level", change.level},
       {"effective_from", change.effective_from},
       {"value", change.value ? json(*change.value) : json(nullptr)},
       {"reason", change.reason},
       {"proposed_by", change.proposed_by},
       {"proposed_at", change.proposed_at},
       {"status", change.status},
       {"decided_by", change.decided_by ? json(*change.decided_by) : json(nullptr)},
       {"decided_at", change.decided_at ? json(*change.decided_at) : json(nullptr)}});
}

}  // namespace

std::vector<std::string> HostRoutes::countiesUnderLevel(const sdk::Caller& caller,
                                                        const std::string& level) const {
  std::vector<std::string> affected;
  for (const auto& county : config_.counties)
    if (county.code.starts_with(level)) affected.push_back(county.code);
  if (affected.empty())
    throw sdk::ValidationError("level", "configured",
                               "no configured county lies under level " + level);
  for (const auto& code : affected) authorize(caller, code, nullptr, sdk::Permission::Administer);
  return affected;
}

sdk::Response HostRoutes::parameterChanges(sdk::Request& request) {
  const auto page = shortPage(request);
  json list = json::array();
  for (const auto& change : PolicyRepository::listChanges(request.db())) {
    // An administrator sees the changes of levels that reach one of their counties.
    bool theirs = false;
    for (const auto& county : request.caller().counties)
      theirs = theirs || county.starts_with(change.level);
    if (theirs) list.push_back(changeJson(change));
  }
  return sdk::Response::ok(page.answerInMemory(std::move(list)));
}

sdk::Response HostRoutes::proposeParameterChange(sdk::Request& request) {
  const json& body = request.body();
  PolicyRepository::Change change;
  change.action = body["action"];
  change.full_key = body["key"];
  change.level = body["level"];
  change.effective_from = body["effective_from"];
  change.reason = body["reason"];
  change.proposed_by = request.caller().user;
  change.proposed_at = isoTimestamp(services_.clock.now());
  const auto declaration = services_.policy.declaration(change.full_key);
  if (!declaration)
    throw sdk::ValidationError("key", "declared",
                               "no loaded module declares parameter '" + change.full_key + "'");
  countiesUnderLevel(request.caller(), change.level);
  if (change.action == "replace") {
    if (!body.contains("value"))
      throw sdk::ValidationError("value", "required", "a replacement needs its new value");
    auto check = sdk::checkParameterValue(*declaration, body["value"].get<std::string>());
    if (!check.canonical) throw sdk::ValidationError("value", "declared_bounds", check.problem);
    change.value = *check.canonical;
  } else if (body.contains("value")) {
    throw sdk::ValidationError("value", "not_for_withdrawal",
                               "a withdrawal takes no value; to set another, replace");
  }
  if (!PolicyRepository::standingValue(request.db(), change.full_key, change.level,
                                       change.effective_from))
    throw sdk::NotFound("no value of " + change.full_key + " set through the API at level " +
                        change.level + " from " + change.effective_from +
                        " (values from config/policy files change with the file)");
  if (change.effective_from <= request.today().toString())
    throw sdk::Error(409, "in-effect", "Already in effect",
                     change.full_key + " at level " + change.level + " took effect on " +
                         change.effective_from +
                         "; history is never rewritten: set a new value from a later date");
  // What changes what is paid needs two people: a money value waits for a second administrator.
  const bool money = declaration->type == sdk::ParameterType::Money;
  change.status = money ? "pending" : "applied";
  if (money) {
    change.id = PolicyRepository::addChange(request.db(), change);
    auditHostChange(
        request.db(), request.caller(), "parameter.change_proposed", "parameter",
        change.full_key + "@" + change.level + "@" + change.effective_from,
        {{"action", change.action},
         {"value",
          {{"old", *PolicyRepository::standingValue(request.db(), change.full_key, change.level,
                                                    change.effective_from)},
           {"new", change.value ? json(*change.value) : json(nullptr)}}},
         {"reason", change.reason}});
    return sdk::Response::withStatus(202, changeJson(change));
  }
  change.decided_by = change.proposed_by;
  change.decided_at = change.proposed_at;
  change.id = PolicyRepository::addChange(request.db(), change);
  applyParameterChange(request, change);
  return sdk::Response::ok(changeJson(change));
}

sdk::Response HostRoutes::confirmParameterChange(sdk::Request& request) {
  auto change = PolicyRepository::findChange(request.db(), request.pathId("id"));
  if (!change) throw sdk::NotFound("no parameter change " + request.pathParam("id"));
  countiesUnderLevel(request.caller(), change->level);
  if (change->status != "pending")
    throw sdk::Conflict("parameter change " + std::to_string(change->id) + " is " + change->status +
                        "; only a pending change is confirmed");
  sdk::requireFourEyes(request.caller(), change->proposed_by,
                       "the change of " + change->full_key + " they proposed");
  const std::string now = isoTimestamp(services_.clock.now());
  if (!PolicyRepository::markApplied(request.db(), change->id, request.caller().user, now))
    throw sdk::Conflict("parameter change " + std::to_string(change->id) +
                        " was decided meanwhile");
  change->status = "applied";
  change->decided_by = request.caller().user;
  change->decided_at = now;
  applyParameterChange(request, *change);
  return sdk::Response::ok(changeJson(*change));
}

void HostRoutes::applyParameterChange(sdk::Request& request,
                                      const PolicyRepository::Change& change) {
  auto& db = request.db();
  if (change.effective_from <= request.today().toString())
    throw sdk::Error(409, "in-effect", "Already in effect",
                     change.full_key + " at level " + change.level + " took effect on " +
                         change.effective_from + " before the change was confirmed");
  const auto old_value =
      PolicyRepository::standingValue(db, change.full_key, change.level, change.effective_from);
  const std::string now = isoTimestamp(services_.clock.now());
  const std::string by = request.caller().user;
  if (!old_value || !PolicyRepository::withdraw(db, change.full_key, change.level,
                                                change.effective_from, by, now, change.reason))
    throw sdk::Conflict("the value of " + change.full_key + " at level " + change.level + " from " +
                        change.effective_from + " is no longer standing");
  if (change.action == "replace") {
    const auto date = *sdk::Date::parse(change.effective_from);
    PolicyRepository::insert(
        db, change.full_key,
        PolicyValue{change.level, date, *change.value, "admin API: " + by + " at " + now, true}, by,
        now, change.reason);
  }
  const std::string entity = change.full_key + "@" + change.level + "@" + change.effective_from;
  for (const auto& code : countiesUnderLevel(request.caller(), change.level)) {
    AuditEntry entry;
    entry.at = now;
    entry.user = by;
    entry.role = request.caller().role;
    entry.county = code;
    entry.module = "civ";
    entry.action = "parameter." + change.action;
    entry.entity_type = "parameter";
    entry.entity_id = entity;
    entry.summary = json{
        {"value",
         {{"old", *old_value}, {"new", change.value ? json(*change.value) : json(nullptr)}}},
        {"reason", change.reason},
        {"proposed_by", change.proposed_by},
        {"change",
         change.id}}.dump();
    AuditLog::append(db, services_.database->dialect(), std::move(entry));
  }
  services_.policy.replaceApiValues(PolicyRepository::loadApiValues(db));
}

sdk::Response HostRoutes::moveClock(sdk::Request& request) {
  const std::string before = services_.clock.today().toString();
  services_.clock.moveTo(*sdk::Date::parse(request.body()["today"].get<std::string>()));
  // A test clock that moves changes every deadline: audited like any change.
  auditHostChange(request.db(), request.caller(), "clock.move", "clock", "today",
                  {{"today", {{"old", before}, {"new", services_.clock.today().toString()}}}});
  return sdk::Response::ok({{"today", services_.clock.today().toString()}});
}

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

}  // namespace civ::host
