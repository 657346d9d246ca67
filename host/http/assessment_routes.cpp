#include "host/http/assessment_routes.h"

#include <algorithm>

#include <civ/sdk/audit.h>
#include <civ/sdk/correction.h>
#include <civ/sdk/error.h>
#include <civ/sdk/json_object.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/schema.h>

#include "host/common/timestamp.h"
#include "host/http/short_list.h"
#include "host/reports/assessment_scoring.h"
#include "host/reports/assessment_store.h"
#include "host/routing/request_pipeline.h"

namespace civ::host {

namespace {

using nlohmann::json;
using namespace sdk::schema;

json points() {
  return describe({{"type", "string"}, {"pattern", "^[0-9]{1,4}(\\.[0-9]{1,2})?$"}},
                  {"分值（两位小数）", "Points, with at most two decimals"});
}

/// A computed score: may be negative (deductions beyond the work done) and sums many items.
json score() {
  return describe({{"type", "string"}, {"pattern", "^-?[0-9]{1,7}\\.[0-9]{2}$"}},
                  {"得分", "Points scored"});
}

json itemKind() {
  return enumOf({{"work", {"考核事项", "work item"}},
                 {"bonus", {"加分项", "bonus item"}},
                 {"deduction", {"扣分项", "deduction item"}}});
}

json method() {
  return enumOf({{"indicator", {"按指标计算", "computed from an indicator"}},
                 {"manual", {"人工评分（附依据）", "entered by a person with evidence"}}});
}

json formula() {
  return enumOf({{"proportional", {"按完成比例", "weight × actual ÷ due, at most the weight"}},
                 {"threshold", {"达标得满分", "the weight when the due figure is reached"}},
                 {"ceiling", {"不超上限得满分", "the weight when actual stays at most the target"}},
                 {"per_unit", {"按单位计分", "points per unit (bonus and deduction items)"}}});
}

json stage() {
  return enumOf({{"mid_year", {"半年考核（1月1日至6月30日）", "mid-year (1 January to 30 June)"}},
                 {"year_end", {"年终考核（全年）", "year-end (the whole year)"}}});
}

json indicatorReference() {
  return describe({{"type", "string"}, {"pattern", "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"}},
                  {"指标（模块.指标代码）", "Indicator as <module>.<indicator id>"});
}

Properties itemFields(bool for_patch) {
  const auto maybe = [&](json schema) { return for_patch ? optional(schema) : schema; };
  return properties(
      {{"kind", maybe(itemKind())},
       {"title", maybe(text(200))},
       {"responsible_unit", maybe(describe(text(100), {"责任单位", "Responsible unit"}))},
       {"points", maybe(describe(points(), {"分值（考核事项）或上限（加减分项）",
                                            "Weight (work) or cap (bonus, deduction)"}))},
       {"method", maybe(method())},
       {"indicator", optional(indicatorReference())},
       {"formula", optional(formula())},
       {"target", optional(describe(
                      integer(0, 999999999999),
                      {"全年目标（指标的单位）", "The year's target, in the indicator's unit"}))},
       {"mid_year_percent",
        optional(describe(integer(0, 100), {"6月底应完成的比例（%）", "Share due by 30 June"}))},
       {"per_unit", optional(describe(points(), {"每单位分值", "Points per unit"}))}});
}

json itemSchema() {
  return object({{"id", id()},
                 {"kind", itemKind()},
                 {"title", text(200)},
                 {"responsible_unit", text(100)},
                 {"points", points()},
                 {"method", method()},
                 {"indicator", nullable(indicatorReference())},
                 {"formula", nullable(formula())},
                 {"target", nullable(integer(0))},
                 {"mid_year_percent", integer(0, 100)},
                 {"per_unit", nullable(points())}});
}

json scoringSummarySchema() {
  return object({{"stage", stage()},
                 {"status", enumOf({{"prepared", {"已计分待确认", "prepared"}},
                                    {"confirmed", {"已确认（冻结）", "confirmed (frozen)"}}})},
                 {"total", score()},
                 {"prepared_by", text(64)},
                 {"confirmed_by", nullable(text(64))}});
}

json planSchema() {
  return object({{"id", id()},
                 {"county", countyCode()},
                 {"year", integer(2000, 2100)},
                 {"title", text(200)},
                 {"bonus_cap", points()},
                 {"deduction_cap", points()},
                 {"created_by", text(64)},
                 {"created_at", timestamp()},
                 {"frozen", describe(boolean(), {"已有确认的计分，不再修改",
                                                 "A confirmed scoring froze the plan"})},
                 {"items", arrayOf(itemSchema())},
                 {"scorings", arrayOf(scoringSummarySchema())}});
}

json lineSchema() {
  return object({{"item_id", id()},
                 {"kind", itemKind()},
                 {"title", text(200)},
                 {"responsible_unit", text(100)},
                 {"points_available", points()},
                 {"points", points()},
                 {"actual", nullable(integer())},
                 {"due", describe(nullable({{"type", "string"}}),
                                  {"本阶段应完成数（指标单位）", "Figure due by the stage"})},
                 {"explanation", text(2000)}});
}

json scoringSchema() {
  return object({{"plan_id", id()},
                 {"stage", stage()},
                 {"from", date()},
                 {"to", date()},
                 {"status", text(20)},
                 {"work", score()},
                 {"bonus", score()},
                 {"deduction", score()},
                 {"total", score()},
                 {"explanation", text(2000)},
                 {"lines", arrayOf(lineSchema())},
                 {"prepared_by", text(64)},
                 {"prepared_at", timestamp()},
                 {"confirmed_by", nullable(text(64))},
                 {"confirmed_at", nullable(timestamp())}});
}

json itemJson(const AssessmentItem& item) {
  const auto orNull = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
  };
  const bool computed = item.method == "indicator";
  return {{"id", item.id},
          {"kind", item.kind},
          {"title", item.title},
          {"responsible_unit", item.responsible_unit},
          {"points", pointsText(item.points)},
          {"method", item.method},
          {"indicator", orNull(item.indicator)},
          {"formula", orNull(item.formula)},
          {"target", computed && item.kind == "work" ? json(item.target) : json(nullptr)},
          {"mid_year_percent", item.mid_year_percent},
          {"per_unit",
           computed && item.kind != "work" ? json(pointsText(item.per_unit)) : json(nullptr)}};
}

json planJson(const AssessmentPlan& plan, const std::vector<AssessmentScoring>& scorings) {
  json items = json::array();
  for (const auto& item : plan.items) items.push_back(itemJson(item));
  json summaries = json::array();
  bool frozen = false;
  for (const auto& scoring : scorings) {
    frozen = frozen || scoring.status == "confirmed";
    summaries.push_back(sdk::jsonObject(
        {{"stage", scoring.stage},
         {"status", scoring.status},
         {"total", pointsText(scoring.total)},
         {"prepared_by", scoring.prepared_by},
         {"confirmed_by", scoring.confirmed_by ? json(*scoring.confirmed_by) : json(nullptr)}}));
  }
  return {{"id", plan.id},
          {"county", plan.county},
          {"year", plan.year},
          {"title", plan.title},
          {"bonus_cap", pointsText(plan.bonus_cap)},
          {"deduction_cap", pointsText(plan.deduction_cap)},
          {"created_by", plan.created_by},
          {"created_at", plan.created_at},
          {"frozen", frozen},
          {"items", std::move(items)},
          {"scorings", std::move(summaries)}};
}

json scoringJson(const AssessmentPlan& plan, const AssessmentScoring& scoring) {
  json body = json::parse(scoring.result);
  const auto stage = *parseAssessmentStage(scoring.stage);
  body["plan_id"] = plan.id;
  body["stage"] = scoring.stage;
  body["from"] = sdk::Date::fromParts(plan.year, 1, 1)->toString();
  body["to"] = stageLastDay(plan.year, stage).toString();
  body["status"] = scoring.status;
  body["prepared_by"] = scoring.prepared_by;
  body["prepared_at"] = scoring.prepared_at;
  body["confirmed_by"] = scoring.confirmed_by ? json(*scoring.confirmed_by) : json(nullptr);
  body["confirmed_at"] = scoring.confirmed_at ? json(*scoring.confirmed_at) : json(nullptr);
  return body;
}

/// Applies the fields of `body` to `item` and checks the item as a whole: every problem at once,
/// each named `<prefix>field`.
void applyItem(const json& body, AssessmentItem& item, const std::string& prefix,
               const std::vector<std::string>& known_indicators,
               std::vector<sdk::FieldError>& problems) {
  if (body.contains("kind")) item.kind = body["kind"];
  if (body.contains("title")) item.title = body["title"];
  if (body.contains("responsible_unit")) item.responsible_unit = body["responsible_unit"];
  if (body.contains("points"))
    item.points = parsePoints(body["points"].get<std::string>()).value_or(0);
  if (body.contains("method")) item.method = body["method"];
  if (body.contains("indicator")) item.indicator = body["indicator"];
  if (body.contains("formula")) item.formula = body["formula"];
  if (body.contains("target")) item.target = body["target"];
  if (body.contains("mid_year_percent")) item.mid_year_percent = body["mid_year_percent"];
  if (body.contains("per_unit"))
    item.per_unit = parsePoints(body["per_unit"].get<std::string>()).value_or(0);

  if (item.points <= 0)
    problems.push_back({prefix + "points", "positive",
                        item.kind == "work" ? "a work item weighs more than 0 points"
                                            : "a bonus or deduction item's cap is more than 0"});
  if (item.method == "manual") {
    for (const char* field : {"indicator", "formula", "target", "per_unit"})
      if (body.contains(field))
        problems.push_back(
            {prefix + field, "manual-has-no-formula",
             "a manual item is scored by a person; it takes no " + std::string(field)});
    // A person enters the points: nothing computed to keep.
    item.indicator.clear();
    item.formula.clear();
    item.target = 0;
    item.per_unit = 0;
    return;
  }
  if (item.indicator.empty())
    problems.push_back({prefix + "indicator", "required",
                        "an item computed from an indicator names it as <module>.<indicator id>"});
  else if (std::find(known_indicators.begin(), known_indicators.end(), item.indicator) ==
           known_indicators.end())
    problems.push_back({prefix + "indicator", "known-indicator",
                        "'" + item.indicator +
                            "' is not an indicator of the county's enabled modules; see GET "
                            "/indicators"});
  if (item.kind == "work") {
    if (item.formula.empty() || item.formula == "per_unit")
      problems.push_back({prefix + "formula", "formula-for-kind",
                          "a work item is scored proportional, threshold or ceiling"});
    if (!body.contains("target") && item.target == 0 && item.formula != "ceiling")
      problems.push_back(
          {prefix + "target", "required", "a computed work item needs the year's target"});
    item.per_unit = 0;
  } else {
    if (item.formula.empty()) item.formula = "per_unit";
    if (item.formula != "per_unit")
      problems.push_back({prefix + "formula", "formula-for-kind",
                          "a bonus or deduction item computed from an indicator is per_unit"});
    if (item.per_unit <= 0)
      problems.push_back({prefix + "per_unit", "required",
                          "a computed bonus or deduction item needs its points per unit"});
    item.target = 0;
  }
}

void refuseWhenFrozen(const std::vector<AssessmentScoring>& scorings, std::int64_t plan_id) {
  for (const auto& scoring : scorings)
    if (scoring.status == "confirmed")
      throw sdk::Error(409, "plan-frozen", "Plan frozen",
                       "the " + scoring.stage + " scoring of plan " + std::to_string(plan_id) +
                           " was confirmed by " + scoring.confirmed_by.value_or("") +
                           "; a confirmed plan is not changed");
}

AssessmentPlan requirePlan(AssessmentStore& store, const sdk::Request& request) {
  const auto id = request.pathId("id");
  auto plan = store.plan(request.county(), id);
  if (!plan)
    throw sdk::NotFound("no assessment plan " + std::to_string(id) + " in county " +
                        request.county());
  return *plan;
}

/// The year's assessment is the county's as a whole and scores every module's figures: a caller
/// confined to townships or to some modules neither reads nor changes it (403).
void requireWholeCounty(const sdk::Caller& caller) {
  sdk::requireCountyWide(caller, "the county's assessment plans");
  if (!caller.modules.empty())
    throw sdk::Error(403, "out-of-scope", "Out of scope",
                     "the assessment plans score every module's figures; the token of " +
                         caller.user + " covers only some modules");
}

AssessmentStage requireStage(const sdk::Request& request) {
  return *parseAssessmentStage(request.pathParam("stage"));
}

}  // namespace

