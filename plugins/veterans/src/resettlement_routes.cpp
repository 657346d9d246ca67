// The resettlement routes (接收安置), under /resettlement: every route with its permission,
// parameters, request schema and answers (the host checks them and documents them in
// /api/openapi.json, from which the console builds its pages). The handlers are in
// resettlement_{receptions,placements,trainings,payments}.cpp; the rules in
// resettlement_rules.cpp.
#include <algorithm>

#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "resettlement.h"
#include "resettlement_shared.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;
using namespace sdk::schema;
namespace rs = resettlement;

// --- Values the routes repeat -------------------------------------------------------------------

json rankType() {
  return enumOf({{"conscript", {"义务兵", "conscript"}},
                 {"junior_nco", {"初级军士", "junior NCO"}},
                 {"intermediate_nco", {"中级军士", "intermediate NCO"}},
                 {"senior_nco", {"高级军士", "senior NCO"}}});
}
json placementBasis() {
  return enumOf(
      {{"enlistment_hukou", {"入伍时户口所在地（§45）", "hukou at enlistment (§45)"}},
       {"pre_college_hukou",
        {"入学前户口所在地（在校生入伍，§45）", "hukou before college (student enlisted, §45)"}},
       {"parents_hukou", {"父母现户口所在地（§45 ¶2(1)）", "a parent's present hukou"}},
       {"spouse_hukou",
        {"配偶或配偶父母户口所在地（军士，§45 ¶2(2)）", "the spouse's hukou (NCO)"}},
       {"military_spouse", {"配偶部队驻地（随军，§45 ¶2(3)）", "the serving spouse's station"}},
       {"special_approval",
        {"特殊情况经批准或选择安置地（§45 ¶2(4)、§46–49）", "approved elsewhere (§45–49)"}}});
}
json award() {
  return enumOf({{"medal", {"勋章", "medal"}},
                 {"honorary_title", {"荣誉称号", "honorary title"}},
                 {"first_class_war_merit", {"一等战功", "first-class war merit"}},
                 {"second_class_war_merit", {"二等战功", "second-class war merit"}},
                 {"third_class_war_merit", {"三等战功", "third-class war merit"}},
                 {"fourth_class_war_merit", {"四等战功", "fourth-class war merit"}},
                 {"first_class_merit", {"一等功", "first-class merit"}},
                 {"second_class_merit", {"二等功", "second-class merit"}},
                 {"third_class_merit", {"三等功", "third-class merit"}},
                 {"first_level_commendation", {"一级表彰", "first-level commendation"}},
                 {"second_level_commendation",
                  {"二级表彰（经批准享受相关待遇）", "second-level commendation with benefits"}}});
}
json awards() {
  return describe(arrayOf(award(), 11), {"服现役期间个人获得的勋章、荣誉称号、功勋和表彰",
                                         "Awards and honours in service"});
}
json nature() {
  return enumOf({{"war", {"因战", "in war"}},
                 {"duty", {"因公", "on duty"}},
                 {"illness", {"因病", "from illness"}}});
}
json receptionStatus() {
  return enumOf({{"awaiting_report", {"待报到", "awaiting the report"}},
                 {"reason_pending", {"逾期理由待审核", "late reason under review"}},
                 {"waived", {"视为放弃安置待遇", "treated as waived"}},
                 {"reported", {"已报到，待确定安置方式", "reported, type to decide"}},
                 {"resettled", {"已安置", "resettled"}},
                 {"awaiting_placement", {"待安排工作", "waiting for job placement"}},
                 {"placed", {"已上岗", "placed"}},
                 {"placement_waived", {"视为放弃安排工作待遇", "job placement waived"}},
                 {"deceased", {"已死亡", "deceased"}}});
}
json resettlementType() {
  return enumOf({{"self_employment", {"自主就业", "self-employment"}},
                 {"job_placement", {"安排工作", "job placement"}},
                 {"retirement", {"退休", "retirement"}},
                 {"state_care", {"供养", "state care"}}});
}
json reportTiming() {
  return enumOf({{"on_time", {"按期报到", "on time"}},
                 {"late", {"逾期报到（宽限期内）", "late, within the grace"}},
                 {"past_waiver", {"逾期超过规定时间30日", "late beyond the grace"}}});
}
json reasonStatus() {
  return enumOf({{"pending", {"待审核", "pending"}},
                 {"accepted", {"正当理由（已认可）", "accepted"}},
                 {"rejected", {"不予认可", "rejected"}}});
}
json employerKind() {
  return enumOf({{"public_institution", {"事业单位", "public institution"}},
                 {"state_enterprise", {"国有企业", "state-owned enterprise"}},
                 {"civil_service", {"基层党政机关公务员岗位", "civil service post"}},
                 {"designated_post", {"专项岗位（§28）", "designated post (§28)"}}});
}
json placementStatus() {
  return enumOf({{"issued", {"已开具介绍信", "letter issued"}},
                 {"on_post", {"已上岗", "on post"}},
                 {"refused", {"无正当理由拒不服从（视为放弃）", "refused without good reason"}},
                 {"withdrawn", {"有正当理由未到岗（撤回）", "withdrawn for a good reason"}}});
}
json trainingKind() {
  return enumOf({{"adaptive", {"适应性培训", "adaptive training"}},
                 {"vocational", {"职业技能培训", "vocational skills"}},
                 {"academic", {"学历教育", "academic education"}},
                 {"entrepreneurship", {"创业培训", "start-up training"}}});
}
json paymentKind() {
  return enumOf(
      {{"lump_sum", {"一次性退役金", "lump sum on leaving (§21–22)"}},
       {"local_grant", {"一次性经济补助", "provincial one-time grant (§23)"}},
       {"living_allowance", {"待安排工作期间生活补助", "living allowance while waiting (§75)"}}});
}
json paymentStatus() {
  return enumOf({{"prepared", {"待复核", "prepared"}},
                 {"confirmed", {"已确认（可支付）", "confirmed, payable"}},
                 {"cancelled", {"已撤销", "cancelled"}}});
}
json township() { return text(100); }
json conditionList() { return arrayOf(text(200), 20); }

