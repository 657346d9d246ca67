// The module's HTTP surface: every route with its permission, parameters, request schema and
// answers (the host checks them and documents the routes in /api/openapi.json).
#include <civ/sdk/context.h>
#include <civ/sdk/route_builder.h>
#include <civ/sdk/router.h>
#include <civ/sdk/schema.h>

#include "elderly_care_plugin.h"
#include "elderly_care_rules.h"
#include "parameters.h"

namespace civ::plugins::elderly_care {

namespace {

using nlohmann::json;
using namespace sdk::schema;

// --- Values the routes repeat -------------------------------------------------------------------

json profit() {
  return enumOf(
      {{"for_profit", {"营利性", "for profit"}}, {"non_profit", {"非营利性", "non-profit"}}});
}
json ownership() {
  return enumOf({{"public", {"公办", "public"}}, {"private", {"民办", "private"}}});
}
json authority() {
  return enumOf({{"market_regulation", {"市场监管部门", "market regulation (营业执照)"}},
                 {"civil_affairs", {"民政部门（民办非企业）", "civil affairs (民非)"}},
                 {"establishment_office", {"机构编制部门（事业单位）", "establishment office"}}});
}
json institutionStatus() {
  return enumOf({{"operating", {"运营", "operating"}},
                 {"suspended", {"暂停", "suspended"}},
                 {"closed", {"终止", "closed"}}});
}
json abilityLevel() {
  std::vector<std::pair<std::string, sdk::LocalizedText>> values;
  for (const auto& option : kAbilityLevelOptions)
    values.push_back({option.code, {option.zh, option.en}});
  return enumOf(values);
}
json careLevel() {
  std::vector<std::pair<std::string, sdk::LocalizedText>> values;
  for (const auto& option : kCareLevelOptions)
    values.push_back({option.code, {option.zh, option.en}});
  return enumOf(values);
}
json funding() {
  return enumOf({{"self_paid", {"自费", "self-paid"}},
                 {"tekun", {"特困集中供养", "特困 institutional support"}},
                 {"subsidy", {"政府补贴", "subsidised"}}});
}
json residentStatus() {
  return enumOf({{"in_residence", {"在院", "in residence"}},
                 {"on_leave", {"请假", "on leave"}},
                 {"in_hospital", {"住院", "in hospital"}},
                 {"discharged", {"退住", "discharged"}},
                 {"deceased", {"死亡", "deceased"}}});
}
json material() {
  return enumOf({{"application_form", {"备案申请书", "application form"}},
                 {"registration_certificate", {"营业执照或登记证书", "registration certificate"}},
                 {"premises_proof", {"服务场所权属证明或租赁合同", "premises proof"}},
                 {"fire_safety", {"消防安全材料", "fire safety"}},
                 {"legal_representative", {"法定代表人（主要负责人）信息", "legal representative"}},
                 {"compliance_pledge", {"承诺书", "compliance pledge"}}});
}
json hazardCategory() {
  return enumOf({{"choking", {"噎食", "choking"}},
                 {"wrong_intake", {"误食", "wrong food or medicine"}},
                 {"pressure_sore", {"压疮", "pressure sores"}},
                 {"scald", {"烫伤", "scalds"}},
                 {"bed_fall", {"坠床", "falling out of bed"}},
                 {"fall", {"跌倒", "falls"}},
                 {"wandering", {"走失", "wandering"}},
                 {"harm", {"他伤自伤", "harm to others or self"}},
                 {"activity_accident", {"文体活动意外", "activity accidents"}}});
}
json dimensions() {
  return describe(
      object({{"daily_living", describe(abilityLevel(), {"日常生活活动",
                                                         "Activities of daily "
                                                         "living (ADL)"})},
              {"mental_state", describe(abilityLevel(), {"精神状态", "Mental state"})},
              {"perception_communication",
               describe(abilityLevel(), {"感知觉与沟通", "Perception and communication"})},
              {"social_participation",
               describe(abilityLevel(), {"社会参与", "Social participation"})}}),
      {"能力评估四个维度（GB/T 42195-2022）",
       "The four dimensions, each an ability level in force"});
}
json emergencyContact() {
  return object(
      {{"name", describe(text(50), {"联系人姓名", "Contact's name"})}, {"phone", text(30)}});
}
json bankAccount() {
  return describe({{"type", "string"}, {"pattern", "^[0-9]{8,30}$"}},
                  {"银行账号（对公账户）", "The institution's account: 8 to 30 digits"});
}

// --- Answers ------------------------------------------------------------------------------------

json institutionSchema() {
  return object(
      {{"id", id()},
       {"name", text(100)},
       {"uscc", uscc()},
       {"profit", profit()},
       {"ownership", ownership()},
       {"registration_authority", authority()},
       {"address", text(200)},
       {"township", text(100)},
       {"legal_representative", text(50)},
       {"beds", integer(0)},
       {"nursing_beds", integer(0)},
       {"floor_area_m2", integer(0)},
       {"grade", nullable(integer(1, 5))},
       {"status", institutionStatus()},
       {"registered_on", date()},
       {"first_admission_on", describe(nullable(date()), {"首次收住老人日期",
                                                          "Date the first resident was "
                                                          "admitted; none before"})},
       {"filing_due", describe(nullable(date()), {"备案期限",
                                                  "Last day to file: 10 working days after the "
                                                  "first admission"})},
       {"receipt_number", describe(nullable(text(40)), {"备案回执编号",
                                                        "Filing receipt number; none until "
                                                        "filed"})},
       {"filed_on", nullable(date())},
       {"bank_name", describe(nullable(text(100)), {"开户银行", "None when not on file"})},
       {"bank_account", nullable(bankAccount())},
       {"residents", describe(integer(0), {"在院老人数", "Residents present"})}});
}
json filingSchema() {
  return object({{"id", id()},
                 {"institution_id", id()},
                 {"submitted_on", date()},
                 {"complete", describe(boolean(), {"材料齐全", "The materials were complete"})},
                 {"receipt_number", describe(nullable(text(40)), {"备案回执编号",
                                                                  "Receipt number, when "
                                                                  "complete"})},
                 {"missing", describe(arrayOf(material(), 10),
                                      {"一次性告知需补正的材料", "Every item still missing"})},
                 {"notice", describe(nullable(text(2000)), {"一次性告知书",
                                                            "The notice listing what to add, "
                                                            "when incomplete"})}});
}
json overdueFilingSchema() {
  return object({{"id", id()},
                 {"name", text(100)},
                 {"township", text(100)},
                 {"first_admission_on",
                  describe(date(), {"首次收住老人日期", "Date the first resident was admitted"})},
                 {"filing_due", describe(date(), {"备案期限", "Last day to file"})}});
}
json assessmentSchema() {
  return object({{"assessed_on", date()},
                 {"reason", enumOf({{"admission", {"入院评估", "admission"}},
                                    {"condition_change", {"状态变化复评", "condition changed"}},
                                    {"periodic", {"定期复评", "periodic"}}})},
                 {"dimensions", dimensions()},
                 {"result", abilityLevel()},
                 {"care_level", careLevel()}});
}
json residentSchema() {
  return object({{"id", id()},
                 {"institution_id", id()},
                 {"institution", text(100)},
                 {"township", text(100)},
                 {"person_id", id()},
                 {"citizen_id", citizenId()},
                 {"name", describe(text(200), {"姓名", "Resident's name"})},
                 {"bed_number", text(20)},
                 {"admitted_on", date()},
                 {"ability_level", describe(abilityLevel(), {"老年人能力等级",
                                                             "Ability level from the latest "
                                                             "assessment"})},
                 {"care_level", careLevel()},
                 {"agreement_number", text(60)},
                 {"agreement_signed_on", date()},
                 {"emergency_contact", emergencyContact()},
                 {"funding", funding()},
                 {"status", residentStatus()},
                 {"discharged_on", nullable(date())},
                 {"discharge_reason", nullable(text(20))},
                 {"keep_records_until",
                  describe(nullable(date()), {"档案保存期限",
                                              "Records kept until (5 years after the agreement "
                                              "ends); none while in residence"})},
                 {"assessments", describe(optional(arrayOf(assessmentSchema())),
                                          {"能力评估记录", "Ability assessments"})},
                 {"absences", describe(optional(arrayOf(object({{"id", id()},
                                                                {"kind", text(20)},
                                                                {"start_on", date()},
                                                                {"end_on", nullable(date())},
                                                                {"note", text(500, 0)}}))),
                                       {"请假和住院记录", "Leaves and hospital stays"})}});
}
json inspectionSchema() {
  return object({{"id", id()},
                 {"institution_id", id()},
                 {"institution", text(100)},
                 {"township", text(100)},
                 {"inspected_on", date()},
                 {"inspectors", text(200)},
                 {"findings", text(4000)},
                 {"hazards", describe(integer(0), {"隐患数", "Hazards recorded"})}});
}
json overdueInspectionSchema() {
  return object({{"id", id()},
                 {"name", text(100)},
                 {"township", text(100)},
                 {"last_inspected_on", describe(nullable(date()), {"最近一次检查日期",
                                                                   "Last on-site inspection; "
                                                                   "none if never"})},
                 {"due", date()}});
}
json hazardSchema() {
  return object(
      {{"id", id()},
       {"institution_id", id()},
       {"institution", text(100)},
       {"township", text(100)},
       {"inspection_id", describe(id(), {"检查记录号", "The inspection that found it"})},
       {"category", nullable(hazardCategory())},
       {"major_situation",
        describe(nullable(integer(1, 22)), {"重大事故隐患情形",
                                            "Which of the 22 major-hazard situations; none for "
                                            "an ordinary hazard"})},
       {"description", text(2000)},
       {"found_on", describe(date(), {"发现日期", "Found on"})},
       {"deadline", date()},
       {"status", enumOf({{"open", {"整改中", "open"}}, {"closed", {"已销号", "closed"}}})},
       {"overdue", boolean()},
       {"rechecked_on", describe(nullable(date()), {"复查日期", "Last re-check"})},
       {"closed_on", nullable(date())}});
}
json penaltySchema() {
  return object({{"id", id()},
                 {"institution_id", id()},
                 {"institution", text(100)},
                 {"kind", enumOf({{"warning", {"警告", "warning"}}, {"fine", {"罚款", "fine"}}})},
                 {"amount", money()},
                 {"decided_on", date()},
                 {"basis", describe(text(500), {"处罚依据", "Legal basis and facts"})}});
}
json constructionSchema() {
  return object({{"id", id()},
                 {"institution_id", id()},
                 {"institution", text(100)},
                 {"new_beds", describe(integer(1), {"新增床位数", "New beds"})},
                 {"completed_on", describe(date(), {"竣工日期", "Completed on"})},
                 {"per_bed",
                  describe(money(), {"每张床位补贴标准（元）", "Subsidy per bed in force (yuan)"})},
                 {"amount", money()},
                 {"status", enumOf({{"prepared", {"待复核", "prepared"}},
                                    {"confirmed", {"已确认（可支付）", "confirmed, payable"}}})},
                 {"prepared_by", text(100)},
                 {"confirmed_by", nullable(text(100))},
                 {"confirmed_on", nullable(date())},
                 {"paid_in_month",
                  describe(nullable(month()), {"发放批次月份",
                                               "The month of the subsidy run that paid it; none "
                                               "until a run does"})}});
}
json levelSchema() {
  return object(
      {{"care_level", careLevel()},
       {"resident_months", describe(integer(0), {"入住人月数", "Resident-months"})},
       {"rate", describe(money(), {"补贴标准（元/人·月）", "Rate per resident-month (yuan)"})},
       {"amount", money()}});
}
json subsidyLineSchema(const json& program, const json& kind) {
  return object(
      {{"line_id", describe(id(), {"明细记录号", "Line id"})},
       {"institution_id", id()},
       {"institution", text(100)},
       {"township", text(100)},
       {"receipt_number", describe(nullable(text(40)), {"备案回执编号", "Filing receipt number"})},
       {"program", describe(program, {"补贴项目", "Subsidy programme"})},
       {"kind", kind},
       {"month", describe(month(), {"所属月份", "The month the line pays"})},
       {"amount", signedMoney()},
       {"has_bank_account",
        describe(boolean(), {"已登记银行账号", "The institution has a bank account on file"})},
       {"construction_subsidy_id",
        describe(nullable(id()), {"建设补贴", "The construction subsidy a one-off line pays"})},
       {"levels",
        describe(arrayOf(levelSchema(), 20), {"按护理等级",
                                              "An operating line by care level: resident-months × "
                                              "the rate in force on the month's first day"})}});
}

json institutionFields(bool patch) {
  Properties fields = properties(
      {{"name", text(100)},
       {"uscc", uscc()},
       {"profit", profit()},
       {"ownership", ownership()},
       {"registration_authority", authority()},
       {"address", text(200)},
       {"township", text(100)},
       {"legal_representative", text(50)},
       {"beds", integer(0, 100000)},
       {"nursing_beds", integer(0, 100000)},
       {"floor_area_m2", integer(1, 10000000)},
       {"grade", patch ? nullable(integer(1, 5)) : integer(1, 5)},
       {"registered_on", describe(date(), {"登记日期（默认今天）",
                                           "Date of registration with the authority (default: "
                                           "today)"})}});
  for (auto& field : fields)
    if (patch || field.first == "grade" || field.first == "registered_on")
      field.second = optional(field.second);
  // The account the subsidies are paid to: optional, and cleared with null in a correction.
  const json bank_name = describe(text(100), {"开户银行", "The bank of the account"});
  fields.emplace_back("bank_name", optional(patch ? nullable(bank_name) : bank_name));
  fields.emplace_back("bank_account", optional(patch ? nullable(bankAccount()) : bankAccount()));
  return object(std::move(fields));
}

}  // namespace

void ElderlyCarePlugin::addRoutes() {
  auto& router = context_->router();
  const auto handle = [this](sdk::Response (ElderlyCarePlugin::*handler)(sdk::Request&)) {
    return [this, handler](sdk::Request& request) { return (this->*handler)(request); };
  };
  using sdk::Permission;
  using sdk::Route;
  using P = ElderlyCarePlugin;

  // --- Institutions and filing ---
  router.add(Route::post("/institutions")
                 .summary("登记养老机构", "Register an elderly care institution (at least 10 beds)")
                 .body(institutionFields(false))
                 .created(institutionSchema()),
             handle(&P::createInstitution));
  router.add(
      Route::get("/institutions")
          .summary("养老机构列表", "Institutions, with filing and residents")
          .list(institutionSchema(), kInstitutionList)
          .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
          .query("status", describe(institutionStatus(), {"状态", "Only in this status"}))
          .query("name", describe(text(100), {"名称包含", "Name contains"}))
          .query("filed", describe(boolean(), {"已备案", "Only filed (true) or not (false)"})),
      handle(&P::listInstitutions));
  router.add(Route::get("/institutions/{id}")
                 .console({{"record", "institution"}})
                 .pathId("id")
                 .summary("养老机构", "One institution")
                 .ok(institutionSchema()),
             handle(&P::getInstitution));
  router.add(Route::patch("/institutions/{id}")
                 .pathId("id")
                 .summary("更正养老机构信息",
                          "Correct what was typed for an institution; the rules apply again; "
                          "audited with old and new values")
                 .body(describe(institutionFields(true), {"至少一项", "At least one field"}))
                 .ok(institutionSchema()),
             handle(&P::correctInstitution));
  router.add(
      Route::post("/institutions/{id}/filings")
          .pathId("id")
          .summary("提交备案材料",
                   "Submit the filing (备案): a receipt number when the materials are "
                   "complete, otherwise one notice listing every missing item")
          .body(object({{"materials", describe(arrayOf(material(), 10),
                                               {"提交的备案材料", "The materials submitted"})},
                        {"submitted_on", optional(date())}}))
          .created(filingSchema()),
      handle(&P::fileInstitution));
  router.add(Route::get("/filings")
                 .summary("备案记录", "Filings submitted, receipted or with a notice")
                 .list(filingSchema(), kFilingList)
                 .query("institution_id", describe(id(), {"机构", "Only this institution's"}))
                 .query("complete", describe(boolean(), {"材料齐全",
                                                         "Only receipted (true) or "
                                                         "noticed (false)"})),
             handle(&P::listFilings));
  router.add(Route::get("/filings/overdue")
                 .console({{"queue", true}})
                 .summary("逾期未备案机构",
                          "Institutions without a receipt 10 working days after the first "
                          "admission")
                 .ok(object({{"items", describe(arrayOf(overdueFilingSchema()),
                                                {"逾期未备案机构", "Institutions overdue"})},
                             {"total", integer(0)}})),
             handle(&P::overdueFilings));
  router.add(
      Route::post("/institutions/{id}/status")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("暂停、终止或恢复运营",
                   "Suspend, close or resume an institution; residents present need a "
                   "resettlement plan, and closure needs every resident resettled")
          .body(object({{"status", institutionStatus()},
                        {"on_date", date()},
                        {"reason", text(1000)},
                        {"resettlement_plan",
                         describe(optional(text(4000)),
                                  {"老人安置方案", "How the residents present are resettled"})}}))
          .ok(institutionSchema()),
      handle(&P::changeStatus));

  // --- Residents ---
  router.add(
      Route::post("/residents")
          .summary("老人入住", "Admit a resident after the ability assessment and the agreement")
          .body(object({{"institution_id", id()},
                        {"citizen_id", citizenId()},
                        {"name", describe(text(200), {"姓名", "Resident's name"})},
                        {"admitted_on", date()},
                        {"bed_number", text(20)},
                        {"dimensions", dimensions()},
                        {"care_level", careLevel()},
                        {"agreement_number", text(60)},
                        {"agreement_signed_on", date()},
                        {"emergency_contact", emergencyContact()},
                        {"funding", funding()}}))
          .created(residentSchema()),
      handle(&P::admitResident));
  router.add(Route::get("/residents")
                 .summary("在院老人", "Residents, present and past")
                 .list(residentSchema(), kResidentList)
                 .query("institution_id", describe(id(), {"机构", "Only this institution's"}))
                 .query("status", describe(residentStatus(), {"状态", "Only in this status"}))
                 .query("care_level", describe(careLevel(), {"照料护理等级", "Only this level"}))
                 .query("funding", describe(funding(), {"经费来源", "Only this funding"}))
                 .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
                 .query("name", describe(text(100), {"姓名包含", "Name contains"}))
                 .query("present", describe(boolean(), {"在院",
                                                        "Only not discharged (true) or "
                                                        "discharged (false)"})),
             handle(&P::listResidents));
  router.add(Route::get("/residents/{id}")
                 .console({{"record", "resident"}})
                 .pathId("id")
                 .summary("老人档案", "One resident with assessments and absences")
                 .ok(residentSchema()),
             handle(&P::getResident));
  router.add(Route::patch("/residents/{id}")
                 .pathId("id")
                 .summary("更正老人信息",
                          "Correct a resident's bed, agreement, emergency contact or funding; "
                          "audited with old and new values")
                 .body(describe(object({{"bed_number", optional(text(20))},
                                        {"agreement_number", optional(text(60))},
                                        {"emergency_contact", optional(emergencyContact())},
                                        {"funding", optional(funding())}}),
                                {"至少一项", "At least one field"}))
                 .ok(residentSchema()),
             handle(&P::correctResident));
  router.add(
      Route::post("/residents/{id}/assessments")
          .pathId("id")
          .summary("能力复评", "Re-assess a resident (condition changed, or periodic)")
          .body(object({{"assessed_on", date()},
                        {"reason", enumOf({{"condition_change", {"状态变化", "condition changed"}},
                                           {"periodic", {"定期", "periodic"}}})},
                        {"dimensions", dimensions()},
                        {"care_level", careLevel()}}))
          .created(residentSchema()),
      handle(&P::reassess));
  router.add(Route::post("/residents/{id}/absences")
                 .pathId("id")
                 .summary("请假或住院", "Start a leave or a hospital stay")
                 .body(object({{"kind", enumOf({{"leave", {"请假", "leave"}},
                                                {"hospital", {"住院", "hospital stay"}}})},
                               {"start_on", date()},
                               {"note", optional(text(500, 0))}}))
                 .created(residentSchema()),
             handle(&P::startAbsence));
  router.add(Route::post("/residents/{id}/return")
                 .pathId("id")
                 .summary("销假或出院返回", "End the current leave or hospital stay")
                 .body(object({{"on_date", date()}}))
                 .ok(residentSchema()),
             handle(&P::endAbsence));
  router.add(Route::post("/residents/{id}/discharge")
                 .pathId("id")
                 .summary("退住", "Discharge a resident (a death comes from person.deceased)")
                 .body(object({{"on_date", date()},
                               {"reason", enumOf({{"returned_home", {"返家", "returned home"}},
                                                  {"transferred", {"转院", "transferred"}},
                                                  {"other", {"其他", "other"}}})}}))
                 .ok(residentSchema()),
             handle(&P::dischargeResident));

  // --- Safety ---
  router.add(
      Route::post("/institutions/{id}/inspections")
          .pathId("id")
          .summary("登记现场检查", "Record an on-site inspection (at least once a year)")
          .body(object(
              {{"inspected_on", date()}, {"inspectors", text(200)}, {"findings", text(4000)}}))
          .created(inspectionSchema()),
      handle(&P::recordInspection));
  router.add(Route::get("/inspections")
                 .summary("现场检查", "Inspections")
                 .list(inspectionSchema(), kInspectionList)
                 .query("institution_id", describe(id(), {"机构", "Only this institution's"}))
                 .query("from", describe(date(), {"起", "Inspected on or after"}))
                 .query("to", describe(date(), {"止", "Inspected on or before"})),
             handle(&P::listInspections));
  router.add(Route::patch("/inspections/{id}")
                 .pathId("id")
                 .summary("更正检查记录", "Correct an inspection; audited with old and new values")
                 .body(describe(object({{"inspected_on", optional(date())},
                                        {"inspectors", optional(text(200))},
                                        {"findings", optional(text(4000))}}),
                                {"至少一项", "At least one field"}))
                 .ok(inspectionSchema()),
             handle(&P::correctInspection));
  router.add(Route::get("/inspections/overdue")
                 .console({{"queue", true}})
                 .summary("逾期未检查机构", "Institutions without an on-site inspection this year")
                 .ok(object({{"items", describe(arrayOf(overdueInspectionSchema()),
                                                {"逾期未检查机构", "Institutions overdue"})},
                             {"total", integer(0)}})),
             handle(&P::overdueInspections));
  router.add(
      Route::post("/inspections/{id}/hazards")
          .pathId("id")
          .summary("登记隐患",
                   "Record a hazard: one of the nine GB 38600 categories or one of the 22 "
                   "major-hazard situations, with a rectification deadline")
          .body(object({{"category", optional(hazardCategory())},
                        {"major_situation",
                         describe(optional(integer(1, 22)),
                                  {"重大事故隐患情形", "Which of the 22 major-hazard situations"})},
                        {"description", text(2000)},
                        {"deadline", date()}}))
          .created(hazardSchema()),
      handle(&P::recordHazard));
  router.add(
      Route::get("/hazards")
          .summary("隐患台账", "Hazards; overdue=true lists those past their deadline")
          .list(hazardSchema(), kHazardList)
          .query("institution_id", describe(id(), {"机构", "Only this institution's"}))
          .query("status",
                 describe(enumOf({{"open", {"整改中", "open"}}, {"closed", {"已销号", "closed"}}}),
                          {"状态", "Only open or closed"}))
          .query("overdue", describe(boolean(), {"逾期", "Only open and past the deadline"}))
          .query("major", describe(boolean(), {"重大隐患", "Only major hazards"})),
      handle(&P::listHazards));
  router.add(Route::patch("/hazards/{id}")
                 .pathId("id")
                 .summary("更正隐患", "Correct a hazard's description or category; audited")
                 .body(describe(object({{"category", optional(hazardCategory())},
                                        {"description", optional(text(2000))}}),
                                {"至少一项", "At least one field"}))
                 .ok(hazardSchema()),
             handle(&P::correctHazard));
  router.add(
      Route::post("/hazards/{id}/recheck")
          .pathId("id")
          .summary("隐患复查",
                   "Re-check: rectified closes the hazard (销号); otherwise a new deadline")
          .body(object({{"on_date", date()},
                        {"rectified", describe(boolean(), {"已整改", "Rectified"})},
                        {"note", text(1000)},
                        {"new_deadline", describe(optional(date()), {"新整改期限",
                                                                     "A new deadline when not "
                                                                     "rectified"})}}))
          .ok(hazardSchema()),
      handle(&P::recheckHazard));
  router.add(
      Route::post("/institutions/{id}/penalties")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("行政处罚", "A warning, or after a warning a fine up to 30,000 yuan")
          .body(object(
              {{"kind", enumOf({{"warning", {"警告", "warning"}}, {"fine", {"罚款", "fine"}}})},
               {"amount", optional(money())},
               {"decided_on", date()},
               {"basis", describe(text(500), {"处罚依据", "Legal basis and facts"})}}))
          .created(penaltySchema()),
      handle(&P::recordPenalty));
  router.add(Route::get("/penalties")
                 .summary("处罚记录", "Penalties")
                 .list(penaltySchema(), kPenaltyList)
                 .query("institution_id", describe(id(), {"机构", "Only this institution's"})),
             handle(&P::listPenalties));

  // --- Subsidies ---
  router.add(
      Route::post("/construction-subsidies")
          .permission(Permission::Approve)
          .summary("拟定建设补贴", "Prepare a construction subsidy for new beds")
          .body(object({{"institution_id", id()},
                        {"new_beds", describe(integer(1, 100000), {"新增床位数", "New beds"})},
                        {"completed_on", describe(date(), {"竣工日期", "Completed on"})}}))
          .created(constructionSchema()),
      handle(&P::prepareConstruction));
  router.add(
      Route::post("/construction-subsidies/{id}/confirmation")
          .pathId("id")
          .permission(Permission::Approve)
          .summary("复核建设补贴",
                   "Confirm (a second approver): the next subsidy run pays it as a one-off line")
          .ok(constructionSchema()),
      handle(&P::confirmConstruction));
  router.add(Route::get("/construction-subsidies")
                 .summary("建设补贴", "Construction subsidies")
                 .list(constructionSchema(), kConstructionList)
                 .query("institution_id", describe(id(), {"机构", "Only this institution's"}))
                 .query("paid", describe(boolean(), {"已发放",
                                                     "Only those a run paid (true) or not yet "
                                                     "(false)"})),
             handle(&P::listConstruction));
  // Operating subsidies and confirmed construction subsidies are paid through the SDK's payment
  // runs (prepare, four-eyes confirmation, cancellation, bank CSV/XLSX); their lines here.
  payment_runs_->addRoutes(router, "/subsidy-runs");
  router.add(
      Route::get("/subsidy-runs/{month}/lines")
          .pathParam("month", month())
          .summary("补贴发放明细",
                   "A run's lines, paged: institution, care levels with resident-months "
                   "and rates, bank account on file")
          .list(subsidyLineSchema(payment_runs_->programSchema(), payment_runs_->kindSchema()),
                kSubsidyLineList)
          .query("institution_id", describe(id(), {"机构", "Only this institution's"}))
          .query("program",
                 describe(payment_runs_->programSchema(), {"补贴项目", "Only this programme"}))
          .query("kind", payment_runs_->kindSchema())
          .query("township", describe(text(100), {"乡镇（街道）", "Only this township's"}))
          .query("bank_account", describe(boolean(), {"已登记银行账号",
                                                      "Only lines whose institution has "
                                                      "(true) or lacks (false) a bank "
                                                      "account"})),
      handle(&P::listSubsidyLines));
}

}  // namespace civ::plugins::elderly_care