std::vector<std::string> AssessmentRoutes::countyIndicators(const std::string& county) const {
  std::vector<std::string> modules;
  for (const auto& configured : config_.counties)
    if (configured.code == county) modules = configured.modules;
  std::vector<std::string> known;
  for (const auto& entry : services_.indicators)
    if (std::find(modules.begin(), modules.end(), entry.plugin_id) != modules.end())
      known.push_back(entry.plugin_id + "." + entry.declaration.id);
  return known;
}

void AssessmentRoutes::registerIn(RouteTable& routes) {
  const auto county = [&](const sdk::Route& route,
                          sdk::Response (AssessmentRoutes::*handler)(sdk::Request&)) {
    routes.addHostRoute(
        kCountyHostRoutes, route,
        [this, handler](sdk::Request& request) {
          requireWholeCounty(request.caller());
          return (this->*handler)(request);
        },
        false);
  };
  sdk::Route list_route = sdk::Route::get("/assessment-plans");
  list_route.summary("年度考核方案", "The county's assessment plans, newest year first")
      .query("year", describe(integer(2000, 2100), {"年度", "Year"}));
  county(shortList(list_route, planSchema()), &AssessmentRoutes::list);
  county(sdk::Route::post("/assessment-plans")
             .permission(sdk::Permission::Edit)
             .summary("制定年度考核方案",
                      "A county's assessment plan for a year: work items, bonus and deduction "
                      "items (one plan per county and year)")
             .body(object(
                 {{"year", integer(2000, 2100)},
                  {"title", text(200)},
                  {"bonus_cap", describe(points(), {"加分上限", "Cap on bonus points"})},
                  {"deduction_cap", describe(points(), {"扣分上限", "Cap on deducted points"})},
                  {"items", arrayOf(object(itemFields(false)), 200)}}))
             .created(planSchema()),
         &AssessmentRoutes::create);
  county(sdk::Route::get("/assessment-plans/{id}")
             .pathId("id")
             .summary("考核方案", "A plan with its items and scorings")
             .ok(planSchema()),
         &AssessmentRoutes::read);
  county(
      sdk::Route::patch("/assessment-plans/{id}")
          .pathId("id")
          .permission(sdk::Permission::Edit)
          .summary("更正考核方案", "Correct a plan's title or caps (until a scoring is confirmed)")
          .body(object({{"title", optional(text(200))},
                        {"bonus_cap", optional(points())},
                        {"deduction_cap", optional(points())}}))
          .ok(planSchema()),
      &AssessmentRoutes::correct);
  county(sdk::Route::post("/assessment-plans/{id}/items")
             .pathId("id")
             .permission(sdk::Permission::Edit)
             .summary("增加考核事项", "Add an item to a plan (until a scoring is confirmed)")
             .body(object(itemFields(false)))
             .created(itemSchema()),
         &AssessmentRoutes::addItem);
  county(sdk::Route::patch("/assessment-plans/{id}/items/{item}")
             .pathId("id")
             .pathId("item")
             .permission(sdk::Permission::Edit)
             .summary("更正考核事项", "Correct an item (until a scoring is confirmed)")
             .body(object(itemFields(true)))
             .ok(itemSchema()),
         &AssessmentRoutes::correctItem);
  county(sdk::Route::put("/assessment-plans/{id}/items/{item}/points/{stage}")
             .pathId("id")
             .pathId("item")
             .pathParam("stage", stage())
             .permission(sdk::Permission::Edit)
             .summary("录入评分", "Points of a manual item for a stage, with the evidence")
             .body(object({{"points", points()},
                           {"evidence", describe(text(1000), {"评分依据", "Evidence"})}}))
             .ok(object({{"item_id", id()},
                         {"stage", stage()},
                         {"points", points()},
                         {"evidence", text(1000)},
                         {"entered_by", text(64)},
                         {"entered_at", timestamp()}})),
         &AssessmentRoutes::enterPoints);
  county(sdk::Route::post("/assessment-plans/{id}/scorings/{stage}")
             .pathId("id")
             .pathParam("stage", stage())
             .permission(sdk::Permission::Edit)
             .summary("计分",
                      "Score the plan for a stage from the indicators and the entered points "
                      "(again: scored afresh, until confirmed)")
             .ok(scoringSchema()),
         &AssessmentRoutes::prepareScoring);
  county(sdk::Route::get("/assessment-plans/{id}/scorings/{stage}")
             .pathId("id")
             .pathParam("stage", stage())
             .summary("考核得分", "A stage's scoring, explained line by line")
             .ok(scoringSchema()),
         &AssessmentRoutes::scoring);
  county(sdk::Route::post("/assessment-plans/{id}/scorings/{stage}/confirmation")
             .pathId("id")
             .pathParam("stage", stage())
             .permission(sdk::Permission::Approve)
             .summary("确认得分",
                      "A second person confirms a stage's scoring; it is frozen from then on")
             .ok(scoringSchema()),
         &AssessmentRoutes::confirmScoring);
}