// --- Titles the routes repeat (the console's labels) --------------------------------------------

json personName(json schema) { return describe(std::move(schema), {"姓名", "Name"}); }
json receptionId() { return describe(id(), {"接收登记记录号", "The reception"}); }
json rankTypeField() { return describe(rankType(), {"军衔类别", "Conscript or NCO grade"}); }
json placementBasisField() {
  return describe(placementBasis(), {"安置地确定依据", "Why resettled here (§45–49)"});
}
json disabilityNature(json schema) {
  return describe(std::move(schema), {"伤残性质", "In war, on duty or from illness"});
}
json employerKindField() {
  return describe(employerKind(), {"接收单位性质", "Kind of the receiving employer"});
}
json daysOverdue() { return describe(integer(1), {"逾期天数", "Days overdue"}); }
json allowanceMonths(json schema) {
  return describe(std::move(schema), {"按月计算明细", "The allowance month by month"});
}

// --- Answers ------------------------------------------------------------------------------------

json receptionSchema() {
  return object(
      {{"id", id()},
       {"person_id", id()},
       {"citizen_id", citizenId()},
       {"name", personName(text(200))},
       {"township", township()},
       {"rank_type", rankTypeField()},
       {"enlisted_on", describe(date(), {"入伍日期", "Enlisted on"})},
       {"approved_on", describe(date(), {"批准退出现役日期", "Approved to leave the army on"})},
       {"service_years", describe(integer(0), {"服现役满年数", "Completed years of service"})},
       {"enlistment_hukou_county", describe(countyCode(), {"入伍时户口所在县",
                                                           "Hukou county at "
                                                           "enlistment"})},
       {"placement_basis", placementBasisField()},
       {"basis_document", describe(nullable(text(500)), {"易地安置依据（证明、批准文件）",
                                                         "Document for resettling elsewhere"})},
       {"file_received_on", describe(nullable(date()), {"档案接收日期", "File received on"})},
       {"report_by",
        describe(nullable(date()), {"报到通知规定时间", "Report time set by the notice"})},
       {"report_due", describe(date(), {"报到期限", "Last day to report in time (§51)"})},
       {"waived_after", describe(date(), {"逾期超过此日视为放弃",
                                          "Waived if reported later without "
                                          "good reason"})},
       {"reported_on", describe(nullable(date()), {"报到日期", "Reported on"})},
       {"report_timing", describe(nullable(reportTiming()),
                                  {"报到情况", "On time, late, or late beyond the grace (§51)"})},
       {"late_reason",
        describe(nullable(text(1000)), {"逾期报到理由", "Reason for the late report"})},
       {"reason_status",
        describe(nullable(reasonStatus()), {"逾期理由审核结果", "Review of the late reason"})},
       {"waived_on", describe(nullable(date()), {"视为放弃日期", "Treated as waived on"})},
       {"awards", awards()},
       {"disability_nature", disabilityNature(nullable(nature()))},
       {"disability_grade", describe(nullable(integer(1, 10)), {"残疾等级", "Disability grade"})},
       {"martyr_child", describe(boolean(), {"烈士子女", "Child of a martyr"})},
       {"serious_illness", describe(boolean(), {"患严重疾病经鉴定基本丧失工作能力",
                                                "Serious illness, unable to work"})},
       {"party_expelled", describe(boolean(), {"被开除党籍", "Expelled from the Party"})},
       {"criminal_record", describe(boolean(), {"受过刑事处罚", "Criminal record"})},
       {"forced_discharge", describe(boolean(), {"被强制退役等", "Forced discharge or the like"})},
       {"status", receptionStatus()},
       {"type", describe(nullable(resettlementType()), {"安置方式", "Resettlement type"})},
       {"type_decided_on", describe(nullable(date()), {"安置方式确定日期", "Type decided on"})},
       {"type_conditions", describe(conditionList(), {"符合的条件", "The conditions met"})},
       {"placement_due",
        describe(nullable(date()), {"安排工作期限（报到后6个月）", "Job placement due (§31)"})},
       {"placement_ended_on",
        describe(nullable(date()), {"安排工作待遇终止日期", "Job placement waived on"})},
       {"self_employment",
        describe(
            nullable(object(
                {{"service_years", describe(ratio(), {"计发年限", "Years paid"})},
                 {"per_year", describe(money(), {"每服役一年计发标准（元）",
                                                 "National amount per year of service (yuan)"})},
                 {"base", describe(money(), {"退役金基数（元）",
                                             "Per year × years paid, before the honours (yuan)"})},
                 {"honours_percent",
                  describe(integer(0, 25), {"荣誉增发比例（%）", "Honours supplement (§22), %"})},
                 {"honours_award", describe(nullable(award()), {"据以增发的荣誉",
                                                                "The award that sets the "
                                                                "supplement; none if none"})},
                 {"supplement", describe(money(), {"增发金额（元）", "Honours supplement (yuan)"})},
                 {"lump_sum", describe(money(), {"一次性退役金（元）",
                                                 "Lump sum: base + supplement (yuan, §21–22)"})},
                 {"local_grant", describe(money(), {"一次性经济补助（元）",
                                                    "Provincial one-time grant (yuan, §23)"})}})),
            {"自主就业一次性退役金和经济补助", "Self-employment lump sums"})},
       {"deceased_on", describe(nullable(date()), {"死亡日期", "Died on"})}});
}

