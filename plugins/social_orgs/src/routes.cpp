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
                 {"deregistered", {"已注销", "deregistered"}},
                 {"revoked", {"已撤销登记", "registration revoked"}}});
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

json representative() {
  return object({{"citizen_id", citizenId()}, {"name", describe(text(50), {"姓名", "Name"})}});
}

// --- Titles the routes repeat (the console's labels) --------------------------------------------

json foundationKindField(json schema) {
  return describe(std::move(schema), {"基金会类型", "Public or non-public foundation"});
}
json individualMembers(json schema) {
  return describe(std::move(schema), {"个人会员数", "Individual members (社会团体)"});
}
json unitMembers(json schema) {
  return describe(std::move(schema), {"单位会员数", "Unit members (社会团体)"});
}
json nonStateAssets(json schema) {
  return describe(std::move(schema),
                  {"非国有资产（元）", "Non-state assets (民办非企业单位, at least 2/3; yuan)"});
}
json ruralAssociation(json schema) {
  return describe(std::move(schema), {"农村专业经济协会", "A rural professional association"});
}
json completeOn(json schema) {
  return describe(std::move(schema),
                  {"材料齐全日期", "Documents complete on: the 60-day decision limit starts"});
}
json refusalGroundField(json schema) {
  return describe(std::move(schema), {"不予登记理由", "Ground of the refusal"});
}
json firstActivityOn(json schema) {
  return describe(std::move(schema), {"首次开展活动日期", "First activity after registration"});
}
json sponsorSubmittedOn(json schema) {
  return describe(std::move(schema), {"报送业务主管单位日期", "Papers to the sponsor unit on"});
}
json inspectionResult(json schema) {
  return describe(std::move(schema), {"年检结论", "Result of the annual inspection"});
}
json rectifiedOn(json schema) {
  return describe(std::move(schema), {"整改完成日期", "Rectified on"});
}
json gradeAction(json schema) { return describe(std::move(schema), {"决定类型", "Action"}); }
json listField(json schema) { return describe(std::move(schema), {"名单", "Which list"}); }
json listingCauseField(json schema) {
  return describe(std::move(schema), {"列入事由", "Why the organisation is listed"});
}
json causeOn(json schema) {
  return describe(std::move(schema), {"事由发生日期", "When the cause arose"});
}
json removedOn(json schema) { return describe(std::move(schema), {"移出日期", "Removed on"}); }
json penaltyGroundField(json schema) {
  return describe(std::move(schema), {"违法情形", "The offence"});
}
json facts(json schema) { return describe(std::move(schema), {"违法事实", "Facts found"}); }
json openedOn(json schema) { return describe(std::move(schema), {"立案日期", "Case filed on"}); }
json penaltyKindField(json schema) {
  return describe(std::move(schema), {"处罚种类", "Kind of penalty"});
}
json fine(json schema) { return describe(std::move(schema), {"罚款金额（元）", "Fine (yuan)"}); }
json illegalTurnover(json schema) {
  return describe(std::move(schema), {"违法经营额（元）", "Illegal turnover (yuan)"});
}
json illegalIncome(json schema) {
  return describe(std::move(schema), {"违法所得（元）", "Illegal income (yuan)"});
}
json confiscated(json schema) {
  return describe(std::move(schema), {"没收金额（元）", "Amount confiscated (yuan)"});
}
json suspendedFrom(json schema) {
  return describe(std::move(schema), {"停止活动起始日期", "Activity suspended from"});
}
json suspendedUntil(json schema) {
  return describe(std::move(schema), {"停止活动截止日期", "Activity suspended until"});
}
json actedAs(json schema) {
  return describe(std::move(schema), {"冒用类型", "The kind of organisation it acted as"});
}
json banGroundField(json schema) {
  return describe(std::move(schema), {"取缔情形", "Ground of the ban"});
}
json personsInCharge(json schema) {
  return describe(std::move(schema), {"负责人", "Persons in charge"});
}
json charterNote(json schema) {
  return describe(std::move(schema), {"章程核准事项", "What the charter approval is about"});
}
json sponsorApprovedOn(json schema) {
  return describe(std::move(schema),
                  {"业务主管单位审查同意日期", "Approved by the sponsor unit on"});
}
json businessScope(json schema) {
  return describe(std::move(schema), {"业务范围", "Business scope"});
}