sdk::Response AssessmentRoutes::list(sdk::Request& request) {
  const auto page = shortPage(request);
  std::optional<int> year;
  if (auto text = request.queryParam("year")) year = std::stoi(*text);
  AssessmentStore store(request.db());
  json items = json::array();
  for (auto& plan : store.plans(request.county(), year)) {
    auto full = store.plan(request.county(), plan.id);
    items.push_back(planJson(*full, store.scorings(plan.id)));
  }
  return sdk::Response::ok(page.answerInMemory(std::move(items)));
}

sdk::Response AssessmentRoutes::create(sdk::Request& request) {
  const json& body = request.body();
  AssessmentStore store(request.db());
  AssessmentPlan plan;
  plan.county = request.county();
  plan.year = body["year"];
  plan.title = body["title"];
  plan.bonus_cap = *parsePoints(body["bonus_cap"].get<std::string>());
  plan.deduction_cap = *parsePoints(body["deduction_cap"].get<std::string>());
  plan.created_by = request.caller().user;
  plan.created_at = isoTimestamp(services_.clock.now());
  if (store.planExists(plan.county, plan.year))
    throw sdk::ValidationError("year", "one-plan-per-year",
                               "county " + plan.county + " already has a plan for " +
                                   std::to_string(plan.year) + "; correct that one",
                               409);
  const auto known = countyIndicators(plan.county);
  std::vector<sdk::FieldError> problems;
  if (body.contains("items"))
    for (std::size_t i = 0; i < body["items"].size(); ++i) {
      AssessmentItem item;
      applyItem(body["items"][i], item, "items[" + std::to_string(i) + "].", known, problems);
      plan.items.push_back(item);
    }
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
  plan.id = store.insertPlan(plan);
  for (std::size_t i = 0; i < plan.items.size(); ++i)
    plan.items[i].id = store.insertItem(plan.id, static_cast<int>(i), plan.items[i]);
  const json answer = planJson(plan, {});
  request.audit({sizeof(sdk::AuditRecord), "assessment_plan.create", "assessment_plan",
                 std::to_string(plan.id), sdk::changedFields(json::object(), answer)});
  return sdk::Response::created(
      answer, "/api/v1/counties/" + plan.county + "/assessment-plans/" + std::to_string(plan.id));
}