json receptionFields(bool patch) {
  Properties fields = properties(
      {{"township", township()},
       {"rank_type", rankTypeField()},
       {"enlisted_on", describe(date(), {"入伍日期", "Enlisted on"})},
       {"approved_on", describe(date(), {"批准退出现役日期", "Approved to leave the army on"})},
       {"enlistment_hukou_county", describe(countyCode(), {"入伍时户口所在县",
                                                           "Hukou county at "
                                                           "enlistment"})},
       {"placement_basis", placementBasisField()},
       {"basis_document", describe(text(500), {"易地安置依据（证明、批准文件）",
                                               "Document for resettling elsewhere"})},
       {"file_received_on", describe(date(), {"档案接收日期", "File (档案) received on"})},
       {"report_by", describe(date(), {"报到通知规定时间", "Report time set by the notice"})},
       {"awards", awards()},
       {"disability_nature", disabilityNature(nature())},
       {"disability_grade", describe(integer(1, 10), {"残疾等级", "Disability grade"})},
       {"martyr_child", describe(boolean(), {"烈士子女", "Child of a martyr"})},
       {"serious_illness", describe(boolean(), {"患严重疾病经鉴定基本丧失工作能力",
                                                "Serious illness, unable to work"})},
       {"party_expelled", describe(boolean(), {"被开除党籍", "Expelled from the Party"})},
       {"criminal_record", describe(boolean(), {"受过刑事处罚", "Criminal record"})},
       {"forced_discharge",
        describe(boolean(), {"被强制退役等", "Forced discharge or the like"})}});
  static const std::vector<std::string> optional_on_create = {
      "basis_document",    "file_received_on", "report_by",       "awards",
      "disability_nature", "disability_grade", "martyr_child",    "serious_illness",
      "party_expelled",    "criminal_record",  "forced_discharge"};
  static const std::vector<std::string> nullable_on_patch = {
      "basis_document", "file_received_on", "report_by", "disability_nature", "disability_grade"};
  for (auto& [name, schema] : fields) {
    const bool optional_now =
        patch || std::find(optional_on_create.begin(), optional_on_create.end(), name) !=
                     optional_on_create.end();
    if (patch && std::find(nullable_on_patch.begin(), nullable_on_patch.end(), name) !=
                     nullable_on_patch.end())
      schema = nullable(schema);
    if (optional_now) schema = optional(schema);
  }
  if (!patch) {
    fields.insert(fields.begin(), {"name", personName(text(200))});
    fields.insert(fields.begin(), {"citizen_id", citizenId()});
  }
  return object(std::move(fields));
}

