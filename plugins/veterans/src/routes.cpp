// The module's HTTP surface: every route with its permission, parameters, request schema and
// answers (the host checks them and documents the routes in /api/openapi.json). The payment
// runs' routes come from the SDK (payment_run.h); the resettlement routes are declared in
// resettlement_routes.cpp.
#include <algorithm>

#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "national_table.h"
#include "veterans_plugin.h"
#include "veterans_rules.h"
#include "vocabulary.h"

namespace civ::plugins::veterans {

namespace {

using nlohmann::json;
using namespace sdk::schema;

// --- Titles the routes repeat (the console's labels) --------------------------------------------

json personName(json schema) { return describe(std::move(schema), {"姓名", "Name"}); }
json beneficiaryId() { return describe(id(), {"优抚对象记录号", "The beneficiary's file"}); }
json beneficiaryNumber() {
  return describe(text(40), {"优抚对象档案编号", "The beneficiary's file number"});
}
json entitlementId() { return describe(id(), {"待遇记录号", "The entitlement"}); }
json paidInRun() {
  return describe(nullable(id()),
                  {"发放批次记录号", "The payment run that paid it; none while owed"});
}
json proposedBy() { return describe(text(100), {"申报人", "Proposed by"}); }
json proposedOn() { return describe(date(), {"申报日期", "Proposed on"}); }
json standardItem() {
  return describe(standardItemSchema(), {"标准项目", "Item of the national table"});
}
json standardKey() {
  return describe(text(40), {"标准档次", "Row of the item, e.g. war_1 (nature_grade)"});
}
json rankType() { return describe(rankTypeSchema(), {"军衔类别", "Officer, NCO or conscript"}); }
json survivorRelationship(json schema) {
  return describe(std::move(schema),
                  {"与烈士（牺牲、病故军人）关系", "Relationship to the fallen serviceman"});
}
json importFormat(json schema) { return describe(std::move(schema), {"文件格式", "Format"}); }

// --- Values the routes repeat -------------------------------------------------------------------

json awardSchema() {
  return object({{"level", honourLevelSchema()},
                 {"name", describe(text(100), {"奖励名称", "The award's name"})},
                 {"awarded_on", describe(optional(nullable(date())), {"授予日期", "Awarded on"})}});
}
json disabilitySchema() {
  return object(
      {{"nature", describe(natureSchema(), {"伤残性质", "In war, on duty or of illness"})},
       {"grade", describe(integer(1, 10), {"残疾等级（1 级最重）", "Grade, 1 the most severe"})},
       {"mental_illness",
        optional(describe(boolean(), {"因精神疾病评定", "Assessed for a mental illness (§34)"}))},
       {"certificate_number", describe(text(40), {"残疾军人证号", "残疾军人证 number"})},
       {"assessed_on", describe(date(), {"评定日期", "Assessed on"})}});
}
json disabilityAnswer() {
  return object(
      {{"nature", describe(natureSchema(), {"伤残性质", "In war, on duty or of illness"})},
       {"grade", describe(integer(1, 10), {"残疾等级（1 级最重）", "Grade, 1 the most severe"})},
       {"mental_illness",
        describe(boolean(), {"因精神疾病评定", "Assessed for a mental illness (§34)"})},
       {"certificate_number", describe(text(40), {"残疾军人证号", "残疾军人证 number"})},
       {"assessed_on", describe(date(), {"评定日期", "Assessed on"})},
       {"effective_month", describe(month(), {"起算月份", "Pays from this month"})}});
}
json agentBody() {
  return object({{"citizen_id", citizenId()},
                 {"name", personName(text(50))},
                 {"relationship", describe(text(20), {"与本人关系", "Relationship"})}});
}
json agentAnswer() {
  return object({{"person_id", id()},
                 {"citizen_id", citizenId()},
                 {"name", personName(text(200))},
                 {"relationship", describe(text(20), {"与本人关系", "Relationship"})}});
}

json beneficiarySchema() {
  return object(
      {{"id", id()},
       {"number", describe(text(40), {"档案编号", "File number"})},
       {"person_id", id()},
       {"citizen_id", citizenId()},
       {"name", personName(text(200))},
       {"category", categorySchema()},
       {"subsidy_group", describe(nullable(subsidyGroupSchema()),
                                  {"定期生活补助群体", "§62 group; none if not in one"})},
       {"hukou", describe(hukouSchema(), {"户籍类别", "Rural or urban hukou"})},
       {"township", text(100)},
       {"village", text(100)},
       {"address", text(200)},
       {"phone", nullable(text(30))},
       {"enlisted_on", describe(nullable(date()), {"入伍日期", "Enlisted on"})},
       {"discharged_on", describe(nullable(date()), {"退役日期", "Left the army on"})},
       {"service_years", describe(nullable(integer(0)), {"服役年数",
                                                         "Completed years of service, from the "
                                                         "dates"})},
       {"rank_type", nullable(rankType())},
       {"awards", describe(arrayOf(awardSchema(), 50), {"荣誉和功勋", "Honours and awards"})},
       {"highest_honour", nullable(honourLevelSchema())},
       {"disability", describe(nullable(disabilityAnswer()),
                               {"伤残情况", "The disability in force; none if not disabled"})},
       {"fallen_id", describe(nullable(id()), {"烈士（牺牲、病故军人）记录号",
                                               "The fallen serviceman a survivor is of"})},
       {"relationship", survivorRelationship(nullable(relationshipSchema()))},
       {"documents", describe(arrayOf(documentSchema(), 20), {"已交材料", "Documents received"})},
       {"missing_documents", describe(arrayOf(documentSchema(), 20),
                                      {"缺少的材料", "Documents the checklist still lacks"})},
       {"complete", describe(boolean(), {"材料齐全", "Every required document received"})},
       {"bank_name", nullable(text(100))},
       {"bank_account", nullable(text(40))},
       {"agent", describe(nullable(agentAnswer()),
                          {"代领人", "Who collects the money for the beneficiary"})},
       {"transfer_received_on",
        describe(nullable(date()), {"抚恤关系转入日期", "Pension file received (§30)"})},
       {"status", beneficiaryStatusSchema()},
       {"death_date", nullable(date())},
       {"registered_on", date()},
       {"registered_by", describe(text(100), {"建档人", "Filed by"})},
       {"disability_history", describe(optional(arrayOf(disabilityAnswer(), 100)),
                                       {"残疾等级评定记录", "Disability assessments over time"})},
       {"entitlements", describe(optional(arrayOf(object({{"id", id()},
                                                          {"number", text(40)},
                                                          {"type", entitlementTypeSchema()},
                                                          {"status", entitlementStatusSchema()}}),
                                                  100)),
                                 {"待遇", "The file's entitlements"})}});
}

json beneficiaryFields(bool patch) {
  Properties fields = properties(
      {{"category", categorySchema()},
       {"subsidy_group", describe(nullable(subsidyGroupSchema()),
                                  {"定期生活补助群体", "§62 group; none if not in one"})},
       {"hukou", describe(hukouSchema(), {"户籍类别", "Rural or urban hukou"})},
       {"township", text(100)},
       {"village", text(100)},
       {"address", text(200)},
       {"phone", nullable(text(30))},
       {"enlisted_on", describe(nullable(date()), {"入伍日期", "Enlisted on"})},
       {"discharged_on", describe(nullable(date()), {"退役日期", "Left the army on"})},
       {"rank_type", nullable(rankType())},
       {"awards", describe(arrayOf(awardSchema(), 50), {"荣誉和功勋", "Honours and awards"})},
       {"disability", describe(patch ? disabilitySchema() : nullable(disabilitySchema()),
                               {"伤残情况", "For a disabled serviceman"})},
       {"fallen_id", describe(nullable(id()), {"烈士（牺牲、病故军人）记录号",
                                               "For a survivor: the fallen serviceman"})},
       {"relationship", survivorRelationship(nullable(relationshipSchema()))},
       {"documents", describe(arrayOf(documentSchema(), 20), {"已交材料", "Documents received"})},
       {"bank_name", nullable(text(100))},
       {"bank_account", nullable(text(40))},
       {"agent",
        describe(nullable(agentBody()), {"代领人", "Who collects the money for the beneficiary"})},
       {"transfer_received_on",
        nullable(describe(date(), {"抚恤关系转入日期", "Pension file received (§30)"}))}});
  const std::vector<std::string> required = {"category", "hukou", "township", "village", "address"};
  for (auto& field : fields)
    if (patch || std::find(required.begin(), required.end(), field.first) == required.end())
      field.second = optional(field.second);
  if (!patch) {
    fields.insert(fields.begin(), {"name", personName(text(50))});
    fields.insert(fields.begin(), {"citizen_id", citizenId()});
    fields.push_back({"registered_on", optional(describe(date(), {"建档日期（默认今天）",
                                                                  "Filed on (default today)"}))});
  }
  return object(std::move(fields));
}

json fallenSchema() {
  return object(
      {{"id", id()},
       {"number", text(40)},
       {"person_id", id()},
       {"citizen_id", citizenId()},
       {"name", personName(text(200))},
       {"death_kind", describe(deathKindSchema(), {"牺牲（病故）类别",
                                                   "Martyr, died on duty or died of "
                                                   "illness"})},
       {"died_on", describe(date(), {"牺牲（病故）日期", "Date of death"})},
       {"rank_type", nullable(rankType())},
       {"monthly_pay", describe(nullable(money()), {"本人月基本工资", "Own monthly basic pay"})},
       {"unit_name", describe(text(200), {"生前所在部队", "Unit"})},
       {"certificate_number",
        describe(text(40), {"烈士证明书或牺牲、病故证明书编号", "Certificate number"})},
       {"township", text(100)},
       {"awards", describe(arrayOf(awardSchema(), 50), {"荣誉和功勋", "Honours and awards"})},
       {"highest_honour", nullable(honourLevelSchema())},
       {"survivors",
        describe(
            optional(arrayOf(object({{"id", id()},
                                     {"number", text(40)},
                                     {"name", personName(text(200))},
                                     {"relationship", survivorRelationship(nullable(text(20)))}}),
                             100)),
            {"遗属", "The survivors' files"})}});
}
json fallenFields(bool patch) {
  Properties fields = properties(
      {{"death_kind", describe(deathKindSchema(),
                               {"牺牲（病故）类别", "Martyr, died on duty or died of illness"})},
       {"died_on", describe(date(), {"牺牲（病故）日期", "Date of death"})},
       {"rank_type", nullable(rankType())},
       {"monthly_pay",
        nullable(describe(money(), {"本人月基本工资", "Own monthly basic pay (at least 少尉's)"}))},
       {"unit_name", describe(text(200), {"生前所在部队", "Unit"})},
       {"certificate_number",
        describe(text(40), {"烈士证明书或牺牲、病故证明书编号", "Certificate number"})},
       {"township", describe(text(100), {"户籍所在乡镇", "Township of the household register"})},
       {"awards", describe(arrayOf(awardSchema(), 50), {"荣誉和功勋", "Honours and awards"})}});
  for (auto& field : fields)
    if (patch || field.first == "rank_type" || field.first == "monthly_pay" ||
        field.first == "awards")
      field.second = optional(field.second);
  if (!patch) {
    fields.insert(fields.begin(), {"name", personName(text(50))});
    fields.insert(fields.begin(), {"citizen_id", citizenId()});
  }
  return object(std::move(fields));
}

json standardRowSchema() {
  return object(
      {{"item", standardItem()},
       {"key", standardKey()},
       {"amount", money()},
       {"per", describe(enumOf({{"year", {"每年", "per year"}}, {"month", {"每月", "per month"}}}),
                        {"计发周期", "The amount is per year or per month"})},
       {"effective_from", date()},
       {"source", enumOf({{"bundled", {"随附示例表", "the bundled table"}},
                          {"county", {"本县导入", "the county's import"}}})},
       {"import_id", describe(id(), {"导入记录号", "The import the row came with"})}});
}
json importRowBody() {
  return object({{"item", standardItem()},
                 {"key", standardKey()},
                 {"amount", money()},
                 {"effective_from", date()}});
}
Properties importProperties() {
  return properties(
      {{"id", id()},
       {"source", describe(text(200), {"文件依据（文号）", "The notice the table comes from"})},
       {"format", importFormat(enumOf({{"json", {"JSON", "JSON rows"}},
                                       {"csv", {"CSV", "CSV file"}},
                                       {"xlsx", {"XLSX", "XLSX workbook"}}}))},
       {"rows", describe(integer(0), {"行数", "Rows imported"})},
       {"imported_by", describe(text(100), {"导入人", "Imported by"})},
       {"imported_on", describe(date(), {"导入日期", "Imported on"})},
       {"note", text(2000, 0)},
       {"bundled", describe(boolean(), {"随附示例表", "The table bundled with the module"})}});
}
json importSchema() { return object(importProperties()); }
json importWithRowsSchema() {
  auto properties = importProperties();
  properties.push_back({"standards", describe(arrayOf(object({{"item", standardItem()},
                                                              {"key", standardKey()},
                                                              {"amount", money()},
                                                              {"effective_from", date()}}),
                                                      10000),
                                              {"标准明细", "The rows imported"})});
  return object(std::move(properties));
}

json suspensionSchema() {
  return object({{"id", id()},
                 {"from_month", describe(month(), {"停发起始月份", "Suspended from"})},
                 {"to_month", describe(nullable(month()), {"停发截止月份",
                                                           "Last month suspended; none until "
                                                           "resumed"})},
                 {"reason", suspensionReasonSchema()},
                 {"note", text(1000, 0)},
                 {"recorded_by", text(100)}});
}
json adjustmentSchema() {
  return object({{"id", id()},
                 {"entitlement_id", entitlementId()},
                 {"entitlement_number", describe(text(40), {"待遇编号", "Entitlement number"})},
                 {"beneficiary_id", beneficiaryId()},
                 {"name", personName(text(200))},
                 {"township", text(100)},
                 {"kind", dueKindSchema()},
                 {"source", text(40)},
                 {"month", month()},
                 {"payable_from", describe(nullable(month()), {"可发放起始月份",
                                                               "First run that may pay it; "
                                                               "none: the next run"})},
                 {"amount", signedMoney()},
                 {"reason", text(2000)},
                 {"recorded_on", date()},
                 {"recorded_by", text(100)},
                 {"paid_in_run", paidInRun()},
                 {"withdrawn_on", describe(nullable(date()), {"撤回日期", "Withdrawn on"})},
                 {"withdrawal_reason",
                  describe(nullable(text(1000)), {"撤回原因", "Why it was withdrawn"})}});
}
json entitlementSchema() {
  return object(
      {{"id", id()},
       {"number", describe(text(40), {"待遇编号", "Entitlement number"})},
       {"beneficiary_id", beneficiaryId()},
       {"beneficiary_number", beneficiaryNumber()},
       {"name", personName(text(200))},
       {"township", text(100)},
       {"type", entitlementTypeSchema()},
       {"status", entitlementStatusSchema()},
       {"approved_on", nullable(date())},
       {"start_month", nullable(describe(month(), {"起发月份", "Paid from (the month approved)"}))},
       {"end_month", nullable(describe(month(), {"止发月份", "Last month paid"}))},
       {"end_reason", describe(nullable(endReasonSchema()), {"终止原因", "Why it ended"})},
       {"note", text(1000, 0)},
       {"proposed_by", proposedBy()},
       {"proposed_on", proposedOn()},
       {"confirmed_by", nullable(text(100))},
       {"confirmed_on", nullable(date())},
       {"monthly_amount", nullable(describe(money(), {"本月标准",
                                                      "This month's amount as things stand "
                                                      "(in the record; null in lists)"}))},
       {"suspended", describe(boolean(), {"停发中", "Suspended this month"})},
       {"suspensions",
        describe(optional(arrayOf(suspensionSchema(), 100)), {"停发记录", "Suspensions"})},
       {"adjustments", describe(optional(arrayOf(adjustmentSchema(), 1000)),
                                {"补发、扣减及一次性发放", "Lines owed once"})}});
}
json monthAmountSchema() {
  return object({{"entitlement_id", entitlementId()},
                 {"month", month()},
                 {"pays", describe(boolean(), {"当月发放", "The month is paid"})},
                 {"suspended", describe(boolean(), {"当月停发", "The month is suspended"})},
                 {"amount", money()},
                 {"table_item", describe(nullable(standardItemSchema()),
                                         {"标准项目", "Item of the national table used"})},
                 {"table_key", describe(nullable(text(40)), {"标准档次", "Row of the item used"})},
                 {"annual_standard", describe(nullable(money()), {"年标准（元）",
                                                                  "Annual standard in force "
                                                                  "(yuan)"})},
                 {"standard_effective_from",
                  describe(nullable(date()), {"标准生效日期", "The standard in force since"})},
                 {"average_monthly_wage",
                  describe(nullable(money()), {"当地上年城镇单位就业人员月平均工资（元）",
                                               "Care allowance: local average monthly wage "
                                               "(yuan)"})},
                 {"share", describe(nullable(ratio()), {"护理费比例",
                                                        "Care allowance: share of the wage "
                                                        "(§34)"})},
                 {"rule", describe(text(500), {"计算规则", "How the amount is computed"})}});
}

json oneTimeSchema() {
  return object(
      {{"id", id()},
       {"number", text(40)},
       {"type", enumOf({{"martyr_honour", {"烈士褒扬金", "martyr honour payment"}},
                        {"death_lump_sum", {"一次性抚恤金", "one-time death pension"}}})},
       {"fallen_id", describe(id(), {"烈士（牺牲、病故军人）记录号", "The fallen serviceman"})},
       {"fallen_name",
        describe(text(200), {"烈士（牺牲、病故军人）姓名", "The fallen serviceman's name"})},
       {"beneficiary_id", describe(id(), {"领取人（遗属）记录号", "The survivor paid"})},
       {"payee", text(200)},
       {"township", text(100)},
       {"amount", money()},
       {"computation", computationSchema()},
       {"status", entitlementStatusSchema()},
       {"proposed_by", proposedBy()},
       {"proposed_on", proposedOn()},
       {"confirmed_by", nullable(text(100))},
       {"confirmed_on", nullable(date())},
       {"paid_in_run", paidInRun()},
       {"note", text(1000, 0)}});
}

json campaignGroupBody() { return object({{"group", visitGroupSchema()}, {"amount", money()}}); }
json campaignSchema() {
  return object(
      {{"id", id()},
       {"number", text(40)},
       {"name", text(100)},
       {"season", describe(seasonSchema(), {"节日", "Holiday"})},
       {"visit_date", describe(date(), {"慰问日期", "Visit date"})},
       {"month", describe(month(), {"发放月份", "Paid through this month's run"})},
       {"groups", describe(arrayOf(campaignGroupBody(), 20),
                           {"慰问对象群体及标准", "Groups and the amount per person"})},
       {"status", enumOf({{"draft", {"待复核", "draft, recipients editable"}},
                          {"confirmed", {"已复核", "confirmed, payable"}}})},
       {"recipients", describe(integer(0), {"慰问人数", "Recipients included"})},
       {"total", money()},
       {"by_group",
        describe(arrayOf(object({{"group", visitGroupSchema()},
                                 {"recipients", describe(integer(0), {"人数", "Recipients"})},
                                 {"total", money()}}),
                         20),
                 {"按群体汇总", "Recipients and totals by group"})},
       {"prepared_by", text(100)},
       {"prepared_on", describe(date(), {"编制日期", "Prepared on"})},
       {"confirmed_by", nullable(text(100))},
       {"confirmed_on", nullable(date())}});
}
json recipientSchema() {
  return object({{"id", id()},
                 {"campaign_id", describe(id(), {"慰问计划记录号", "The campaign"})},
                 {"beneficiary_id", beneficiaryId()},
                 {"beneficiary_number", beneficiaryNumber()},
                 {"name", personName(text(200))},
                 {"township", text(100)},
                 {"group", visitGroupSchema()},
                 {"amount", money()},
                 {"included", describe(boolean(), {"列入发放", "Included in the payment"})},
                 {"note", text(500, 0)},
                 {"added_by", describe(text(100), {"添加人", "Added by"})},
                 {"edited_by", describe(nullable(text(100)), {"修改人", "Last edited by"})}});
}

json overdueTransferSchema() {
  return object({{"id", id()},
                 {"number", text(40)},
                 {"name", personName(text(200))},
                 {"township", text(100)},
                 {"discharged_on", describe(date(), {"退役日期", "Left the army on"})},
                 {"transfer_due",
                  describe(date(), {"抚恤关系转入期限", "60 days after leaving the army (§30)"})},
                 {"days_overdue", describe(integer(1), {"逾期天数", "Days overdue"})}});
}

}  // namespace

void VeteransPlugin::addRoutes() {
  auto& router = context_->router();
  const auto handle = [this](sdk::Response (VeteransPlugin::*handler)(sdk::Request&)) {
    return [this, handler](sdk::Request& request) { return (this->*handler)(request); };
  };
  using sdk::Permission;
  using sdk::Route;
  using P = VeteransPlugin;
  const json township = describe(text(100), {"乡镇（街道）", "Only this township's"});

  // --- Beneficiaries (一人一档) ---
  router.add(Route::post("/beneficiaries")
                 .summary("建立优抚对象档案",
                          "File a beneficiary (一人一档): a registry person with category, §62 "
                          "group, service record, disability, survivors' link, documents and "
                          "bank account")
                 .body(beneficiaryFields(false))
                 .created(beneficiarySchema()),
             handle(&P::createBeneficiary));
  router.add(
      Route::get("/beneficiaries")
          .summary("优抚对象", "Beneficiaries; search by name or citizen ID")
          .list(beneficiarySchema(), kBeneficiaryList)
          .query("category", describe(categorySchema(), {"类别", "Only this category"}))
          .query("subsidy_group", describe(subsidyGroupSchema(), {"补助群体", "Only this group"}))
          .query("township", township)
          .query("status", describe(beneficiaryStatusSchema(), {"状态", "Only in this status"}))
          .query("name", describe(text(50), {"姓名包含", "Name contains"}))
          .query("citizen_id", describe(text(18), {"身份证号", "Citizen ID (exact or its start)"}))
          .query("fallen_id", describe(id(), {"烈士（牺牲、病故军人）", "Survivors of"}))
          .query("complete", describe(boolean(), {"材料齐全",
                                                  "Only files with (true) or without (false) "
                                                  "every document"})),
      handle(&P::listBeneficiaries));
  router.add(Route::get("/beneficiaries/{id}")
                 .console({{"record", "beneficiary"}})
                 .pathId("id")
                 .summary("优抚对象档案",
                          "One file with its disability history and entitlements (its history: "
                          "GET /history)")
                 .ok(beneficiarySchema()),
             handle(&P::getBeneficiary));
  router.add(Route::patch("/beneficiaries/{id}")
                 .pathId("id")
                 .summary("更正优抚对象档案",
                          "Correct what was typed; the rules apply again; months already run are "
                          "adjusted; audited with old and new values")
                 .body(describe(beneficiaryFields(true), {"至少一项", "At least one field"}))
                 .ok(beneficiarySchema()),
             handle(&P::correctBeneficiary));
  router.add(Route::post("/beneficiaries/{id}/disability-assessments")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("调整残疾等级",
                          "A new assessment (§29: no earlier than one year after the last); the "
                          "pension follows from the month approved")
                 .body(object({{"disability",
                                describe(disabilitySchema(), {"伤残情况", "The new assessment"})},
                               {"approved_on", optional(date())}}))
                 .created(beneficiarySchema()),
             handle(&P::reassessDisability));
  router.add(Route::get("/beneficiaries/overdue-transfers")
                 .console({{"queue", true}})
                 .summary("抚恤关系逾期未转入",
                          "Disabled servicemen whose pension file was not received within 60 "
                          "days of leaving the army (§30)")
                 .query("township", township)
                 .ok(object({{"items", describe(arrayOf(overdueTransferSchema()),
                                                {"抚恤关系逾期未转入", "Files overdue"})},
                             {"total", integer(0)}})),
             handle(&P::overdueTransfers));

  // --- Exchange with the veterans affairs bureau (docs/import-layout.md) ---
  const json counts =
      object({{"rows", describe(integer(0), {"行数", "Rows in the file"})},
              {"created", describe(integer(0), {"新建档案", "Files created"})},
              {"updated", describe(integer(0), {"更新档案", "Files updated"})},
              {"unchanged", describe(integer(0), {"未变化", "Files as they were"})}});
  router.add(
      Route::post("/imports/roster")
          .summary("导入退役军人事务局花名册",
                   "Create or update beneficiary files (一人一档) from the bureau's roster, a "
                   "CSV or XLSX file (docs/import-layout.md): every row checked as a file is; a "
                   "file with any bad row imports nothing and lists every bad row; an update is "
                   "audited with old and new values; the same file again changes nothing")
          .body(uploadedFile())
          .acceptsFile()
          .created(counts, "files were created (and others perhaps updated)")
          .answers(200, counts, "no file was created: files updated or unchanged"),
      handle(&P::importRoster));
  router.add(Route::get("/exports/roster")
                 .summary("导出优抚对象花名册",
                          "The files as CSV (UTF-8 with BOM) in exactly the import layout: "
                          "imported back, it changes nothing")
                 .query("township", township)
                 .query("category", describe(categorySchema(), {"类别", "Only this category"}))
                 .query("status", describe(beneficiaryStatusSchema(), {"状态", "Only this status"}))
                 .document(sdk::kCsv, "the roster, one line per file"),
             handle(&P::exportRoster));
  router.add(Route::get("/exports/payments")
                 .summary("导出发放明细",
                          "The lines of a month's confirmed payment run as CSV (UTF-8 with BOM): "
                          "the roster's identity columns, the payment (yuan) and the payee's "
                          "bank account, as the bank roll has it")
                 .query("month", describe(month(), {"发放月份", "The run's month"}), true)
                 .query("township", township)
                 .document(sdk::kCsv, "the payments, one line per payment line"),
             handle(&P::exportPayments));

  // --- Fallen servicemen ---
  router.add(Route::post("/fallen")
                 .summary("登记烈士、因公牺牲、病故军人",
                          "Record a martyr or a serviceman who died on duty or of illness: the "
                          "record survivors and one-time payments point at")
                 .body(fallenFields(false))
                 .created(fallenSchema()),
             handle(&P::createFallen));
  router.add(Route::get("/fallen")
                 .summary("烈士、牺牲、病故军人", "Fallen servicemen")
                 .list(fallenSchema(), kFallenList)
                 .query("death_kind", describe(deathKindSchema(), {"类别", "Only this kind"}))
                 .query("township", township)
                 .query("name", describe(text(50), {"姓名包含", "Name contains"})),
             handle(&P::listFallen));
  router.add(Route::get("/fallen/{id}")
                 .console({{"record", "fallen"}})
                 .pathId("id")
                 .summary("烈士、牺牲、病故军人档案", "One record with its survivors")
                 .ok(fallenSchema()),
             handle(&P::getFallen));
  router.add(Route::patch("/fallen/{id}")
                 .pathId("id")
                 .summary("更正烈士、牺牲、病故军人档案",
                          "Correct what was typed; audited with old and new values")
                 .body(describe(fallenFields(true), {"至少一项", "At least one field"}))
                 .ok(fallenSchema()),
             handle(&P::correctFallen));

  // --- The national table ---
  router.add(Route::get("/national-standards")
                 .summary("全国抚恤补助标准",
                          "The national table in force on a date (default today): every item's "
                          "standard, bundled or imported")
                 .query("as_of", describe(date(), {"标准日期", "In force on (default today)"}))
                 .query("item", describe(standardItemSchema(), {"项目", "Only this item"}))
                 .ok(object({{"as_of", describe(date(), {"标准日期", "In force on"})},
                             {"items", describe(arrayOf(standardRowSchema()),
                                                {"标准明细", "Every item's standard in force"})},
                             {"total", integer(0)}})),
             handle(&P::standardsAsOf));
  router.add(
      Route::post("/national-standards/imports")
          .permission(Permission::Approve)
          .summary("导入全国抚恤补助标准",
                   "Import a year's national table (JSON rows, or a CSV or XLSX file in "
                   "`content`, XLSX base64-encoded): every row checked, any bad row refuses the "
                   "whole import and lists every bad row")
          .body(object(
              {{"format",
                importFormat(enumOf({{"json", {"JSON", "rows below"}},
                                     {"csv", {"CSV", "CSV text in content"}},
                                     {"xlsx", {"XLSX", "XLSX workbook, base64 in content"}}}))},
               {"source",
                describe(text(200), {"文件依据（文号）", "The notice the table comes from"})},
               {"note", optional(text(2000, 0))},
               {"rows", describe(optional(arrayOf(importRowBody(), 2000)),
                                 {"标准明细", "The rows, when the format is JSON"})},
               {"content", describe(optional(text(16 * 1024 * 1024)),
                                    {"文件内容", "CSV text, or the XLSX file in base64"})},
               {"encoding", optional(describe(
                                enumOf({{"text", {"文本", "text (CSV only; no carriage returns)"}},
                                        {"base64", {"Base64", "base64 (the file as uploaded)"}}}),
                                {"content 编码",
                                 "How content is sent: CSV as text by "
                                 "default, XLSX always base64"}))}}))
          .created(importSchema()),
      handle(&P::importStandards));
  router.add(Route::get("/national-standards/imports")
                 .summary("标准导入记录", "Imports of the national table, the bundled one too")
                 .list(importSchema(), kImportList),
             handle(&P::listImports));
  router.add(Route::get("/national-standards/imports/{id}")
                 .console({{"record", "standard_import"}})
                 .pathId("id")
                 .summary("标准导入", "One import with its rows")
                 .ok(importWithRowsSchema()),
             handle(&P::getImport));

  // --- Entitlements ---
  router.add(Route::post("/entitlements")
                 .summary("申报定期待遇",
                          "Propose a periodic entitlement for a file; a second person confirms "
                          "it (paid from the month approved)")
                 .body(object({{"beneficiary_id", beneficiaryId()},
                               {"type", periodicTypeSchema()},
                               {"note", optional(text(1000, 0))}}))
                 .created(entitlementSchema()),
             handle(&P::proposeEntitlement));
  router.add(
      Route::get("/entitlements")
          .summary("待遇", "Entitlements, periodic and one-time")
          .list(entitlementSchema(), kEntitlementList)
          .query("beneficiary_id", describe(id(), {"优抚对象", "Only this file's"}))
          .query("type", describe(entitlementTypeSchema(), {"待遇项目", "Only this type"}))
          .query("status", describe(entitlementStatusSchema(), {"状态", "Only in this status"}))
          .query("township", township)
          .query("name", describe(text(50), {"姓名包含", "Name contains"})),
      handle(&P::listEntitlements));
  router.add(Route::get("/entitlements/{id}")
                 .console({{"record", "entitlement"}})
                 .pathId("id")
                 .summary("待遇", "One entitlement with its suspensions and adjustments")
                 .ok(entitlementSchema()),
             handle(&P::getEntitlement));
  router.add(Route::post("/entitlements/{id}/confirmation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("复核待遇",
                          "Confirm a proposed entitlement (a second person, not the proposer): "
                          "paid from the month approved (§19, §27); months already run are paid "
                          "back by adjustment")
                 .body(object({{"approved_on", optional(describe(date(), {"批准日期（默认今天）",
                                                                          "Approved on (default "
                                                                          "today)"}))}}))
                 .ok(entitlementSchema()),
             handle(&P::confirmEntitlement));
  router.add(Route::patch("/entitlements/{id}")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("更正待遇",
                          "Correct the approval date or the note; months already run are "
                          "adjusted; audited")
                 .body(describe(
                     object({{"approved_on", optional(date())}, {"note", optional(text(1000, 0))}}),
                     {"至少一项", "At least one field"}))
                 .ok(entitlementSchema()),
             handle(&P::correctEntitlement));
  router.add(Route::get("/entitlements/{id}/amount")
                 .pathId("id")
                 .summary("待遇月度金额", "What a month pays and how it is computed")
                 .query("month", describe(month(), {"月份", "The month (default this month)"}))
                 .ok(monthAmountSchema()),
             handle(&P::monthAmount));
  router.add(Route::post("/entitlements/{id}/suspensions")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("停发待遇",
                          "Suspend payment from a month (服刑期间, §59); months already run are "
                          "recovered by adjustment")
                 .body(object({{"from_month", month()},
                               {"reason", suspensionReasonSchema()},
                               {"note", optional(text(1000, 0))}}))
                 .created(entitlementSchema()),
             handle(&P::suspendEntitlement));
  router.add(
      Route::patch("/entitlements/{id}/suspensions/{suspension}")
          .pathId("id")
          .pathId("suspension")
          .permission(Permission::Approve)
          .summary("更正停发",
                   "Correct a suspension's first month, its last month (once resumed), "
                   "reason or note; months already run are adjusted; audited")
          .body(describe(object({{"from_month", optional(month())},
                                 {"to_month", describe(optional(month()),
                                                       {"停发截止月份", "Last month suspended"})},
                                 {"reason", optional(suspensionReasonSchema())},
                                 {"note", optional(text(1000, 0))}}),
                         {"至少一项", "At least one field"}))
          .ok(entitlementSchema()),
      handle(&P::correctSuspension));
  router.add(Route::post("/entitlements/{id}/resumption")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("恢复发放",
                          "Resume payment from a month (刑满释放): the suspended months are not "
                          "paid")
                 .body(object({{"from_month", month()}}))
                 .ok(entitlementSchema()),
             handle(&P::resumeEntitlement));
  router.add(
      Route::post("/entitlements/{id}/cancellation")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("取消待遇",
                   "Cancel: death sentence, life sentence, expulsion (§59), fraud (§58: "
                   "what was obtained is recovered) or another reason")
          .body(object({{"reason", endReasonBodySchema()},
                        {"from_month", describe(month(), {"停发起始月份", "No payment from"})},
                        {"recover_from_month",
                         optional(describe(month(), {"追回起始月份",
                                                     "Fraud: recover what was paid from this month "
                                                     "(default the first month paid)"}))},
                        {"note", text(1000)}}))
          .ok(entitlementSchema()),
      handle(&P::cancelEntitlement));
  router.add(Route::get("/adjustments")
                 .summary("补发、扣减及一次性发放",
                          "Lines owed once: adjustments of months already run, funeral aid, "
                          "one-time payments, visits")
                 .list(adjustmentSchema(), kAdjustmentList)
                 .query("entitlement_id", describe(id(), {"待遇", "Only this entitlement's"}))
                 .query("kind", describe(dueKindSchema(), {"类别", "Only this kind"}))
                 .query("paid", describe(boolean(), {"已发放", "Only paid (true) or owed (false)"}))
                 .query("township", township),
             handle(&P::listAdjustments));
  router.add(Route::get("/adjustments/{id}")
                 .console({{"record", "adjustment"}})
                 .pathId("id")
                 .summary("补发、扣减及一次性发放", "One line owed once")
                 .ok(adjustmentSchema()),
             handle(&P::getAdjustment));
  router.add(Route::post("/adjustments/{id}/withdrawal")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("撤回未发放的款项",
                          "Withdraw a line not yet paid (e.g. funeral aid when the death was not "
                          "of illness), with the reason")
                 .body(object({{"reason", text(1000)}}))
                 .ok(adjustmentSchema()),
             handle(&P::withdrawAdjustment));

  // --- One-time payments ---
  router.add(
      Route::post("/one-time-payments")
          .summary("计算一次性抚恤金、烈士褒扬金",
                   "Prepare a one-time payment from the national table (§15–16) for a survivor "
                   "of a fallen serviceman; a second person confirms it")
          .body(object({{"type", enumOf({{"martyr_honour", {"烈士褒扬金", "martyr honour"}},
                                         {"death_lump_sum", {"一次性抚恤金", "death pension"}}})},
                        {"fallen_id",
                         describe(id(), {"烈士（牺牲、病故军人）记录号", "The fallen serviceman"})},
                        {"beneficiary_id", describe(id(), {"领取人（遗属）", "The survivor paid"})},
                        {"note", optional(text(1000, 0))}}))
          .created(oneTimeSchema()),
      handle(&P::prepareOneTime));
  router.add(Route::get("/one-time-payments")
                 .summary("一次性抚恤金、烈士褒扬金", "One-time payments")
                 .list(oneTimeSchema(), kEntitlementList)
                 .query("fallen_id", describe(id(), {"烈士（牺牲、病故军人）", "Of this record"}))
                 .query("status", describe(entitlementStatusSchema(), {"状态", "Only this status"}))
                 .query("township", township),
             handle(&P::listOneTime));
  router.add(Route::get("/one-time-payments/{id}")
                 .console({{"record", "entitlement"}})
                 .pathId("id")
                 .summary("一次性发放", "One one-time payment with its computation")
                 .ok(oneTimeSchema()),
             handle(&P::getOneTime));
  router.add(Route::post("/one-time-payments/{id}/confirmation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("复核一次性发放",
                          "Confirm (a second person, not the preparer): paid by the next run")
                 .ok(oneTimeSchema()),
             handle(&P::confirmOneTime));
  router.add(Route::post("/one-time-payments/{id}/cancellation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("撤销一次性发放", "Cancel a payment not yet paid, with the reason")
                 .body(object({{"reason", text(1000)}}))
                 .ok(oneTimeSchema()),
             handle(&P::cancelOneTime));

  // --- Holiday visits ---
  router.add(
      Route::post("/visit-campaigns")
          .summary("制定走访慰问计划",
                   "A holiday visit (慰问金): groups and the amount per person; the "
                   "recipients are derived from the files and editable until confirmed")
          .body(object(
              {{"name", text(100)},
               {"season", describe(seasonSchema(), {"节日", "Holiday"})},
               {"visit_date", describe(date(), {"慰问日期", "Visit date"})},
               {"groups", describe(arrayOf(campaignGroupBody(), 20, 1),
                                   {"慰问对象群体及标准", "Groups and the amount per person"})}}))
          .created(campaignSchema()),
      handle(&P::createCampaign));
  router.add(Route::get("/visit-campaigns")
                 .summary("走访慰问", "Holiday visit campaigns")
                 .list(campaignSchema(), kCampaignList)
                 .query("season", describe(seasonSchema(), {"节日", "Only this season"})),
             handle(&P::listCampaigns));
  router.add(Route::get("/visit-campaigns/{id}")
                 .console({{"record", "visit_campaign"}})
                 .pathId("id")
                 .summary("走访慰问计划", "One campaign with its totals by group")
                 .ok(campaignSchema()),
             handle(&P::getCampaign));
  router.add(
      Route::patch("/visit-campaigns/{id}")
          .pathId("id")
          .summary("更正走访慰问计划", "Correct a draft's name or date; audited")
          .body(describe(
              object({{"name", optional(text(100))},
                      {"visit_date", describe(optional(date()), {"慰问日期", "Visit date"})}}),
              {"至少一项", "At least one field"}))
          .ok(campaignSchema()),
      handle(&P::correctCampaign));
  router.add(Route::get("/visit-campaigns/{id}/recipients")
                 .pathId("id")
                 .summary("慰问名单", "The recipients of a campaign")
                 .list(recipientSchema(), kRecipientList)
                 .query("township", township)
                 .query("included", describe(boolean(), {"列入发放", "Only included or not"})),
             handle(&P::listRecipients));
  router.add(Route::post("/visit-campaigns/{id}/recipients")
                 .pathId("id")
                 .summary("增加慰问对象", "Add a file to a draft campaign")
                 .body(object({{"beneficiary_id", beneficiaryId()},
                               {"group", visitGroupSchema()},
                               {"amount", optional(money())},
                               {"note", optional(text(500, 0))}}))
                 .created(recipientSchema()),
             handle(&P::addRecipient));
  router.add(Route::get("/visit-recipients/{id}")
                 .pathId("id")
                 .summary("慰问对象", "One recipient of a campaign")
                 .ok(recipientSchema()),
             handle(&P::getRecipient));
  router.add(
      Route::patch("/visit-recipients/{id}")
          .pathId("id")
          .summary("更正慰问对象", "Change an amount or leave a recipient out; audited")
          .body(describe(object({{"amount", optional(money())},
                                 {"included", describe(optional(boolean()),
                                                       {"列入发放", "Included in the payment"})},
                                 {"note", optional(text(500, 0))}}),
                         {"至少一项", "At least one field"}))
          .ok(recipientSchema()),
      handle(&P::correctRecipient));
  router.add(Route::post("/visit-campaigns/{id}/confirmation")
                 .pathId("id")
                 .permission(Permission::Approve)
                 .summary("复核慰问名单",
                          "Confirm the list (a second person, neither the preparer nor an "
                          "editor): paid through the payment run of the campaign's month")
                 .ok(campaignSchema()),
             handle(&P::confirmCampaign));
}

}  // namespace civ::plugins::veterans