sdk::Response AssessmentRoutes::read(sdk::Request& request) {
  AssessmentStore store(request.db());
  const auto plan = requirePlan(store, request);
  return sdk::Response::ok(planJson(plan, store.scorings(plan.id)));
}

sdk::Response AssessmentRoutes::correct(sdk::Request& request) {
  AssessmentStore store(request.db());
  auto plan = requirePlan(store, request);
  const auto scorings = store.scorings(plan.id);
  sdk::requireSomeField(request.body(), "title, bonus_cap, deduction_cap");
  refuseWhenFrozen(scorings, plan.id);
  const json before = planJson(plan, scorings);
  const json& body = request.body();
  if (body.contains("title")) plan.title = body["title"];
  if (body.contains("bonus_cap"))
    plan.bonus_cap = *parsePoints(body["bonus_cap"].get<std::string>());
  if (body.contains("deduction_cap"))
    plan.deduction_cap = *parsePoints(body["deduction_cap"].get<std::string>());
  const json after = planJson(plan, scorings);
  if (sdk::changedFields(before, after).empty()) sdk::refuseUnchanged(body);
  store.updatePlan(plan);
  request.audit({sizeof(sdk::AuditRecord), "assessment_plan.correct", "assessment_plan",
                 std::to_string(plan.id), sdk::changedFields(before, after)});
  return sdk::Response::ok(after);
}