json overdueReportSchema() {
  return object(
      {{"items",
        describe(arrayOf(object(
                     {{"id", id()},
                      {"name", personName(text(200))},
                      {"township", township()},
                      {"approved_on",
                       describe(date(), {"批准退出现役日期", "Approved to leave the army on"})},
                      {"report_due", describe(date(), {"报到期限", "Last day to report in time"})},
                      {"days_overdue", daysOverdue()},
                      {"waived_after", describe(date(), {"逾期超过此日视为放弃",
                                                         "Waived if reported later without good "
                                                         "reason"})},
                      {"past_waiver", describe(boolean(), {"已超过视为放弃期限",
                                                           "Past the waiver "
                                                           "day"})}})),
                 {"逾期未报到", "Soldiers past the report deadline"})},
       {"total", integer(0)}});
}

json eligibilitySchema() {
  return object(
      {{"reception_id", receptionId()},
       {"checks",
        describe(
            arrayOf(
                object(
                    {{"type", describe(resettlementType(), {"安置方式", "Resettlement type"})},
                     {"eligible", describe(boolean(), {"符合条件", "Eligible"})},
                     {"conditions",
                      describe(conditionList(), {"符合的条件", "The conditions met"})},
                     {"exclusions", describe(conditionList(), {"不得安排工作的情形",
                                                               "The exclusions that apply (§35)"})},
                     {"rule",
                      describe(nullable(text(60)), {"不符合的规则", "The rule that refuses it"})},
                     {"message",
                      describe(nullable(text(1000)), {"不符合的说明", "Why it is refused"})}}),
                4),
            {"各安置方式审查结果", "Each resettlement type checked"})}});
}

json placementSchema() {
  return object(
      {{"id", id()},
       {"reception_id", receptionId()},
       {"name", personName(text(200))},
       {"township", township()},
       {"letter_number", describe(text(60), {"介绍信编号", "Placement letter number"})},
       {"letter_on", describe(date(), {"介绍信开具日期", "Letter issued on"})},
       {"employer", describe(text(200), {"接收安置单位", "Receiving employer"})},
       {"employer_kind", employerKindField()},
       {"score", describe(nullable(ratio()), {"服现役表现量化评分", "Service score (赋分)"})},
       {"post_due", describe(date(), {"上岗期限（介绍信开具后30日）", "Post due (§75)"})},
       {"posted_on", describe(nullable(date()), {"上岗日期", "Took up the post on"})},
       {"status", placementStatus()},
       {"refused_on",
        describe(nullable(date()), {"未到岗登记日期", "Did not take the post as of"})},
       {"refusal_reason",
        describe(nullable(text(1000)), {"未到岗原因", "Why the post was not taken"})},
       {"good_reason", describe(nullable(boolean()), {"有正当理由", "Good reason"})},
       {"post_late", describe(boolean(), {"接收单位逾期未安排上岗", "The employer is late"})},
       {"employer_owed_months", describe(integer(0), {"接收单位应按80%平均工资发放生活费的月数",
                                                      "Months the employer owes "
                                                      "80% of its average wage "
                                                      "(§75)"})}});
}

json placementFields(bool patch) {
  Properties fields =
      properties({{"letter_number", describe(text(60), {"介绍信编号", "Placement letter number"})},
                  {"letter_on", describe(date(), {"介绍信开具日期", "Letter issued on"})},
                  {"employer", describe(text(200), {"接收安置单位", "Receiving employer"})},
                  {"employer_kind", employerKindField()},
                  {"score", describe(patch ? nullable(ratio()) : ratio(),
                                     {"服现役表现量化评分", "Service score (赋分, §26)"})}});
  for (auto& [name, schema] : fields)
    if (patch || name == "score") schema = optional(schema);
  return object(std::move(fields));
}

json allowanceMonthSchema() {
  return object({{"month", month()},
                 {"days", describe(integer(1, 31), {"计发天数", "Days paid in the month"})},
                 {"month_days", describe(integer(28, 31), {"当月天数", "Days in the month"})},
                 {"wage", describe(money(), {"当月最低工资标准", "Monthly minimum wage"})},
                 {"amount", money()}});
}