json organisationSchema() {
  return object(
      {{"id", id()},
       {"type", orgType()},
       {"name", text(100)},
       {"sector", nullable(sector())},
       {"foundation_kind", foundationKindField(nullable(foundationKind()))},
       {"sponsor_unit", nullable(text(100))},
       {"legal_representative", representative()},
       {"address", text(200)},
       {"township", text(100)},
       {"individual_members", individualMembers(integer(0))},
       {"unit_members", unitMembers(integer(0))},
       {"funds", money()},
       {"non_state_assets", nonStateAssets(nullable(money()))},
       {"rural_association", ruralAssociation(boolean())},
       {"status", status()},
       {"complete_on", completeOn(date())},
       {"decision_due", date()},
       {"decided_on", nullable(date())},
       {"refusal_ground", refusalGroundField(nullable(refusalGround()))},
       {"uscc", nullable(uscc())},
       {"registered_on", nullable(date())},
       {"first_activity_on", firstActivityOn(nullable(date()))},
       {"liquidation_ended_on",
        describe(nullable(date()), {"清算结束日期", "Liquidation ended on"})},
       {"deregistration_due",
        describe(nullable(date()), {"注销登记期限", "15 days after liquidation ends"})},
       {"deregistered_on", describe(nullable(date()), {"注销登记日期", "Deregistered on"})},
       {"announced_on", nullable(date())},
       {"revoked_on", describe(nullable(date()), {"撤销登记日期", "Registration revoked on"})},
       {"business_scope", businessScope(nullable(text(500)))}});
}

json inspectionSchema() {
  return object(
      {{"id", id()},
       {"organisation_id", id()},
       {"organisation", text(100)},
       {"year", integer(1990, 2100)},
       {"sponsor_due",
        describe(nullable(date()), {"报送业务主管单位期限", "Papers due at the sponsor unit"})},
       {"registry_due",
        describe(date(), {"报送登记管理机关期限", "Papers due at the registration authority"})},
       {"sponsor_submitted_on", sponsorSubmittedOn(nullable(date()))},
       {"submitted_on", date()},
       {"late", boolean()},
       {"result", inspectionResult(result())},
       {"result_on", describe(date(), {"结论日期", "Result given on"})},
       {"rectify_due", describe(nullable(date()), {"整改期限",
                                                   "Rectification due (基本合格, "
                                                   "不合格)"})},
       {"rectified_on", rectifiedOn(nullable(date()))}});
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
                 {"action", gradeAction(gradeAction())},
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
                 {"list", listField(listName())},
                 {"cause", listingCauseField(listingCause())},
                 {"cause_on", causeOn(date())},
                 {"entry_due", describe(date(), {"列入期限", "Entry due (5 working days)"})},
                 {"listed_on", describe(date(), {"列入日期", "Listed on"})},
                 {"late", boolean()},
                 {"removed_on", removedOn(nullable(date()))},
                 {"removal_reason", describe(nullable(text(500)), {"移出原因", "Why removed"})},
                 {"township", text(100)}});
}

json detailSchema() {
  json schema = organisationSchema();
  schema["properties"]["inspections"] =
      describe(arrayOf(inspectionSchema()), {"年检记录", "Annual inspections"});
  schema["properties"]["revocation"] = describe(
      object({{"two_year_rule_year",
               describe(nullable(integer(1990, 2100)),
                        {"连续两年未年检或不合格的年度",
                         "民办非企业单位: the year completing two years absent or failed"})},
              {"inactive_after_registration",
               describe(boolean(), {"成立后一年未开展活动", "社会团体: inactive for a year"})}}),
      {"应撤销登记的情形", "The revocation rules it meets"});
  schema["properties"]["grade"] = describe(
      object(
          {{"grade", nullable(integer(1, 5))},
           {"valid_until", nullable(date())},
           {"priority_purchase",
            describe(boolean(),
                     {"优先承接政府购买服务", "3A and above: priority in service purchases"})},
           {"simpler_inspection",
            describe(boolean(), {"简化年检程序", "4A and above: a simpler annual inspection"})}}),
      {"评估等级", "The grade in force"});
  schema["required"].push_back("grade");
  schema["required"].push_back("inspections");
  schema["required"].push_back("revocation");
  return schema;
}