sdk::Response AssessmentRoutes::addItem(sdk::Request& request) {
  AssessmentStore store(request.db());
  auto plan = requirePlan(store, request);
  refuseWhenFrozen(store.scorings(plan.id), plan.id);
  AssessmentItem item;
  std::vector<sdk::FieldError> problems;
  applyItem(request.body(), item, "", countyIndicators(plan.county), problems);
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
  item.id = store.insertItem(plan.id, static_cast<int>(plan.items.size()), item);
  const json answer = itemJson(item);
  request.audit({sizeof(sdk::AuditRecord),
                 "assessment_item.create",
                 "assessment_plan",
                 std::to_string(plan.id),
                 {{"items", {{"old", nullptr}, {"new", answer}}}}});
  return sdk::Response::created(
      answer, "/api/v1/counties/" + plan.county + "/assessment-plans/" + std::to_string(plan.id));
}

sdk::Response AssessmentRoutes::correctItem(sdk::Request& request) {
  AssessmentStore store(request.db());
  auto plan = requirePlan(store, request);
  const auto item_id = request.pathId("item");
  auto found = std::find_if(plan.items.begin(), plan.items.end(),
                            [&](const AssessmentItem& item) { return item.id == item_id; });
  if (found == plan.items.end())
    throw sdk::NotFound("plan " + std::to_string(plan.id) + " has no item " +
                        std::to_string(item_id));
  sdk::requireSomeField(request.body(),
                        "kind, title, responsible_unit, points, method, "
                        "indicator, formula, target, mid_year_percent, per_unit");
  refuseWhenFrozen(store.scorings(plan.id), plan.id);
  const json before = itemJson(*found);
  AssessmentItem item = *found;
  std::vector<sdk::FieldError> problems;
  applyItem(request.body(), item, "", countyIndicators(plan.county), problems);
  // Points a person entered stay within the item: lowering the weight below them is refused.
  for (const char* stage : {"mid_year", "year_end"})
    for (const auto& entry : store.entries(plan.id, stage))
      if (entry.item_id == item.id && entry.points > item.points)
        problems.push_back({"points", "below-entered-points",
                            pointsText(entry.points) + " points were entered for " + stage +
                                "; enter fewer points first"});
  if (!problems.empty()) throw sdk::ValidationError(std::move(problems));
  const json after = itemJson(item);
  if (sdk::changedFields(before, after).empty()) sdk::refuseUnchanged(request.body());
  store.updateItem(item);
  request.audit({sizeof(sdk::AuditRecord),
                 "assessment_item.correct",
                 "assessment_plan",
                 std::to_string(plan.id),
                 {{"item_id", item.id}, {"changes", sdk::changedFields(before, after)}}});
  return sdk::Response::ok(after);
}