json allowanceSchema() {
  return object({{"reception_id", receptionId()},
                 {"from", describe(date(), {"计发起始日（报到日）", "From the report"})},
                 {"through", describe(date(), {"计算至", "Computed through"})},
                 {"waiting_ended_on", describe(nullable(date()), {"待安排工作结束日（不计）",
                                                                  "First day no longer waiting"})},
                 {"months", allowanceMonths(arrayOf(allowanceMonthSchema(), 600))},
                 {"total", money()},
                 {"prepared_or_paid",
                  describe(money(), {"已拟定或已发放（元）", "Already prepared or paid (yuan)"})},
                 {"outstanding", describe(signedMoney(), {"尚未拟定（元）",
                                                          "Still to prepare (yuan; negative: "
                                                          "prepared beyond what is owed)"})}});
}

json trainingSchema() {
  return object({{"id", id()},
                 {"reception_id", receptionId()},
                 {"name", personName(text(200))},
                 {"township", township()},
                 {"kind", trainingKind()},
                 {"course", describe(text(200), {"培训项目", "Course"})},
                 {"provider", describe(text(200), {"培训机构", "Provider"})},
                 {"start_on", date()},
                 {"end_on", nullable(date())},
                 {"completed", describe(boolean(), {"已结业", "Completed"})},
                 {"certificate", describe(nullable(text(100)), {"证书编号", "Certificate"})}});
}

json trainingFields(bool patch) {
  Properties fields = properties({{"kind", trainingKind()},
                                  {"course", describe(text(200), {"培训项目", "Course"})},
                                  {"provider", describe(text(200), {"培训机构", "Provider"})},
                                  {"start_on", date()},
                                  {"end_on", patch ? nullable(date()) : date()},
                                  {"completed", describe(boolean(), {"已结业", "Completed"})},
                                  {"certificate", describe(patch ? nullable(text(100)) : text(100),
                                                           {"证书编号", "Certificate number"})}});
  for (auto& [name, schema] : fields)
    if (patch || name == "end_on" || name == "certificate") schema = optional(schema);
  if (!patch) fields.insert(fields.begin(), {"reception_id", receptionId()});
  return object(std::move(fields));
}

json paymentSchema() {
  return object(
      {{"id", id()},
       {"reception_id", receptionId()},
       {"name", personName(text(200))},
       {"township", township()},
       {"kind", paymentKind()},
       {"period_from",
        describe(nullable(date()), {"生活补助期间起", "Living allowance: first day"})},
       {"period_to", describe(nullable(date()), {"生活补助期间止", "Living allowance: last day"})},
       {"amount", money()},
       {"months", allowanceMonths(nullable(arrayOf(allowanceMonthSchema(), 600)))},
       {"status", paymentStatus()},
       {"prepared_by", describe(text(100), {"拟定人", "Prepared by"})},
       {"prepared_on", describe(date(), {"拟定日期", "Prepared on"})},
       {"confirmed_by", nullable(text(100))},
       {"confirmed_on", nullable(date())},
       {"cancel_reason", describe(nullable(text(1000)), {"撤销原因", "Why cancelled"})}});
}

}  // namespace