json penaltyGround() {
  return enumOf(
      {{"forged_certificate", {"涂改、出租、出借登记证书或印章", "certificate or seal misused"}},
       {"beyond_scope", {"超出章程规定的宗旨和业务范围", "beyond its charter's purpose and scope"}},
       {"refused_supervision", {"拒不接受或者不按照规定接受监督检查", "refused supervision"}},
       {"no_change_registration", {"不按照规定办理变更登记", "changes not registered"}},
       {"unauthorised_branch", {"擅自设立分支机构、代表机构", "unauthorised branch"}},
       {"profit_making", {"从事营利性的经营活动", "profit-making business"}},
       {"misused_assets",
        {"侵占、私分、挪用资产或者所接受的捐赠、资助", "assets or donations misappropriated"}},
       {"unlawful_charges",
        {"违反规定收取费用、筹集资金或者接受、使用捐赠、资助", "unlawful charges or fundraising"}},
       {"other", {"其他违法行为", "other offence"}}});
}

json penaltyKind() {
  return enumOf({{"warning", {"警告", "warning"}},
                 {"fine", {"罚款", "fine"}},
                 {"confiscation", {"没收违法所得、非法财物", "confiscation"}},
                 {"suspension", {"限期停止活动", "suspension of activity"}},
                 {"revocation", {"撤销登记", "registration revoked"}}});
}

json penaltySchema() {
  return object(
      {{"id", id()},
       {"organisation_id", id()},
       {"organisation", text(100)},
       {"township", text(100)},
       {"ground", penaltyGroundField(penaltyGround())},
       {"facts", facts(text(2000))},
       {"opened_on", openedOn(date())},
       {"opened_by", describe(text(64), {"立案人", "Case filed by"})},
       {"decision_due", date()},
       {"status", enumOf({{"open", {"调查中", "open"}}, {"decided", {"已决定", "decided"}}})},
       {"overdue", boolean()},
       {"late", boolean()},
       {"hearing_notified_on", describe(nullable(date()), {"听证告知日期", "Hearing notice on"})},
       {"hearing_request_deadline",
        describe(nullable(date()), {"申请听证期限", "Last day to request a hearing"})},
       {"hearing_requested", describe(boolean(), {"当事人申请听证", "A hearing was requested"})},
       {"hearing_requested_on",
        describe(nullable(date()), {"申请听证日期", "Hearing requested on"})},
       {"hearing_held_on", describe(nullable(date()), {"听证举行日期", "Hearing held on"})},
       {"kind", penaltyKindField(nullable(penaltyKind()))},
       {"fine", fine(nullable(money()))},
       {"illegal_turnover", illegalTurnover(nullable(money()))},
       {"illegal_income", illegalIncome(nullable(money()))},
       {"confiscated", confiscated(nullable(money()))},
       {"suspended_from", suspendedFrom(nullable(date()))},
       {"suspended_until", suspendedUntil(nullable(date()))},
       {"decided_on", nullable(date())},
       {"decided_by", nullable(text(64))}});
}

json banGround() {
  return enumOf(
      {{"unregistered", {"未经登记，擅自以社会组织名义进行活动", "acting without registration"}},
       {"beyond_preparation", {"筹备期间开展筹备以外的活动", "activity beyond preparation"}},
       {"after_revocation",
        {"被撤销登记、吊销登记证书或注销后继续以社会组织名义活动",
         "acting after revocation or deregistration"}}});
}

json banSchema() {
  return object({{"id", id()},
                 {"name", text(100)},
                 {"acted_as", actedAs(orgType())},
                 {"ground", banGroundField(banGround())},
                 {"persons_in_charge", personsInCharge(text(200))},
                 {"address", text(200)},
                 {"township", text(100)},
                 {"facts", facts(text(2000))},
                 {"decided_on", date()}});
}

json changeKind() {
  return enumOf({{"change", {"变更登记", "change registration"}},
                 {"charter", {"章程核准", "charter approval"}}});
}

json changeStatus() {
  return enumOf({{"applied", {"已申请", "applied"}},
                 {"approved", {"已核准", "approved"}},
                 {"refused", {"不予核准", "refused"}}});
}