sdk::Response AssessmentRoutes::enterPoints(sdk::Request& request) {
  AssessmentStore store(request.db());
  auto plan = requirePlan(store, request);
  const auto stage = requireStage(request);
  const std::string stage_name(toString(stage));
  const auto item_id = request.pathId("item");
  auto item =
      std::find_if(plan.items.begin(), plan.items.end(),
                   [&](const AssessmentItem& candidate) { return candidate.id == item_id; });
  if (item == plan.items.end())
    throw sdk::NotFound("plan " + std::to_string(plan.id) + " has no item " +
                        std::to_string(item_id));
  if (auto scoring = store.scoring(plan.id, stage_name); scoring && scoring->status == "confirmed")
    throw sdk::Error(409, "scoring-confirmed", "Scoring confirmed",
                     "the " + stage_name + " scoring was confirmed by " +
                         scoring->confirmed_by.value_or("") + "; its points are frozen");
  if (item->method != "manual")
    throw sdk::ValidationError("points", "manual-item",
                               "item " + std::to_string(item->id) + " is computed from " +
                                   item->indicator + "; points are entered for manual items only");
  const json& body = request.body();
  AssessmentEntry entry;
  entry.item_id = item->id;
  entry.stage = stage_name;
  entry.points = *parsePoints(body["points"].get<std::string>());
  entry.evidence = body["evidence"];
  if (entry.evidence.find_first_not_of(" \t\r\n") == std::string::npos)
    throw sdk::ValidationError("evidence", "not-blank",
                               "points a person judges cite their evidence (a document, a visit)");
  entry.entered_by = request.caller().user;
  entry.entered_at = isoTimestamp(services_.clock.now());
  if (entry.points > item->points)
    throw sdk::ValidationError("points", "maximum",
                               "item " + std::to_string(item->id) + " gives at most " +
                                   pointsText(item->points) + " points");
  json old_entry = nullptr;
  for (const auto& existing : store.entries(plan.id, stage_name))
    if (existing.item_id == item->id)
      old_entry = {{"points", pointsText(existing.points)}, {"evidence", existing.evidence}};
  store.putEntry(entry);
  const json answer = {{"item_id", entry.item_id},           {"stage", entry.stage},
                       {"points", pointsText(entry.points)}, {"evidence", entry.evidence},
                       {"entered_by", entry.entered_by},     {"entered_at", entry.entered_at}};
  request.audit({sizeof(sdk::AuditRecord),
                 "assessment_points.enter",
                 "assessment_plan",
                 std::to_string(plan.id),
                 {{"item_id", item->id},
                  {"stage", stage_name},
                  {"points", {{"old", old_entry}, {"new", answer}}}}});
  return sdk::Response::ok(answer);
}