void addResettlementRoutes(sdk::Context& context) {
  auto& router = context.router();
  sdk::Context* owner = &context;
  const auto handle = [owner](sdk::Response (*handler)(sdk::Context&, sdk::Request&)) {
    return [owner, handler](sdk::Request& request) { return handler(*owner, request); };
  };
  using sdk::Permission;
  using sdk::Route;

  // --- Receptions ---
  router.add(Route::post("/resettlement/receptions")
                 .summary("登记接收退役士兵",
                          "Receive a retired soldier's file (档案): the report is due 30 days "
                          "after the approval to leave (§51)")
                 .body(receptionFields(false))
                 .created(receptionSchema()),
             handle(&rs::createReception));
  router.add(
      Route::get("/resettlement/receptions")
          .summary("接收安置登记", "Retired soldiers received, searchable by name or ID")
          .list(receptionSchema(), rs::kReceptionList)
          .query("township", describe(township(), {"乡镇（街道）", "Only this township's"}))
          .query("status", describe(receptionStatus(), {"状态", "Only in this status"}))
          .query("type", describe(resettlementType(), {"安置方式", "Only this type"}))
          .query("rank_type", describe(rankType(), {"军衔类别", "Only this rank type"}))
          .query("name", describe(text(100), {"姓名包含", "Name contains"}))
          .query("citizen_id", describe(citizenId(), {"身份证号", "This citizen ID"}))
          .query("reported", describe(boolean(), {"已报到", "Reported (true) or not (false)"}))
          .query("approved_from", describe(date(), {"批准退役起", "Approved on or after"}))
          .query("approved_to", describe(date(), {"批准退役止", "Approved on or before"})),
      handle(&rs::listReceptions));
  router.add(Route::get("/resettlement/receptions/overdue")
                 .console({{"queue", true}})
                 .summary("逾期未报到",
                          "Soldiers past the report deadline who have not reported; past_waiver: "
                          "beyond the grace of §51")
                 .ok(overdueReportSchema()),
             handle(&rs::overdueReports));
  router.add(Route::get("/resettlement/receptions/{id}")
                 .console({{"record", "reception"}})
                 .pathId("id")
                 .summary("接收安置档案", "One reception")
                 .ok(receptionSchema()),
             handle(&rs::getReception));
  router.add(Route::patch("/resettlement/receptions/{id}")
                 .pathId("id")
                 .summary("更正接收信息",
                          "Correct what was typed; the rules apply again (the type decided must "
                          "still fit, lump sums not yet prepared are recomputed); audited with "
                          "old and new values")
                 .body(describe(receptionFields(true), {"至少一项", "At least one field"}))
                 .ok(receptionSchema()),
             handle(&rs::correctReception));
  router.add(
      Route::post("/resettlement/receptions/{id}/report")
          .pathId("id")
          .summary("登记报到",
                   "Record the report: more than 30 days past the time set without good "
                   "reason is treated as waived (§51); a reason recorded waits for review")
          .body(object(
              {{"reported_on", describe(date(), {"报到日期", "Reported on"})},
               {"late_reason",
                optional(describe(text(1000), {"逾期报到理由", "Reason for a late report"}))}}))
          .ok(receptionSchema()),
      handle(&rs::reportReception));
  router.add(Route::post("/resettlement/receptions/{id}/late-reason-review")
                 .pathId("id")
                 .permission(Permission::Review)
                 .summary("审核逾期报到理由",
                          "Accept the reason for a late report (resettlement goes on) or not "
                          "(treated as waived); not by the clerk who recorded it")
                 .body(object({{"accepted", describe(boolean(), {"认可为正当理由", "Accepted"})},
                               {"note", describe(text(1000), {"审核意见", "Note"})}}))
                 .ok(receptionSchema()),
             handle(&rs::reviewLateReason));
  router.add(Route::post("/resettlement/receptions/{id}/waiver")
                 .pathId("id")
                 .summary("未报到视为放弃",
                          "Close a soldier who never reported, once the grace of §51 has passed")
                 .ok(receptionSchema()),
             handle(&rs::waiveReception));
  router.add(Route::get("/resettlement/receptions/{id}/eligibility")
                 .pathId("id")
                 .summary("安置方式条件审查",
                          "Each resettlement type: the conditions met (§20, §25, §36, §38), the "
                          "exclusions (§35), or the rule that refuses it")
                 .ok(eligibilitySchema()),
             handle(&rs::receptionEligibility));
  router.add(Route::post("/resettlement/receptions/{id}/type")
                 .pathId("id")
                 .summary("确定安置方式",
                          "Decide the resettlement type, refused naming the rule when the "
                          "conditions are not met; self-employment computes the lump sums")
                 .body(object({{"type", resettlementType()},
                               {"decided_on", optional(describe(date(), {"确定日期（默认今天）",
                                                                         "Decided on (default "
                                                                         "today)"}))}}))
                 .ok(receptionSchema()),
             handle(&rs::decideType));
  router.add(Route::post("/resettlement/receptions/{id}/placements")
                 .pathId("id")
                 .summary("开具安排工作介绍信",
                          "Issue the placement letter: the employer gives the post within 30 "
                          "days (§75)")
                 .body(placementFields(false))
                 .created(placementSchema()),
             handle(&rs::issueLetter));
  router.add(Route::get("/resettlement/receptions/{id}/living-allowance")
                 .pathId("id")
                 .summary("待安排工作期间生活补助",
                          "The living allowance at the local minimum wage from the report to the "
                          "letter (§75), by month, to the fen")
                 .query("through", describe(date(), {"计算至", "Computed through (default today)"}))
                 .ok(allowanceSchema()),
             handle(&rs::livingAllowanceOf));

  // --- Placements ---
  router.add(
      Route::get("/resettlement/placements")
          .summary("安排工作介绍信", "Placement letters")
          .list(placementSchema(), rs::kPlacementList)
          .query("reception_id", describe(id(), {"接收登记", "Only this reception's"}))
          .query("status", describe(placementStatus(), {"状态", "Only in this status"}))
          .query("township", describe(township(), {"乡镇（街道）", "Only this township's"}))
          .query("employer", describe(text(100), {"单位包含", "Employer contains"}))
          .query("name", describe(text(100), {"姓名包含", "Name contains"}))
          .query("late", describe(boolean(), {"逾期未上岗", "Only issued and past the post due"}))
          .query("letter_from", describe(date(), {"开具日期起", "Letters on or after"}))
          .query("letter_to", describe(date(), {"开具日期止", "Letters on or before"})),
      handle(&rs::listPlacements));
  router.add(
      Route::get("/resettlement/placements/overdue")
          .console({{"queue", true}})
          .summary("逾期未完成安排工作",
                   "Job-placement soldiers without a letter 6 months after the report "
                   "(§31)")
          .ok(object({{"items",
                       describe(arrayOf(object(
                                    {{"id", id()},
                                     {"name", personName(text(200))},
                                     {"township", township()},
                                     {"reported_on", describe(date(), {"报到日期", "Reported on"})},
                                     {"placement_due", describe(date(), {"安排工作期限",
                                                                         "6 months after the "
                                                                         "report (§31)"})},
                                     {"days_overdue", daysOverdue()},
                                     {"allowance_to_date",
                                      describe(money(), {"至今应发生活补助（元）",
                                                         "Living allowance owed to date "
                                                         "(yuan)"})}})),
                                {"逾期未完成安排工作", "Soldiers overdue"})},
                      {"total", integer(0)}})),
      handle(&rs::overduePlacements));
  router.add(
      Route::get("/resettlement/placements/late-posts")
          .console({{"queue", true}})
          .summary("接收单位逾期未安排上岗",
                   "Letters 30 days old without the post: the employer owes 80% of its "
                   "average wage from the letter's month (§75)")
          .ok(object(
              {{"items",
                describe(
                    arrayOf(object(
                        {{"id", id()},
                         {"reception_id", receptionId()},
                         {"name", personName(text(200))},
                         {"township", township()},
                         {"employer", describe(text(200), {"接收安置单位", "Receiving employer"})},
                         {"letter_on", describe(date(), {"介绍信开具日期", "Letter issued on"})},
                         {"post_due",
                          describe(date(), {"上岗期限（介绍信开具后30日）", "Post due (§75)"})},
                         {"days_late", describe(integer(1), {"逾期天数", "Days late"})},
                         {"employer_owed_months",
                          describe(integer(0), {"接收单位应按80%平均工资发放生活费的月数",
                                                "Months the employer owes 80% of its "
                                                "average wage (§75)"})},
                         {"note", text(300)}})),
                    {"接收单位逾期未安排上岗", "Letters past the post due"})},
               {"total", integer(0)}})),
      handle(&rs::latePosts));
  router.add(
      Route::get("/resettlement/placements/announcement")
          .summary("安排工作公示名单", "Public announcement of placements, names masked")
          .query("from", describe(date(), {"起始日期", "Letters on or after; default the 1st"}))
          .query("to", describe(date(), {"截止日期", "Letters on or before; default today"}))
          .ok(object(
              {{"county", countyCode()},
               {"from", date()},
               {"to", date()},
               {"items",
                describe(
                    arrayOf(object(
                        {{"name", describe(text(200), {"姓名（已遮蔽）", "Masked name"})},
                         {"township", township()},
                         {"rank_type", rankTypeField()},
                         {"service_years",
                          describe(integer(0), {"服现役满年数", "Completed years of service"})},
                         {"score", describe(nullable(ratio()),
                                            {"服现役表现量化评分", "Service score (赋分)"})},
                         {"employer", describe(text(200), {"接收安置单位", "Receiving employer"})},
                         {"employer_kind", employerKindField()},
                         {"letter_on", describe(date(), {"介绍信开具日期", "Letter issued on"})}})),
                    {"公示名单", "Placements announced"})},
               {"total", integer(0)}})),
      handle(&rs::placementAnnouncement));
  router.add(Route::get("/resettlement/placements/{id}")
                 .console({{"record", "placement"}})
                 .pathId("id")
                 .summary("安排工作介绍信", "One placement letter")
                 .ok(placementSchema()),
             handle(&rs::getPlacement));
  router.add(Route::patch("/resettlement/placements/{id}")
                 .pathId("id")
                 .summary("更正介绍信", "Correct a letter; the post due follows its date; audited")
                 .body(describe(placementFields(true), {"至少一项", "At least one field"}))
                 .ok(placementSchema()),
             handle(&rs::correctPlacement));
  router.add(Route::post("/resettlement/placements/{id}/post")
                 .pathId("id")
                 .summary("登记上岗", "The soldier took up the post")
                 .body(object({{"posted_on", describe(date(), {"上岗日期", "On post from"})}}))
                 .ok(placementSchema()),
             handle(&rs::recordPost));
  router.add(
      Route::post("/resettlement/placements/{id}/refusal")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("拒不服从安排",
                   "The soldier did not take the post: without good reason job placement "
                   "is waived (§34); with one the letter is withdrawn")
          .body(object(
              {{"refused_on", describe(date(), {"未到岗登记日期", "Did not take the post as of"})},
               {"reason", text(1000)},
               {"good_reason", describe(boolean(), {"有正当理由", "Good reason"})}}))
          .ok(placementSchema()),
      handle(&rs::recordRefusal));

  // --- Trainings ---
  router.add(Route::post("/resettlement/trainings")
                 .summary("登记培训", "Record a training of a retired soldier")
                 .body(trainingFields(false))
                 .created(trainingSchema()),
             handle(&rs::recordTraining));
  router.add(Route::get("/resettlement/trainings")
                 .summary("培训记录", "Trainings")
                 .list(trainingSchema(), rs::kTrainingList)
                 .query("reception_id", describe(id(), {"接收登记", "Only this reception's"}))
                 .query("kind", describe(trainingKind(), {"类别", "Only this kind"}))
                 .query("township", describe(township(), {"乡镇（街道）", "Only this township's"}))
                 .query("completed", describe(boolean(), {"已结业", "Completed or not"}))
                 .query("course", describe(text(100), {"项目包含", "Course contains"}))
                 .query("name", describe(text(100), {"姓名包含", "Name contains"}))
                 .query("start_from", describe(date(), {"开始日期起", "Started on or after"}))
                 .query("start_to", describe(date(), {"开始日期止", "Started on or before"})),
             handle(&rs::listTrainings));
  router.add(Route::get("/resettlement/trainings/{id}")
                 .console({{"record", "training"}})
                 .pathId("id")
                 .summary("培训记录", "One training")
                 .ok(trainingSchema()),
             handle(&rs::getTraining));
  router.add(Route::patch("/resettlement/trainings/{id}")
                 .pathId("id")
                 .summary("更正培训记录", "Correct a training; audited with old and new values")
                 .body(describe(trainingFields(true), {"至少一项", "At least one field"}))
                 .ok(trainingSchema()),
             handle(&rs::correctTraining));

  // --- Payments ---
  router.add(
      Route::post("/resettlement/payments")
          .permission(Permission::Approve)
          .summary("拟定安置待遇发放",
                   "Prepare a payment: a self-employment lump sum (once), or the living "
                   "allowance through a day; another approver confirms it")
          .body(object({{"reception_id", receptionId()},
                        {"kind", paymentKind()},
                        {"through", optional(describe(
                                        date(), {"生活补助计至", "Living allowance through"}))}}))
          .created(paymentSchema()),
      handle(&rs::preparePayment));
  router.add(Route::get("/resettlement/payments")
                 .summary("安置待遇发放", "Resettlement payments")
                 .list(paymentSchema(), rs::kPaymentList)
                 .query("reception_id", describe(id(), {"接收登记", "Only this reception's"}))
                 .query("kind", describe(paymentKind(), {"类别", "Only this kind"}))
                 .query("status", describe(paymentStatus(), {"状态", "Only in this status"}))
                 .query("name", describe(text(100), {"姓名包含", "Name contains"}))
                 .query("prepared_from", describe(date(), {"拟定日期起", "Prepared on or after"}))
                 .query("prepared_to", describe(date(), {"拟定日期止", "Prepared on or before"})),
             handle(&rs::listPayments));
  router.add(Route::get("/resettlement/payments/{id}")
                 .console({{"record", "resettlement_payment"}})
                 .pathId("id")
                 .summary("安置待遇发放", "One payment")
                 .ok(paymentSchema()),
             handle(&rs::getPayment));
  router.add(Route::post("/resettlement/payments/{id}/confirmation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("复核发放", "Confirm a prepared payment (a second approver): payable")
                 .ok(paymentSchema()),
             handle(&rs::confirmPayment));
  router.add(Route::post("/resettlement/payments/{id}/cancellation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("撤销拟定发放", "Cancel a prepared payment (a second approver)")
                 .body(object({{"reason", text(1000)}}))
                 .ok(paymentSchema()),
             handle(&rs::cancelPayment));

  rs::subscribeResettlementToDeaths(context);
}

}  // namespace civ::plugins::veterans