/// What a change registration may change; the answer holds only what the application names.
json changeItems(bool input) {
  return object({{"name", optional(text(100))},
                 {"address", optional(text(200))},
                 {"township", optional(text(100))},
                 {"legal_representative", optional(representative())},
                 {"sponsor_unit", optional(text(100))},
                 {"funds", optional(input ? amountInput() : money())},
                 {"business_scope", businessScope(optional(text(500)))}});
}

json changeSchema() {
  return object(
      {{"id", id()},
       {"organisation_id", id()},
       {"organisation", text(100)},
       {"township", text(100)},
       {"kind", changeKind()},
       {"changes", changeItems(false)},
       {"charter_note", charterNote(nullable(text(2000)))},
       {"sponsor_approved_on", sponsorApprovedOn(nullable(date()))},
       {"apply_due", describe(nullable(date()), {"申请期限",
                                                 "30 days after the sponsor unit's "
                                                 "approval"})},
       {"applied_late", describe(boolean(), {"逾期申请", "Applied after the due day"})},
       {"applied_on", date()},
       {"decision_due", date()},
       {"status", changeStatus()},
       {"overdue", boolean()},
       {"decided_on", nullable(date())},
       {"refusal_reason", describe(nullable(text(500)), {"不予核准理由", "Why refused"})}});
}

json filingKind() {
  return enumOf(
      {{"seal", {"印章备案", "seal"}}, {"bank_account", {"银行账户备案", "bank account"}}});
}

json filingSchema() {
  return object({{"id", id()},
                 {"organisation_id", id()},
                 {"organisation", text(100)},
                 {"township", text(100)},
                 {"kind", filingKind()},
                 {"description", text(200)},
                 {"filed_on", date()}});
}

json overdueKind() {
  return enumOf({{"decision", {"登记决定逾期", "decision overdue"}},
                 {"inspection", {"年检未报", "inspection not submitted"}},
                 {"rectification", {"整改逾期", "rectification overdue"}},
                 {"deregistration", {"清算后未注销", "deregistration overdue"}},
                 {"inactive", {"成立后一年未开展活动", "inactive for a year"}},
                 {"two_year_rule", {"连续两年未年检或不合格", "two-year rule"}},
                 {"serious_listing", {"列入活动异常名录满两年", "two years on the abnormal list"}},
                 {"penalty_decision", {"处罚案件逾期未决定", "penalty decision overdue"}},
                 {"change_decision", {"变更申请逾期未决定", "change decision overdue"}}});
}