PlanScore AssessmentRoutes::computeScore(sdk::Request& request, AssessmentStore& store,
                                         const AssessmentPlan& plan, AssessmentStage stage) {
  const std::string stage_name(toString(stage));
  std::vector<std::string> modules;
  for (const auto& configured : config_.counties)
    if (configured.code == plan.county) modules = configured.modules;
  const sdk::IndicatorQuery period{plan.county, *sdk::Date::fromParts(plan.year, 1, 1),
                                   stageLastDay(plan.year, stage)};
  const auto entries = store.entries(plan.id, stage_name);
  std::vector<ItemFigures> figures;
  for (const auto& item : plan.items) {
    ItemFigures figure;
    if (item.method == "manual") {
      for (const auto& entry : entries)
        if (entry.item_id == item.id) {
          figure.entered_points = entry.points;
          figure.evidence = entry.evidence;
        }
    } else {
      const auto dot = item.indicator.find('.');
      const std::string module = item.indicator.substr(0, dot);
      const std::string id = item.indicator.substr(dot + 1);
      for (const auto& entry : services_.indicators)
        if (entry.plugin_id == module && entry.declaration.id == id &&
            std::find(modules.begin(), modules.end(), module) != modules.end()) {
          figure.actual = entry.declaration.compute(request.db(), period);
          figure.ratio = entry.declaration.measure == sdk::Measure::Ratio;
          figure.unit =
              entry.declaration.measure == sdk::Measure::Money ? "fen" : entry.declaration.unit;
        }
    }
    figures.push_back(std::move(figure));
  }
  return scorePlan(plan.items, figures, stage, plan.bonus_cap, plan.deduction_cap);
}

