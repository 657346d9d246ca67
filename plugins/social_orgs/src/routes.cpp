// The module's HTTP surface: every route with its permission, parameters, request schema and
// answers (the host checks them and documents the routes in /api/openapi.json).
#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "social_orgs_plugin.h"

namespace civ::plugins::social_orgs {

namespace {

using nlohmann::json;
using namespace sdk::schema;

/// An amount the clerk enters: yuan with at most two decimals, below a billion.
json amountInput() {
  return {{"type", "string"}, {"format", "money"}, {"pattern", "^[0-9]{1,9}(\\.[0-9]{1,2})?$"}};
}

json orgType() {
  return enumOf({{"group", {"社会团体", "social group"}},
                 {"pne", {"民办非企业单位（社会服务机构）", "private non-enterprise unit"}},
                 {"foundation", {"基金会", "foundation"}}});
}

json sector() {
  return enumOf({{"education", {"教育", "education"}},
                 {"health", {"卫生", "health"}},
                 {"elderly_care", {"养老服务", "elderly care"}},
                 {"culture_sports", {"文化体育", "culture and sports"}},
                 {"other", {"其他", "other"}}});
}

json foundationKind() {
  return enumOf({{"public", {"公募", "public"}}, {"non_public", {"非公募", "non-public"}}});
}

json status() {
  return enumOf({{"applied", {"已申请", "applied"}},
                 {"registered", {"已登记", "registered"}},
                 {"refused", {"不予登记", "refused"}},
                 {"liquidating", {"清算中", "liquidating"}},
                 {"deregistered", {"已注销", "deregistered"}}});
}

json result() {
  return enumOf({{"passed", {"合格", "passed"}},
                 {"basic", {"基本合格", "basically passed"}},
                 {"failed", {"不合格", "failed"}}});
}

json refusalGround() {
  return enumOf({{"unlawful_purpose", {"宗旨、业务范围不合法", "unlawful purpose"}},
                 {"similar_exists",
                  {"同一行政区域内已有业务范围相同或相似的组织",
                   "a similar organisation exists in the area"}},
                 {"founder_incapacity",
                  {"发起人、拟任负责人被剥夺政治权利或无完全民事行为能力",
                   "founder or leader deprived of rights or incapable"}},
                 {"false_documents", {"申请材料虚假", "false documents"}}});
}

json representative() { return object({{"citizen_id", citizenId()}, {"name", text(50)}}); }

json organisationSchema() {
  return object({{"id", id()},
                 {"type", orgType()},
                 {"name", text(100)},
                 {"sector", nullable(sector())},
                 {"foundation_kind", nullable(foundationKind())},
                 {"sponsor_unit", nullable(text(100))},
                 {"legal_representative", representative()},
                 {"address", text(200)},
                 {"township", text(100)},
                 {"individual_members", integer(0)},
                 {"unit_members", integer(0)},
                 {"funds", money()},
                 {"non_state_assets", nullable(money())},
                 {"rural_association", boolean()},
                 {"status", status()},
                 {"complete_on", date()},
                 {"decision_due", date()},
                 {"decided_on", nullable(date())},
                 {"refusal_ground", nullable(refusalGround())},
                 {"uscc", nullable(uscc())},
                 {"registered_on", nullable(date())},
                 {"first_activity_on", nullable(date())},
                 {"liquidation_ended_on", nullable(date())},
                 {"deregistration_due", nullable(date())},
                 {"deregistered_on", nullable(date())},
                 {"announced_on", nullable(date())}});
}

json inspectionSchema() {
  return object({{"id", id()},
                 {"organisation_id", id()},
                 {"organisation", text(100)},
                 {"year", integer(1990, 2100)},
                 {"sponsor_due", nullable(date())},
                 {"registry_due", date()},
                 {"sponsor_submitted_on", nullable(date())},
                 {"submitted_on", date()},
                 {"late", boolean()},
                 {"result", result()},
                 {"result_on", date()},
                 {"rectify_due", nullable(date())},
                 {"rectified_on", nullable(date())}});
}

json gradeAction() {
  return enumOf({{"award", {"评定", "award"}},
                 {"downgrade", {"降级", "downgrade"}},
                 {"cancel", {"取消等级", "cancel"}}});
}

json gradeSchema() {
  return object({{"id", id()},
                 {"organisation_id", id()},
                 {"organisation", text(100)},
                 {"action", gradeAction()},
                 {"grade", nullable(integer(1, 5))},
                 {"decided_on", date()},
                 {"valid_until", nullable(date())}});
}

json listName() {
  return enumOf({{"abnormal", {"活动异常名录", "abnormal-activity list"}},
                 {"serious", {"严重违法失信名单", "serious-dishonesty list"}}});
}

json listingCause() {
  return enumOf(
      {{"no_annual_report", {"未按规定报送年度工作报告", "no annual report"}},
       {"unreachable", {"通过登记的住所无法取得联系", "unreachable at its address"}},
       {"abnormal_two_years", {"列入活动异常名录满两年", "two years on the abnormal list"}},
       {"fake_change_registration", {"弄虚作假办理变更登记", "fake change registration"}},
       {"court_defaulter", {"失信被执行人", "court debt defaulter"}}});
}

json listingSchema() {
  return object({{"id", id()},
                 {"organisation_id", id()},
                 {"organisation", text(100)},
                 {"list", listName()},
                 {"cause", listingCause()},
                 {"cause_on", date()},
                 {"entry_due", date()},
                 {"listed_on", date()},
                 {"late", boolean()}});
}

json detailSchema() {
  json schema = organisationSchema();
  schema["properties"]["inspections"] = arrayOf(inspectionSchema());
  schema["properties"]["revocation"] =
      object({{"two_year_rule_year", nullable(integer(1990, 2100))},
              {"inactive_after_registration", boolean()}});
  schema["properties"]["grade"] = object({{"grade", nullable(integer(1, 5))},
                                          {"valid_until", nullable(date())},
                                          {"priority_purchase", boolean()},
                                          {"simpler_inspection", boolean()}});
  schema["required"].push_back("grade");
  schema["required"].push_back("inspections");
  schema["required"].push_back("revocation");
  return schema;
}

json overdueKind() {
  return enumOf(
      {{"decision", {"登记决定逾期", "decision overdue"}},
       {"inspection", {"年检未报", "inspection not submitted"}},
       {"rectification", {"整改逾期", "rectification overdue"}},
       {"deregistration", {"清算后未注销", "deregistration overdue"}},
       {"inactive", {"成立后一年未开展活动", "inactive for a year"}},
       {"two_year_rule", {"连续两年未年检或不合格", "two-year rule"}},
       {"serious_listing", {"列入活动异常名录满两年", "two years on the abnormal list"}}});
}

json overdueSchema() {
  return object({{"on", date()},
                 {"items", arrayOf(object({{"kind", overdueKind()},
                                           {"organisation_id", id()},
                                           {"name", text(100)},
                                           {"township", text(100)},
                                           {"due", nullable(date())},
                                           {"detail", text(500)}}))}});
}

}  // namespace

void SocialOrgsPlugin::addRoutes() {
  auto& router = context_->router();
  const auto handle = [this](sdk::Response (SocialOrgsPlugin::*handler)(sdk::Request&)) {
    return [this, handler](sdk::Request& request) { return (this->*handler)(request); };
  };
  using sdk::Permission;
  using sdk::Route;
  using P = SocialOrgsPlugin;

  router.add(
      Route::post("/organisations")
          .summary("成立登记申请",
                   "Apply to register a social group, 民非 or foundation; the type's conditions "
                   "are checked and the decision is due 60 days after complete documents")
          .body(object({{"type", orgType()},
                        {"name", text(100)},
                        {"sector", optional(sector())},
                        {"foundation_kind", optional(foundationKind())},
                        {"sponsor_unit", optional(text(100))},
                        {"legal_representative", representative()},
                        {"address", text(200)},
                        {"township", text(100)},
                        {"individual_members", optional(integer(0, 1000000))},
                        {"unit_members", optional(integer(0, 1000000))},
                        {"funds", amountInput()},
                        {"non_state_assets", optional(amountInput())},
                        {"rural_association", optional(boolean())},
                        {"complete_on", optional(date())}}))
          .created(organisationSchema()),
      handle(&P::apply));
  router.add(Route::post("/organisations/{id}/decision")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("登记决定",
                          "Register (the credit code given is checked, else one is "
                          "assigned) or refuse on a named ground")
                 .body(object({{"decision", enumOf({{"register", {"准予登记", "register"}},
                                                    {"refuse", {"不予登记", "refuse"}}})},
                               {"uscc", optional(uscc())},
                               {"refusal_ground", optional(refusalGround())}}))
                 .ok(organisationSchema()),
             handle(&P::decide));
  router.add(
      Route::get("/organisations")
          .summary("社会组织查询",
                   "Find organisations by type, status, township, name, credit code")
          .list(organisationSchema(), kOrganisationList)
          .query("type", describe(orgType(), {"类型", "Only this type"}))
          .query("status", describe(status(), {"状态", "Only this status"}))
          .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
          .query("name", describe(text(100), {"名称（包含）", "Name contains"}))
          .query("uscc", describe(uscc(), {"统一社会信用代码", "Credit code"}))
          .query("rural_association",
                 describe(boolean(), {"农村专业经济协会", "Only rural professional associations"})),
      handle(&P::listOrganisations));
  router.add(Route::get("/organisations/{id}")
                 .console({{"record", "organisation"}})
                 .pathId("id")
                 .summary("社会组织详情",
                          "An organisation with its inspections and the revocation rules it meets")
                 .ok(detailSchema()),
             handle(&P::getOrganisation));
  router.add(
      Route::patch("/organisations/{id}")
          .pathId("id")
          .summary("更正社会组织登记信息",
                   "Correct what was typed (the registration conditions apply again); audited "
                   "with old and new values")
          .body(describe(object({{"name", optional(text(100))},
                                 {"sponsor_unit", optional(text(100))},
                                 {"legal_representative", optional(representative())},
                                 {"address", optional(text(200))},
                                 {"township", optional(text(100))},
                                 {"individual_members", optional(integer(0, 1000000))},
                                 {"unit_members", optional(integer(0, 1000000))},
                                 {"funds", optional(amountInput())},
                                 {"non_state_assets", optional(amountInput())},
                                 {"rural_association", optional(boolean())},
                                 {"first_activity_on", optional(date())}}),
                         {"至少一项", "At least one field"}))
          .ok(organisationSchema()),
      handle(&P::correctOrganisation));
  router.add(Route::post("/organisations/{id}/inspections")
                 .pathId("id")
                 .summary("登记年检结论",
                          "Record a year's annual inspection: papers' dates and the result; "
                          "基本合格 and 不合格 set a rectification due date")
                 .body(object({{"year", integer(1990, 2100)},
                               {"sponsor_submitted_on", optional(date())},
                               {"submitted_on", date()},
                               {"result", result()}}))
                 .created(inspectionSchema()),
             handle(&P::recordInspection));
  router.add(Route::get("/inspections")
                 .summary("年检查询", "Inspections by year, result and township")
                 .list(inspectionSchema(), kInspectionList)
                 .query("year", describe(integer(1990, 2100), {"年度", "Only this year"}))
                 .query("result", describe(result(), {"结论", "Only this result"}))
                 .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
                 .query("unrectified",
                        describe(boolean(), {"未整改", "Only those awaiting rectification"})),
             handle(&P::listInspections));
  router.add(Route::post("/inspections/{id}/rectification")
                 .pathId("id")
                 .summary("登记整改完成", "Record that the organisation rectified")
                 .body(object({{"rectified_on", date()}}))
                 .ok(inspectionSchema()),
             handle(&P::recordRectification));
  router.add(Route::post("/organisations/{id}/liquidation")
                 .pathId("id")
                 .summary("清算结束",
                          "Record the end of liquidation: deregistration is due within 15 days")
                 .body(object({{"ended_on", date()}}))
                 .ok(organisationSchema()),
             handle(&P::recordLiquidation));
  router.add(Route::post("/organisations/{id}/deregistration")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("注销登记并公告", "Deregister after liquidation, with the announcement")
                 .body(object({{"announced_on", date()}}))
                 .ok(organisationSchema()),
             handle(&P::deregister));
  router.add(
      Route::post("/organisations/{id}/grades")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("评估等级决定",
                   "Award a grade (1A-5A, valid five years; eligibility and the bars after a "
                   "downgrade or cancellation are checked), downgrade or cancel it")
          .body(object({{"action", gradeAction()}, {"grade", optional(integer(1, 5))}}))
          .created(gradeSchema()),
      handle(&P::decideGrade));
  router.add(Route::get("/grades")
                 .summary("评估等级查询", "Grade decisions by action and grade")
                 .list(gradeSchema(), kGradeList)
                 .query("action", describe(gradeAction(), {"决定类型", "Only this action"}))
                 .query("grade", describe(integer(1, 5), {"等级", "Only this grade"}))
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"})),
             handle(&P::listGrades));
  router.add(
      Route::post("/organisations/{id}/listings")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("列入信用名单",
                   "Enter the organisation on the abnormal-activity list (due within 5 "
                   "working days of the cause) or, after two years there or for a serious "
                   "cause, on the serious-dishonesty list")
          .body(object({{"list", listName()}, {"cause", listingCause()}, {"cause_on", date()}}))
          .created(listingSchema()),
      handle(&P::listOrganisation));
  router.add(Route::get("/listings")
                 .summary("信用名单查询", "Entries of the credit lists")
                 .list(listingSchema(), kListingList)
                 .query("list", describe(listName(), {"名单", "Only this list"}))
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"})),
             handle(&P::listListings));
  router.add(Route::get("/overdue")
                 .console({{"queue", true}})
                 .summary("逾期事项",
                          "Every overdue item today: decisions, inspections, rectifications, "
                          "deregistrations, inactive groups, the two-year rule")
                 .ok(overdueSchema()),
             handle(&P::overdue));
}

}  // namespace civ::plugins::social_orgs