json overdueSchema() {
  return object(
      {{"on", date()},
       {"items",
        describe(arrayOf(object({{"kind", overdueKind()},
                                 {"organisation_id", id()},
                                 {"name", text(100)},
                                 {"township", text(100)},
                                 {"due", nullable(date())},
                                 {"detail", describe(text(500), {"说明", "What is overdue"})}})),
                 {"逾期事项", "Every overdue item"})}});
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
                        {"foundation_kind", foundationKindField(optional(foundationKind()))},
                        {"sponsor_unit", optional(text(100))},
                        {"legal_representative", representative()},
                        {"address", text(200)},
                        {"township", text(100)},
                        {"individual_members", individualMembers(optional(integer(0, 1000000)))},
                        {"unit_members", unitMembers(optional(integer(0, 1000000)))},
                        {"funds", amountInput()},
                        {"non_state_assets", nonStateAssets(optional(amountInput()))},
                        {"rural_association", ruralAssociation(optional(boolean()))},
                        {"complete_on", completeOn(optional(date()))}}))
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
                               {"refusal_ground", refusalGroundField(optional(refusalGround()))}}))
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
          .body(describe(
              object({{"name", optional(text(100))},
                      {"sponsor_unit", optional(text(100))},
                      {"legal_representative", optional(representative())},
                      {"address", optional(text(200))},
                      {"township", optional(text(100))},
                      {"individual_members", individualMembers(optional(integer(0, 1000000)))},
                      {"unit_members", unitMembers(optional(integer(0, 1000000)))},
                      {"funds", optional(amountInput())},
                      {"non_state_assets", nonStateAssets(optional(amountInput()))},
                      {"rural_association", ruralAssociation(optional(boolean()))},
                      {"first_activity_on", firstActivityOn(optional(date()))}}),
              {"至少一项", "At least one field"}))
          .ok(organisationSchema()),
      handle(&P::correctOrganisation));
  router.add(Route::post("/organisations/{id}/inspections")
                 .pathId("id")
                 .summary("登记年检结论",
                          "Record a year's annual inspection: papers' dates and the result; "
                          "基本合格 and 不合格 set a rectification due date")
                 .body(object({{"year", integer(1990, 2100)},
                               {"sponsor_submitted_on", sponsorSubmittedOn(optional(date()))},
                               {"submitted_on", date()},
                               {"result", inspectionResult(result())}}))
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
                 .body(object({{"rectified_on", rectifiedOn(date())}}))
                 .ok(inspectionSchema()),
             handle(&P::recordRectification));
  router.add(
      Route::patch("/inspections/{id}")
          .pathId("id")
          .summary("更正年检记录",
                   "Correct the papers' dates or the result (rectification follows the "
                   "result); audited with old and new values")
          .body(describe(object({{"sponsor_submitted_on", sponsorSubmittedOn(optional(date()))},
                                 {"submitted_on", optional(date())},
                                 {"result", inspectionResult(optional(result()))}}),
                         {"至少一项", "At least one field"}))
          .ok(inspectionSchema()),
      handle(&P::correctInspection));
  router.add(
      Route::post("/organisations/{id}/liquidation")
          .pathId("id")
          .summary("清算结束",
                   "Record the end of liquidation: deregistration is due within 15 days")
          .body(object({{"ended_on", describe(date(), {"清算结束日期", "Liquidation ended on"})}}))
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
          .body(
              object({{"action", gradeAction(gradeAction())}, {"grade", optional(integer(1, 5))}}))
          .created(gradeSchema()),
      handle(&P::decideGrade));
  router.add(Route::get("/grades")
                 .summary("评估等级查询", "Grade decisions by action and grade")
                 .list(gradeSchema(), kGradeList)
                 .query("action", describe(gradeAction(), {"决定类型", "Only this action"}))
                 .query("grade", describe(integer(1, 5), {"等级", "Only this grade"}))
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"})),
             handle(&P::listGrades));
  router.add(Route::patch("/grades/{id}")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("更正评估等级", "Correct the grade of an award or downgrade; audited")
                 .body(object({{"grade", integer(1, 5)}}))
                 .ok(gradeSchema()),
             handle(&P::correctGrade));
  router.add(Route::post("/organisations/{id}/listings")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("列入信用名单",
                          "Enter the organisation on the abnormal-activity list (due within 5 "
                          "working days of the cause) or, after two years there or for a serious "
                          "cause, on the serious-dishonesty list")
                 .body(object({{"list", listField(listName())},
                               {"cause", listingCauseField(listingCause())},
                               {"cause_on", causeOn(date())}}))
                 .created(listingSchema()),
             handle(&P::listOrganisation));
  router.add(Route::post("/listings/{id}/removal")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("移出信用名单", "Remove the organisation from the list, with the reason")
                 .body(object({{"removed_on", removedOn(date())}, {"reason", text(500)}}))
                 .ok(listingSchema()),
             handle(&P::removeListing));
  router.add(Route::patch("/listings/{id}")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("更正信用名单记录",
                          "Correct the cause or its day (the entry's due day follows); audited")
                 .body(describe(object({{"cause", listingCauseField(optional(listingCause()))},
                                        {"cause_on", causeOn(optional(date()))}}),
                                {"至少一项", "At least one field"}))
                 .ok(listingSchema()),
             handle(&P::correctListing));
  router.add(Route::get("/listings")
                 .summary("信用名单查询", "Entries of the credit lists")
                 .list(listingSchema(), kListingList)
                 .query("list", describe(listName(), {"名单", "Only this list"}))
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"}))
                 .query("current", describe(boolean(), {"仍在名单", "Only entries not removed"})),
             handle(&P::listListings));
  router.add(Route::post("/organisations/{id}/penalties")
                 .pathId("id")
                 .summary("行政处罚立案",
                          "File a penalty case against a registered organisation: the decision "
                          "is due 90 days after filing (行政处罚法 §60)")
                 .body(object({{"ground", penaltyGroundField(penaltyGround())},
                               {"facts", facts(text(2000))},
                               {"opened_on", openedOn(optional(date()))}}))
                 .created(penaltySchema()),
             handle(&P::openPenalty));
  router.add(
      Route::post("/penalties/{id}/hearing")
          .pathId("id")
          .summary("听证告知",
                   "Record the hearing notice, the party's request (within five days) "
                   "and the day the hearing was held")
          .body(object(
              {{"notified_on", describe(date(), {"听证告知日期", "Hearing notice on"})},
               {"requested_on",
                describe(optional(date()), {"申请听证日期", "Hearing requested on"})},
               {"held_on", describe(optional(date()), {"听证举行日期", "Hearing held on"})}}))
          .ok(penaltySchema()),
      handle(&P::recordHearing));
  router.add(
      Route::post("/penalties/{id}/decision")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("行政处罚决定",
                   "Decide the penalty (not by the user who filed the case): a fine within its "
                   "multiples of the illegal turnover or income; a suspension, a revocation or a "
                   "large amount only after the hearing notice; a revocation ends the "
                   "registration")
          .body(object({{"kind", penaltyKindField(penaltyKind())},
                        {"fine", fine(optional(amountInput()))},
                        {"illegal_turnover", illegalTurnover(optional(amountInput()))},
                        {"illegal_income", illegalIncome(optional(amountInput()))},
                        {"confiscated", confiscated(optional(amountInput()))},
                        {"suspended_from", suspendedFrom(optional(date()))},
                        {"suspended_until", suspendedUntil(optional(date()))}}))
          .ok(penaltySchema()),
      handle(&P::decidePenalty));
  router.add(Route::get("/penalties")
                 .summary("行政处罚查询", "Penalty cases by organisation, status, kind, township")
                 .list(penaltySchema(), kPenaltyList)
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"}))
                 .query("status", describe(enumOf({{"open", {"调查中", "open"}},
                                                   {"decided", {"已决定", "decided"}}}),
                                           {"状态", "Only open or only decided cases"}))
                 .query("kind", describe(penaltyKind(), {"处罚种类", "Only this kind"}))
                 .query("ground", describe(penaltyGround(), {"违法情形", "Only this ground"}))
                 .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
                 .query("overdue",
                        describe(boolean(), {"逾期未决定", "Only undecided past their due day"}))
                 .query("opened_from", describe(date(), {"立案日期起", "Filed on or after"}))
                 .query("opened_to", describe(date(), {"立案日期止", "Filed on or before"})),
             handle(&P::listPenalties));
  router.add(Route::patch("/penalties/{id}")
                 .pathId("id")
                 .summary("更正处罚案件",
                          "Correct the ground, facts or filing date (the due day follows); "
                          "audited with old and new values")
                 .body(describe(object({{"ground", penaltyGroundField(optional(penaltyGround()))},
                                        {"facts", facts(optional(text(2000)))},
                                        {"opened_on", openedOn(optional(date()))}}),
                                {"至少一项", "At least one field"}))
                 .ok(penaltySchema()),
             handle(&P::correctPenalty));
  router.add(Route::post("/bans")
                 .permission(Permission::Approve)
                 .summary("取缔非法社会组织",
                          "Record a ban of an unregistered body acting as a social organisation "
                          "(民政部令第77号)")
                 .body(object({{"name", text(100)},
                               {"acted_as", actedAs(orgType())},
                               {"ground", banGroundField(banGround())},
                               {"persons_in_charge", personsInCharge(text(200))},
                               {"address", text(200)},
                               {"township", text(100)},
                               {"facts", facts(text(2000))},
                               {"decided_on", date()}}))
                 .created(banSchema()),
             handle(&P::recordBan));
  router.add(Route::get("/bans")
                 .summary("取缔查询", "Bans by township, name, ground and date")
                 .list(banSchema(), kBanList)
                 .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
                 .query("name", describe(text(100), {"名称（包含）", "Name contains"}))
                 .query("ground", describe(banGround(), {"情形", "Only this ground"}))
                 .query("acted_as", describe(orgType(), {"冒用类型", "Only bodies acting as"}))
                 .query("decided_from", describe(date(), {"取缔日期起", "Decided on or after"}))
                 .query("decided_to", describe(date(), {"取缔日期止", "Decided on or before"})),
             handle(&P::listBans));
  router.add(Route::patch("/bans/{id}")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("更正取缔记录", "Correct a ban record; audited with old and new values")
                 .body(describe(object({{"name", optional(text(100))},
                                        {"acted_as", actedAs(optional(orgType()))},
                                        {"ground", banGroundField(optional(banGround()))},
                                        {"persons_in_charge", personsInCharge(optional(text(200)))},
                                        {"address", optional(text(200))},
                                        {"township", optional(text(100))},
                                        {"facts", facts(optional(text(2000)))},
                                        {"decided_on", optional(date())}}),
                                {"至少一项", "At least one field"}))
                 .ok(banSchema()),
             handle(&P::correctBan));
  router.add(
      Route::post("/organisations/{id}/changes")
          .pathId("id")
          .summary("变更登记、章程核准申请",
                   "Apply to change the name, address, legal representative, sponsor, funds or "
                   "business scope, or for a charter's approval: due 30 days after the "
                   "sponsor's approval; the registration conditions are checked again")
          .body(object({{"kind", changeKind()},
                        {"changes", optional(changeItems(true))},
                        {"charter_note", charterNote(optional(text(2000)))},
                        {"sponsor_approved_on", sponsorApprovedOn(optional(date()))},
                        {"applied_on", optional(date())}}))
          .created(changeSchema()),
      handle(&P::applyChange));
  router.add(
      Route::post("/changes/{id}/decision")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("变更登记、章程核准决定",
                   "Approve (the changes are applied to the organisation, audited old "
                   "and new) or refuse with a reason")
          .body(object(
              {{"decision",
                enumOf({{"approve", {"核准", "approve"}}, {"refuse", {"不予核准", "refuse"}}})},
               {"refusal_reason", describe(optional(text(500)), {"不予核准理由", "Why refused"})}}))
          .ok(changeSchema()),
      handle(&P::decideChange));
  router.add(Route::get("/changes")
                 .summary("变更登记查询", "Change and charter applications")
                 .list(changeSchema(), kChangeList)
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"}))
                 .query("status", describe(changeStatus(), {"状态", "Only this status"}))
                 .query("kind", describe(changeKind(), {"类型", "Only this kind"}))
                 .query("overdue",
                        describe(boolean(), {"逾期未决定", "Only undecided past their due day"})),
             handle(&P::listChanges));
  router.add(
      Route::patch("/changes/{id}")
          .pathId("id")
          .summary("更正变更申请",
                   "Correct the dates or the charter note of an undecided application; "
                   "audited with old and new values")
          .body(describe(object({{"sponsor_approved_on", sponsorApprovedOn(optional(date()))},
                                 {"applied_on", optional(date())},
                                 {"charter_note", charterNote(optional(text(2000)))}}),
                         {"至少一项", "At least one field"}))
          .ok(changeSchema()),
      handle(&P::correctChange));
  router.add(
      Route::post("/organisations/{id}/filings")
          .pathId("id")
          .summary("印章、银行账户备案", "File a seal or a bank account of the organisation")
          .body(object({{"kind", filingKind()}, {"description", text(200)}, {"filed_on", date()}}))
          .created(filingSchema()),
      handle(&P::recordFiling));
  router.add(Route::get("/filings")
                 .summary("备案查询", "Seal and bank-account filings")
                 .list(filingSchema(), kFilingList)
                 .query("organisation_id", describe(id(), {"组织", "Only this organisation's"}))
                 .query("kind", describe(filingKind(), {"类型", "Only this kind"})),
             handle(&P::listFilings));
  router.add(Route::patch("/filings/{id}")
                 .pathId("id")
                 .summary("更正备案", "Correct a filing; audited with old and new values")
                 .body(describe(object({{"kind", optional(filingKind())},
                                        {"description", optional(text(200))},
                                        {"filed_on", optional(date())}}),
                                {"至少一项", "At least one field"}))
                 .ok(filingSchema()),
             handle(&P::correctFiling));
  router.add(Route::get("/overdue")
                 .console({{"queue", true}})
                 .summary("逾期事项",
                          "Every overdue item today: decisions, inspections, rectifications, "
                          "deregistrations, inactive groups, the two-year rule, penalty cases, "
                          "change applications")
                 .ok(overdueSchema()),
             handle(&P::overdue));
}

}  // namespace civ::plugins::social_orgs