sdk::Response AssessmentRoutes::prepareScoring(sdk::Request& request) {
  AssessmentStore store(request.db());
  auto plan = requirePlan(store, request);
  const auto stage = requireStage(request);
  const std::string stage_name(toString(stage));
  const auto previous = store.scoring(plan.id, stage_name);
  if (previous && previous->status == "confirmed")
    throw sdk::Error(409, "scoring-confirmed", "Scoring confirmed",
                     "the " + stage_name + " scoring was confirmed by " +
                         previous->confirmed_by.value_or("") + " and is frozen");
  const PlanScore score = computeScore(request, store, plan, stage);
  AssessmentScoring scoring;
  scoring.plan_id = plan.id;
  scoring.stage = stage_name;
  scoring.status = "prepared";
  scoring.total = score.total;
  scoring.result = toJson(score).dump();
  scoring.prepared_by = request.caller().user;
  scoring.prepared_at = isoTimestamp(services_.clock.now());
  scoring.id = store.saveScoring(scoring);
  request.audit({sizeof(sdk::AuditRecord),
                 "assessment_scoring.prepare",
                 "assessment_plan",
                 std::to_string(plan.id),
                 {{"stage", stage_name},
                  {"total",
                   {{"old", previous ? json(pointsText(previous->total)) : json(nullptr)},
                    {"new", pointsText(score.total)}}}}});
  return sdk::Response::ok(scoringJson(plan, scoring));
}

sdk::Response AssessmentRoutes::scoring(sdk::Request& request) {
  AssessmentStore store(request.db());
  const auto plan = requirePlan(store, request);
  const std::string stage_name(toString(requireStage(request)));
  const auto scoring = store.scoring(plan.id, stage_name);
  if (!scoring)
    throw sdk::NotFound("plan " + std::to_string(plan.id) + " has no " + stage_name +
                        " scoring yet; POST to score it");
  return sdk::Response::ok(scoringJson(plan, *scoring));
}

sdk::Response AssessmentRoutes::confirmScoring(sdk::Request& request) {
  AssessmentStore store(request.db());
  const auto plan = requirePlan(store, request);
  const std::string stage_name(toString(requireStage(request)));
  auto scoring = store.scoring(plan.id, stage_name);
  if (!scoring)
    throw sdk::Error(409, "not-scored", "Not scored",
                     "plan " + std::to_string(plan.id) + " has no " + stage_name +
                         " scoring to confirm; score it first");
  if (scoring->status == "confirmed")
    throw sdk::Error(409, "scoring-confirmed", "Scoring confirmed",
                     "the " + stage_name + " scoring was confirmed by " +
                         scoring->confirmed_by.value_or("") + " already");
  const auto stage = requireStage(request);
  const sdk::Date last_day = stageLastDay(plan.year, stage);
  if (request.today() < last_day)
    throw sdk::Error(409, "stage-not-ended", "Stage not ended",
                     "the " + stage_name + " stage of " + std::to_string(plan.year) + " runs to " +
                         last_day.toString() + "; its result is confirmed from that day on");
  const std::string what = "the " + stage_name + " scoring of plan " + std::to_string(plan.id);
  sdk::requireFourEyes(request.caller(), scoring->prepared_by, what);
  // Whoever judged points of this stage does not confirm the result they feed either.
  for (const auto& entry : store.entries(plan.id, stage_name))
    sdk::requireFourEyes(request.caller(), entry.entered_by, what);
  // What is confirmed is what the figures say now: records entered, points or items changed
  // since it was scored make it stale.
  if (toJson(computeScore(request, store, plan, stage)).dump() != scoring->result)
    throw sdk::Error(409, "scoring-stale", "Scoring stale",
                     "the figures changed since " + scoring->prepared_by + " scored " + what +
                         " at " + scoring->prepared_at + "; score it again before confirming");
  const std::string at = isoTimestamp(services_.clock.now());
  store.confirmScoring(scoring->id, request.caller().user, at);
  scoring->status = "confirmed";
  scoring->confirmed_by = request.caller().user;
  scoring->confirmed_at = at;
  request.audit({sizeof(sdk::AuditRecord),
                 "assessment_scoring.confirm",
                 "assessment_plan",
                 std::to_string(plan.id),
                 {{"stage", stage_name},
                  {"status", {{"old", "prepared"}, {"new", "confirmed"}}},
                  {"total", pointsText(scoring->total)}}});
  return sdk::Response::ok(scoringJson(plan, *scoring));
}

}  // namespace civ::host
