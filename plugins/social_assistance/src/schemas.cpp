#include "schemas.h"

#include <string>
#include <utility>
#include <vector>

#include <civ/sdk/schema.h>

namespace civ::plugins::social_assistance {

namespace {

using nlohmann::json;
using namespace sdk::schema;

// Text the module stores from a request of at most `max` characters, or from an imported file
// (cells of at most 500 bytes).
constexpr int kImported = 500;
// A list over a whole county (a roll, the reviews due): as long as the county is large.
constexpr int kLongList = 10000000;

/// Text that may be empty (the helpers write "" for an absent optional value).
json maybeEmpty(int max_length) { return text(max_length, 0); }

Properties applicationProperties() {
  return properties(
      {{"id", id()},
       {"number", recordNumberSchema()},
       {"household_id", id()},
       {"program", programSchema()},
       {"status", applicationStatusSchema()},
       {"received_on", date()},
       {"accepted_on", nullable(date())},
       {"investigation_started_on", nullable(date())},
       {"investigated_on", nullable(date())},
       {"township_reviewed_on", nullable(date())},
       {"township_opinion", nullable(opinionSchema())},
       {"notice_location", nullable(text(200))},
       {"notice_from", nullable(date())},
       {"notice_until", nullable(date())},
       {"decided_on", nullable(date())},
       {"decision", nullable(enumOf({{"approved", {"批准", "approved"}},
                                     {"refused", {"不予批准", "refused"}}}))},
       {"refusal_reason", nullable(text(2000))},
       {"submitted_by", userSchema()},
       {"decided_by", nullable(userSchema())},
       {"missing_documents", arrayOf(text(200), 30)},
       {"extended", boolean()},
       {"support_mode", nullable(supportModeSchema())},
       {"temporary_kind", nullable(temporaryKindSchema())},
       {"self_care_failed_items", optional(integer(0, 6))},
       {"requested_amount", optional(money())},
       {"person_id", optional(id())},
       {"transitions",
        arrayOf(object({{"from", describe(enumOf({"pending_documents", "accepted", "investigating",
                                                  "investigated", "township_reviewed", "in_notice",
                                                  "community_review", "approved", "refused",
                                                  "discontinued", ""}),
                                          {"原状态", "The status before; empty for the first"})},
                        {"to", applicationStatusSchema()},
                        {"on", date()},
                        {"by", userSchema()},
                        // The receipt's note lists the missing documents (30 × 200 characters).
                        {"note", maybeEmpty(10000)}}))},
       {"investigators",
        describe(arrayOf(text(50), 10), {"调查人员", "Investigators of the latest round"})},
       {"objections", arrayOf(object({{"raised_on", date()},
                                      {"content", text(2000)},
                                      {"resolution", objectionResolutionSchema()}}))}});
}

Properties caseProperties() {
  return properties(
      {{"id", id()},
       {"number", recordNumberSchema()},
       {"program", programSchema()},
       {"household_id", id()},
       {"person_id",
        describe(nullable(id()), {"救助对象", "The person, for a per-person program"})},
       {"payee_person_id", id()},
       {"status",
        enumOf({{"active", {"在保", "active"}}, {"terminated", {"已终止", "terminated"}}})},
       {"start_month", month()},
       {"end_month", describe(nullable(month()), {"最后发放月", "The last month paid"})},
       {"decided_on", date()},
       {"next_review_due", nullable(date())},
       {"death_review_due", nullable(date())},
       {"termination_reason", nullable(text(2000))},
       {"phase_out_from", nullable(month())},
       {"support_mode", optional(describe(supportModeSchema(),
                                          {"本月供养方式", "特困: the support mode this month"}))},
       {"support_modes",
        optional(
            describe(arrayOf(object({{"from_month", month()},
                                     {"support_mode", supportModeSchema()},
                                     {"reason", text(500)}})),
                     {"供养方式变更", "特困: each support mode and the month it applies from"}))},
       {"self_care_level", optional(selfCareLevelSchema())},
       {"amount", optional(describe(money(), {"固定金额", "The fixed amount (temporary)"}))},
       {"incomes",
        arrayOf(object({{"from_month", month()}, {"household_monthly_income", money()}}))},
       {"suspensions",
        arrayOf(
            object({{"from_month", month()},
                    {"until_month",
                     describe({{"type", "string"}, {"pattern", "^([0-9]{4}-(0[1-9]|1[0-2]))?$"}},
                              {"暂停至", "The last month suspended (YYYY-MM); empty while open"})},
                    {"reason", text(1000)}}))}});
}

}  // namespace

std::vector<std::pair<std::string, sdk::LocalizedText>> programLabels() {
  return {{"dibao", {"最低生活保障", "Minimum living allowance (dibao)"}},
          {"dibao_edge", {"低保边缘家庭", "Near-dibao household"}},
          {"tekun", {"特困人员救助供养", "Support for persons in extreme poverty (tekun)"}},
          {"temporary", {"临时救助", "Temporary assistance"}},
          {"disability_living", {"困难残疾人生活补贴", "Living subsidy, disabled in need"}},
          {"disability_care", {"重度残疾人护理补贴", "Care subsidy, severely disabled"}}};
}

json programSchema() { return enumOf(programLabels()); }

json medicalCategorySchema() {
  return enumOf({{"tekun", {"特困人员", "tekun"}},
                 {"dibao", {"低保对象", "dibao"}},
                 {"dibao_edge", {"低保边缘家庭成员", "near-dibao"}}});
}

json categorySchema() {
  return enumOf({{"urban", {"城市", "urban"}}, {"rural", {"农村", "rural"}}});
}

json incomeStabilitySchema() {
  return enumOf({{"stable", {"收入稳定", "stable income"}},
                 {"unstable", {"收入不稳定", "unstable income (half-yearly re-review)"}}});
}

json relationshipSchema() {
  return enumOf({{"applicant", {"申请人", "applicant"}},
                 {"spouse", {"配偶", "spouse"}},
                 {"child", {"子女", "child"}},
                 {"parent", {"父母", "parent"}},
                 {"grandparent", {"祖父母、外祖父母", "grandparent"}},
                 {"grandchild", {"孙子女、外孙子女", "grandchild"}},
                 {"sibling", {"兄弟姐妹", "sibling"}},
                 {"other", {"其他", "other"}}});
}

json workCapacitySchema() {
  return enumOf({{"full", {"有劳动能力", "full"}},
                 {"partial", {"部分丧失劳动能力", "partial"}},
                 {"none", {"无劳动能力", "none"}}});
}

json disabilityTypeSchema() {
  return enumOf({{"visual", {"视力残疾", "visual"}},
                 {"hearing", {"听力残疾", "hearing"}},
                 {"speech", {"言语残疾", "speech"}},
                 {"physical", {"肢体残疾", "physical"}},
                 {"intellectual", {"智力残疾", "intellectual"}},
                 {"mental", {"精神残疾", "mental"}},
                 {"multiple", {"多重残疾", "multiple"}}});
}

json incomeCategorySchema() {
  return enumOf({{"wages", {"工资性收入", "wages"}},
                 {"business", {"经营净收入", "business"}},
                 {"property", {"财产净收入", "property"}},
                 {"transfer", {"转移净收入", "transfer"}},
                 {"other", {"其他收入", "other"}}});
}

json incomeTreatmentSchema() {
  return enumOf({{"counted", {"计入家庭收入", "counted"}},
                 {"excluded", {"不计入家庭收入", "excluded (not counted by law)"}},
                 {"deduction", {"扣减（必要支出）", "deduction"}}});
}

json propertyKindSchema() {
  return enumOf({{"deposit", {"存款", "deposit"}},
                 {"securities", {"有价证券", "securities"}},
                 {"insurance", {"商业保险", "insurance"}},
                 {"vehicle", {"机动车辆", "vehicle"}},
                 {"housing", {"房产", "housing"}},
                 {"business", {"市场主体登记", "business registration"}},
                 {"other", {"其他", "other"}}});
}

json applicationStatusSchema() {
  return enumOf({{"pending_documents", {"待补正材料", "pending documents"}},
                 {"accepted", {"已受理", "accepted"}},
                 {"investigating", {"入户调查中", "investigating"}},
                 {"investigated", {"调查完成", "investigated"}},
                 {"township_reviewed", {"乡镇已审核", "township reviewed"}},
                 {"in_notice", {"公示中", "in public notice"}},
                 {"community_review", {"民主评议", "community review"}},
                 {"approved", {"审批确认", "approved"}},
                 {"refused", {"不予批准", "refused"}},
                 {"discontinued", {"终止审核", "discontinued"}}});
}

json opinionSchema() {
  return enumOf(
      {{"recommend", {"同意", "recommend"}}, {"not_recommend", {"不同意", "do not recommend"}}});
}

json objectionResolutionSchema() {
  return enumOf({{"reinvestigate", {"重新入户调查", "re-investigate"}},
                 {"community_review", {"民主评议", "community review"}}});
}

json decisionResultSchema() {
  return enumOf({{"approve", {"审批确认", "approve"}}, {"refuse", {"不予批准", "refuse"}}});
}

json supportModeSchema() {
  return enumOf(
      {{"concentrated", {"集中供养", "concentrated"}}, {"dispersed", {"分散供养", "dispersed"}}});
}

json selfCareLevelSchema() {
  return enumOf({{"self_caring", {"具备生活自理能力", "self-caring"}},
                 {"partly_unable", {"部分丧失生活自理能力", "partly unable"}},
                 {"fully_unable", {"完全丧失生活自理能力", "fully unable"}}});
}

json temporaryKindSchema() {
  return enumOf({{"emergency", {"急难型", "emergency"}}, {"spending", {"支出型", "spending"}}});
}

json dataCheckItemSchema() {
  return enumOf({{"hukou", {"户籍", "hukou"}},
                 {"tax", {"税务", "tax"}},
                 {"social_insurance", {"社会保险", "social insurance"}},
                 {"real_estate", {"不动产", "real estate"}},
                 {"market_entity", {"市场主体登记", "market entity"}},
                 {"housing_fund", {"住房公积金", "housing fund"}},
                 {"vehicles", {"车辆", "vehicles"}},
                 {"deposits", {"存款", "deposits"}},
                 {"insurance", {"商业保险", "insurance"}},
                 {"securities", {"证券", "securities"}}});
}

json dataCheckResultSchema() {
  return enumOf({{"match", {"一致", "match"}}, {"mismatch", {"不一致", "mismatch"}}});
}

json recordNumberSchema() { return text(40); }
json userSchema() { return text(200); }
json bankAccountSchema() { return {{"type", "string"}, {"pattern", "^[0-9]{8,30}$"}}; }

json memberInputSchema() {
  return object({{"citizen_id", citizenId()},
                 {"name", text(50)},
                 {"relationship", relationshipSchema()},
                 {"lives_together", describe(boolean(), {"共同生活", "Lives in the household"})},
                 {"inclusion_reason", text(200)},
                 {"work_capacity", workCapacitySchema()},
                 {"disability_grade", optional(integer(1, 4))},
                 {"disability_type", optional(disabilityTypeSchema())},
                 {"serious_illness", optional(boolean())},
                 {"student", optional(boolean())},
                 {"needs_long_term_care", optional(boolean())}});
}

json memberSchema() {
  return object({{"id", id()},
                 {"person_id", id()},
                 {"citizen_id", citizenId()},
                 {"name", text(200)},
                 {"relationship", relationshipSchema()},
                 {"lives_together", boolean()},
                 {"inclusion_reason", text(kImported)},
                 {"work_capacity", workCapacitySchema()},
                 {"serious_illness", boolean()},
                 {"student", boolean()},
                 {"needs_long_term_care", boolean()},
                 {"joined_on", date()},
                 {"left_on", nullable(date())},
                 {"disability_grade", optional(integer(1, 4))},
                 {"disability_type", optional(disabilityTypeSchema())},
                 {"left_reason", optional(maybeEmpty(kImported))}});
}

json householdSchema() {
  return object({{"id", id()},
                 {"number", recordNumberSchema()},
                 {"category", categorySchema()},
                 {"township", text(kImported)},
                 {"village", text(kImported)},
                 {"hukou_address", text(kImported)},
                 {"residence_address", text(kImported)},
                 {"income_stability", incomeStabilitySchema()},
                 {"bank_name", describe(maybeEmpty(kImported), {"开户银行", "Empty when none"})},
                 {"bank_account", describe(maybeEmpty(30), {"银行账号", "Empty when none"})},
                 {"created_on", date()},
                 {"review_flag", describe(maybeEmpty(4000), {"复核提示",
                                                             "Why the household is due for a "
                                                             "review; empty when it is not"})},
                 {"members", arrayOf(memberSchema())},
                 {"cases", arrayOf(caseSchema())}});
}

json caseSchema() { return object(caseProperties()); }

json reviewedCaseSchema() {
  auto properties = caseProperties();
  properties.emplace_back(
      "review", object({{"outcome", enumOf({{"unchanged", {"金额不变", "unchanged"}},
                                            {"amount_changed", {"金额调整", "amount changed"}},
                                            {"phase_out", {"渐退", "phase-out"}},
                                            {"terminated", {"终止", "terminated"}}})},
                        {"assessment", assessmentSchema(false)}}));
  return object(std::move(properties));
}

json caseAmountSchema() {
  // What monthRoll writes for each program; a case has the fields of its program only.
  const json breakdown = object({{"standard", optional(money())},
                                 {"household_income", optional(money())},
                                 {"members", optional(integer(0))},
                                 {"per_capita_income", optional(money())},
                                 {"eligible", optional(boolean())},
                                 {"gap", optional(money())},
                                 {"addons", optional(money())},
                                 {"basic", optional(money())},
                                 {"care", optional(money())},
                                 {"support_mode", optional(supportModeSchema())},
                                 {"self_care_level", optional(selfCareLevelSchema())},
                                 {"monthly_subsidy", optional(money())},
                                 {"one_off", optional(money())},
                                 {"payment", optional(text(200))},
                                 {"total", optional(money())}});
  return object({{"case_id", id()},
                 {"month", month()},
                 {"in_force", boolean()},
                 {"amount", money()},
                 {"breakdown", optional(describe(breakdown, {"计算过程",
                                                             "How the amount is "
                                                             "computed, when in "
                                                             "force"}))}});
}

json assessmentSchema(bool with_month) {
  Properties properties = sdk::schema::properties(
      {{"category", categorySchema()},
       {"members", describe(integer(0), {"共同生活人数", "Members counted"})},
       {"counted_income", money()},
       {"excluded_income", money()},
       {"deductions", money()},
       {"income_period_months", integer(0)},
       {"income_window", describe(object({{"from", month()}, {"to", month()}}),
                                  {"家庭收入计算期", "The months whose income is counted"})},
       {"household_monthly_income", money()},
       {"per_capita_income", money()},
       {"property_passes", boolean()},
       {"property_failures",
        arrayOf(object({{"field", text(100)}, {"rule", text(100)}, {"message", text(1000)}}))},
       {"dibao_eligible", boolean()},
       {"dibao_edge_eligible", boolean()},
       {"dibao_amount", money()}});
  if (with_month) properties.emplace_back("month", month());
  return object(std::move(properties));
}

json applicationSchema() { return object(applicationProperties()); }

json decidedApplicationSchema(bool case_required) {
  auto properties = applicationProperties();
  properties.emplace_back("case", case_required ? caseSchema() : optional(caseSchema()));
  return object(std::move(properties));
}

json overdueSchema() {
  return object(
      {{"today", date()},
       {"overdue",
        arrayOf(
            object({{"application_id", id()},
                    {"number", recordNumberSchema()},
                    {"program", programSchema()},
                    {"status", applicationStatusSchema()},
                    {"step",
                     enumOf({{"investigation_start", {"开始入户调查", "investigation start"}},
                             {"township_investigation", {"乡镇调查核实", "township investigation"}},
                             {"county_decision", {"县级审批确认", "county decision"}},
                             {"overall", {"办理总时限", "overall limit"}}})},
                    {"due_on", date()},
                    // Past its due day; 0 working days late on the weekend after a Friday limit.
                    {"working_days_late", integer(0)}}),
            kLongList)}});
}

json noticeListSchema() {
  return object(
      {{"county", countyCode()},
       {"from", date()},
       {"to", date()},
       {"village", describe(maybeEmpty(kImported), {"村（社区）", "Empty for every village"})},
       {"notices",
        arrayOf(object({{"program", programSchema()},
                        {"program_name", describe(text(100), {"救助项目", "The program's name"})},
                        {"township", text(kImported)},
                        {"location", maybeEmpty(200)},
                        {"notice_from", date()},
                        {"notice_until", date()},
                        {"village", text(kImported)},
                        {"applicant", describe(text(200), {"申请人（姓名已遮蔽）", "Masked name"})},
                        {"household_size", integer(0)},
                        {"proposed_monthly_amount", optional(money())}}),
                kLongList)}});
}

json tekunRecheckSchema() {
  return object({{"year", {{"type", "string"}, {"pattern", "^[0-9]{4}$"}}},
                 {"decided", integer(0)},
                 {"rechecked", integer(0)},
                 {"required_ratio", ratio()},
                 {"meets_requirement", boolean()}});
}

json reviewsDueSchema() {
  return object({{"today", date()},
                 {"due", arrayOf(object({{"case_id", id()},
                                         {"case_number", recordNumberSchema()},
                                         {"program", programSchema()},
                                         {"household_number", recordNumberSchema()},
                                         {"overdue", boolean()},
                                         {"reasons", arrayOf(text(4000))}}),
                                 kLongList)}});
}

json annualReviewSchema() {
  return object({{"reviewed", integer(0)},
                 {"unchanged", integer(0)},
                 {"amount_changed", integer(0)},
                 {"ineligible_flagged", integer(0)},
                 {"effective_month", month()},
                 {"reviewed_on", date()}});
}

json itemCreatedSchema() { return object({{"id", id()}, {"household_id", id()}}); }

json incomeItemSchema() {
  return object(
      {{"id", id()},
       {"household_id", id()},
       {"citizen_id", describe(nullable(citizenId()), {"收入所属成员", "The member it is of"})},
       {"category", incomeCategorySchema()},
       {"treatment", incomeTreatmentSchema()},
       {"amount", money()},
       {"period_from", date()},
       {"period_to", date()},
       {"description", text(kImported)},
       {"recorded_on", date()},
       {"withdrawn_on", describe(nullable(date()), {"撤销日期", "Withdrawn: no longer counted"})},
       {"withdrawal_reason", nullable(text(1000))}});
}

json propertyItemSchema() {
  return object(
      {{"id", id()},
       {"household_id", id()},
       {"kind", propertyKindSchema()},
       {"value", money()},
       {"quantity", integer(1)},
       {"exempt", boolean()},
       {"description", text(kImported)},
       {"withdrawn_on", describe(nullable(date()), {"撤销日期", "Withdrawn: no longer counted"})},
       {"withdrawal_reason", nullable(text(1000))}});
}

json paymentLineSchema() {
  return object(
      {{"line_id", id()},
       {"case_id", id()},
       {"case_number", recordNumberSchema()},
       {"program", programSchema()},
       {"household_id", id()},
       {"household_number", recordNumberSchema()},
       {"township", text(kImported)},
       {"payee", text(200)},
       {"month", describe(month(), {"所属月份", "The month the line pays or corrects"})},
       {"kind", enumOf({{"regular", {"正常发放", "regular"}},
                        {"adjustment", {"补发/扣减", "adjustment"}}})},
       {"amount", signedMoney()},
       {"has_bank_account",
        describe(boolean(), {"已登记银行账号", "The household has a bank account on file"})}});
}

std::string programLabel(const std::string& program) {
  static const json labels = programSchema().value("x-civ-labels", json::object());
  if (labels.contains(program) && labels[program].contains("zh"))
    return labels[program]["zh"].get<std::string>();
  return program;
}

json importResultSchema() {
  return object(
      {{"households", integer(0)}, {"members", integer(0)}, {"income_items", integer(0)}});
}

json adjustmentSchema() {
  return object(
      {{"id", id()},
       {"case_id", id()},
       {"month", month()},
       {"amount", signedMoney()},
       {"reason", text(1000)},
       {"recorded_by", userSchema()},
       {"confirmed_by",
        describe(nullable(userSchema()),
                 {"复核人", "The second person who confirmed it; a run pays only confirmed ones"})},
       {"paid_with_run",
        describe(nullable(id()), {"发放批次", "The run that pays it; null until then"})}});
}

json medicalClaimSchema() {
  return object({{"id", id()},
                 {"category", medicalCategorySchema()},
                 {"ratio", ratio()},
                 {"annual_cap", money()},
                 {"used_before", money()},
                 {"eligible_expense", money()},
                 {"relief", money()}});
}

json coverageSchema() {
  return object({{"date", date()},
                 {"covered", arrayOf(object({{"program", programSchema()},
                                             {"case_number", recordNumberSchema()},
                                             {"from", date()},
                                             {"until", nullable(date())}}))}});
}

json casePayloadSchema() {
  return object({{"case_id", id()},
                 {"case_number", recordNumberSchema()},
                 {"program", programSchema()},
                 {"household_id", id()},
                 {"person_id", optional(nullable(id()))},
                 {"month", month()},
                 {"change", optional(text(2000))},
                 {"reason", optional(text(2000))}});
}

}  // namespace civ::plugins::social_assistance
