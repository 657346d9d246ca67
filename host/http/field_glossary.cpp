#include "host/http/field_glossary.h"

#include <map>
#include <string>
#include <utility>

namespace civ::host {

namespace {

using Label = std::pair<const char*, const char*>;  // zh, en

const std::map<std::string, Label, std::less<>>& glossary() {
  static const std::map<std::string, Label, std::less<>> kGlossary = {
      {"id", {"记录号", "Record id"}},
      {"county", {"县（区）", "County"}},
      {"name", {"名称", "Name"}},
      {"full_name", {"姓名", "Full name"}},
      {"status", {"状态", "Status"}},
      {"township", {"乡镇（街道）", "Township"}},
      {"village", {"村（社区）", "Village"}},
      {"kind", {"种类", "Kind"}},
      {"type", {"类型", "Type"}},
      {"category", {"类别", "Category"}},
      {"citizen_id", {"公民身份号码", "Citizen ID"}},
      {"reason", {"原因", "Reason"}},
      {"number", {"编号", "Number"}},
      {"person_id", {"人员记录号", "Person record"}},
      {"household_id", {"家庭记录号", "Household record"}},
      {"note", {"备注", "Note"}},
      {"decided_on", {"决定日期", "Decided on"}},
      {"decided_by", {"决定人", "Decided by"}},
      {"decision", {"决定", "Decision"}},
      {"program", {"救助项目", "Programme"}},
      {"registered_on", {"登记日期", "Registered on"}},
      {"month", {"月份", "Month"}},
      {"from_month", {"起始月份", "From month"}},
      {"start_month", {"起始月份", "Start month"}},
      {"end_month", {"最后发放月", "Last month paid"}},
      {"description", {"说明", "Description"}},
      {"amount", {"金额（元）", "Amount (yuan)"}},
      {"code", {"代码", "Code"}},
      {"value", {"值", "Value"}},
      {"level", {"级别", "Level"}},
      {"grade", {"等级", "Grade"}},
      {"address", {"地址", "Address"}},
      {"hukou_address", {"户籍地址", "Household registration address"}},
      {"residence_address", {"居住地址", "Residence address"}},
      {"legal_representative", {"法定代表人", "Legal representative"}},
      {"authority", {"机关", "Authority"}},
      {"effective_from", {"生效日期", "Effective from"}},
      {"uscc", {"统一社会信用代码", "Unified social credit code"}},
      {"result", {"结果", "Result"}},
      {"content", {"内容", "Content"}},
      {"text", {"内容", "Text"}},
      {"certificate_number", {"证书编号", "Certificate number"}},
      {"document_number", {"文号", "Document number"}},
      {"confirmed_by", {"复核人", "Confirmed by"}},
      {"confirmed_on", {"复核日期", "Confirmed on"}},
      {"submitted_by", {"提交人", "Submitted by"}},
      {"submitted_on", {"提交日期", "Submitted on"}},
      {"prepared_by", {"编制人", "Prepared by"}},
      {"approved_on", {"批准日期", "Approved on"}},
      {"applied_on", {"申请日期", "Applied on"}},
      {"accepted_on", {"受理日期", "Accepted on"}},
      {"received_on", {"收到日期", "Received on"}},
      {"announced_on", {"公告日期", "Announced on"}},
      {"filed_on", {"备案日期", "Filed on"}},
      {"issued_on", {"发证日期", "Issued on"}},
      {"created_on", {"建立日期", "Created on"}},
      {"created_at", {"建立时间", "Created at"}},
      {"ended_on", {"终止日期", "Ended on"}},
      {"start_on", {"开始日期", "Starts on"}},
      {"end_on", {"结束日期", "Ends on"}},
      {"valid_from", {"有效期起", "Valid from"}},
      {"valid_until", {"有效期至", "Valid until"}},
      {"valid_to", {"有效期至", "Valid to"}},
      {"deadline", {"期限", "Deadline"}},
      {"due", {"到期日", "Due"}},
      {"overdue", {"超期", "Overdue"}},
      {"late", {"逾期", "Late"}},
      {"date", {"日期", "Date"}},
      {"on", {"日期", "On"}},
      {"on_date", {"日期", "On"}},
      {"from", {"起", "From"}},
      {"to", {"止", "To"}},
      {"year", {"年度", "Year"}},
      {"phone", {"联系电话", "Phone"}},
      {"emergency_contact", {"紧急联系人", "Emergency contact"}},
      {"relationship", {"与申请人关系", "Relationship to the applicant"}},
      {"members", {"家庭成员", "Members"}},
      {"lives_together", {"共同生活", "Lives in the household"}},
      {"inclusion_reason", {"纳入原因", "Why included"}},
      {"work_capacity", {"劳动能力", "Work capacity"}},
      {"disability_grade", {"残疾等级", "Disability grade"}},
      {"disability_type", {"残疾类别", "Disability type"}},
      {"serious_illness", {"重病", "Serious illness"}},
      {"student", {"在校学生", "Student"}},
      {"needs_long_term_care", {"需长期照护", "Needs long-term care"}},
      {"income_stability", {"收入稳定性", "Income stability"}},
      {"bank_account", {"银行账号", "Bank account"}},
      {"bank_name", {"开户银行", "Bank"}},
      {"household_monthly_income", {"家庭月收入（元）", "Household monthly income (yuan)"}},
      {"household_number", {"家庭编号", "Household number"}},
      {"requested_amount", {"申请金额（元）", "Requested amount (yuan)"}},
      {"support_mode", {"供养方式", "Support mode"}},
      {"care_level", {"照护等级", "Care level"}},
      {"institution", {"机构", "Institution"}},
      {"institution_id", {"机构记录号", "Institution record"}},
      {"organisation", {"社会组织", "Organisation"}},
      {"organisation_id", {"社会组织记录号", "Organisation record"}},
      {"beds", {"床位数", "Beds"}},
      {"nursing_beds", {"护理型床位数", "Nursing beds"}},
      {"bed_number", {"床位号", "Bed"}},
      {"admitted_on", {"入住日期", "Admitted on"}},
      {"discharged_on", {"离院日期", "Discharged on"}},
      {"discharge_reason", {"离院原因", "Discharge reason"}},
      {"funding", {"费用来源", "Funding"}},
      {"agreement_number", {"服务协议编号", "Agreement number"}},
      {"agreement_signed_on", {"协议签订日期", "Agreement signed on"}},
      {"assessed_on", {"评估日期", "Assessed on"}},
      {"inspected_on", {"检查日期", "Inspected on"}},
      {"findings", {"检查发现", "Findings"}},
      {"inspectors", {"检查人员", "Inspectors"}},
      {"floor_area_m2", {"建筑面积（平方米）", "Floor area (m²)"}},
      {"area_m2", {"面积（平方米）", "Area (m²)"}},
      {"ownership", {"举办主体", "Ownership"}},
      {"profit", {"营利性质", "Profit status"}},
      {"registration_authority", {"登记机关", "Registration authority"}},
      {"sponsor_unit", {"业务主管单位", "Sponsor unit"}},
      {"funds", {"注册资金（元）", "Registered funds (yuan)"}},
      {"sector", {"行业领域", "Sector"}},
      {"death_date", {"死亡日期", "Date of death"}},
      {"death_id", {"死亡登记记录号", "Death record"}},
      {"place", {"地点", "Place"}},
      {"facility", {"殡葬设施", "Facility"}},
      {"facility_code", {"设施代码", "Facility code"}},
      {"disposition", {"遗体处理方式", "Disposition"}},
      {"plot_id", {"墓穴编号", "Plot"}},
      {"price", {"价格（元）", "Price (yuan)"}},
      {"division_code", {"区划代码", "Division code"}},
      {"parent_code", {"上级区划代码", "Parent division"}},
      {"generic", {"通名", "Generic part"}},
      {"specific", {"专名", "Specific part"}},
      {"pinyin", {"汉语拼音", "Pinyin"}},
      {"meaning", {"含义", "Meaning"}},
      {"origin", {"由来", "Origin"}},
      {"protected", {"列入保护名录", "On the protection list"}},
      {"location", {"位置", "Location"}},
      {"coordinates", {"坐标", "Coordinates"}},
      {"husband", {"男方", "Husband"}},
      {"wife", {"女方", "Wife"}},
      {"marriage_id", {"婚姻登记记录号", "Marriage record"}},
      {"office_code", {"登记机关代码", "Registry office"}},
      {"refusal_reason", {"不予批准理由", "Refusal reason"}},
      {"objections", {"异议", "Objections"}},
      {"opinion", {"意见", "Opinion"}},
      {"transitions", {"办理过程", "Steps"}},
      {"notice_from", {"公示起", "Notice from"}},
      {"notice_until", {"公示止", "Notice until"}},
      {"notice_location", {"公示地点", "Notice posted at"}},
      {"investigated_on", {"调查完成日期", "Investigated on"}},
      {"next_review_due", {"下次复核日期", "Next review due"}},
      {"payee_person_id", {"领取人", "Payee"}},
      {"payee", {"领取人", "Payee"}},
      {"cases", {"救助案件", "Cases"}},
      {"incomes", {"收入记录", "Incomes"}},
      {"lines", {"明细", "Lines"}},
      {"total", {"合计", "Total"}},
      {"user", {"用户", "User"}},
      {"role", {"角色", "Role"}},
      {"action", {"操作", "Action"}},
      {"module", {"模块", "Module"}},
      {"counties", {"县（区）", "Counties"}},
      {"modules", {"业务模块", "Modules"}},
      {"unit", {"单位", "Unit"}},
      {"rate", {"比率", "Rate"}},
      {"quantity", {"数量", "Quantity"}},
      {"key", {"参数", "Key"}},
      {"default", {"默认值", "Default"}},
      {"source", {"来源", "Source"}},
      {"summary", {"摘要", "Summary"}},
      {"at", {"时间", "At"}},
      {"cause", {"起因", "Cause"}},
      {"changes", {"变更内容", "Changes"}},
      {"extended", {"已延期", "Extended"}},
      {"investigation_started_on", {"调查开始日期", "Investigation started on"}},
      {"township_opinion", {"乡镇意见", "Township opinion"}},
      {"temporary_kind", {"临时救助类型", "Temporary assistance kind"}},
      {"run_by", {"编制人", "Run by"}},
      {"run_on", {"编制日期", "Run on"}},
      {"review_flag", {"复核提示", "Review flag"}},
      {"written_by", {"记录人", "Written by"}},
      {"written_on", {"记录日期", "Written on"}},
      {"case_number", {"案件编号", "Case number"}},
      {"self_care_level", {"自理能力", "Self-care level"}},
      {"township_reviewed_on", {"乡镇审核日期", "Township reviewed on"}},
      {"missing_documents", {"缺少的材料", "Missing documents"}},
      {"self_care_failed_items", {"生活自理未达项目", "Self-care items failed"}},
      {"by", {"办理人", "By"}},
      {"community_reviewed_on", {"村（居）审核日期", "Community reviewed on"}},
      {"decision_due", {"决定期限", "Decision due"}},
      {"closed_on", {"关闭日期", "Closed on"}},
      {"recorded_on", {"记录日期", "Recorded on"}},
      {"recorded_by", {"记录人", "Recorded by"}},
  };
  return kGlossary;
}

void labelProperty(const std::string& name, nlohmann::json& schema) {
  if (!schema.is_object() || schema.contains("title") || schema.contains("$ref")) return;
  const auto it = glossary().find(name);
  if (it == glossary().end()) return;
  schema["title"] = it->second.first;
  if (!schema.contains("description")) schema["description"] = it->second.second;
}

}  // namespace

void labelSharedFields(nlohmann::json& schema) {
  if (!schema.is_object()) return;
  if (auto properties = schema.find("properties");
      properties != schema.end() && properties->is_object())
    for (auto& [name, property] : properties->items()) {
      labelProperty(name, property);
      labelSharedFields(property);
    }
  if (auto items = schema.find("items"); items != schema.end()) labelSharedFields(*items);
}

void labelSharedParameter(nlohmann::json& parameter) {
  if (!parameter.contains("schema")) return;
  labelProperty(parameter.value("name", ""), parameter["schema"]);
  if (!parameter.contains("description") && parameter["schema"].contains("description"))
    parameter["description"] = parameter["schema"]["description"];
}

}  // namespace civ::host
