#include "assistance_parameters.h"

namespace civ::plugins::social_assistance {

namespace {

sdk::ParameterDeclaration declare(std::string key, sdk::ParameterType type, std::string unit,
                                  std::string default_value, std::optional<std::string> minimum,
                                  std::optional<std::string> maximum, sdk::LocalizedText text,
                                  std::vector<std::string> allowed = {}) {
  sdk::ParameterDeclaration declaration;
  declaration.key = std::move(key);
  declaration.type = type;
  declaration.unit = std::move(unit);
  declaration.default_value = std::move(default_value);
  declaration.minimum = std::move(minimum);
  declaration.maximum = std::move(maximum);
  declaration.allowed = std::move(allowed);
  declaration.description = std::move(text);
  return declaration;
}

}  // namespace

std::vector<sdk::ParameterDeclaration> assistanceParameters() {
  using T = sdk::ParameterType;
  // Defaults are the demo county's figures from the bureau reports (shared/seeds): urban
  // 500 元/月, rural 3300 元/年, 特困 5600 (集中) and 3850 (分散) 元/年, subsidies 80 元/月.
  return {
      declare("dibao.standard.urban", T::Money, "yuan/person/month", "500.00", "0.00", "10000.00",
              {"城市低保标准（元/人·月）", "Urban dibao standard per person per month"}),
      declare("dibao.standard.rural", T::Money, "yuan/person/(year or month, see rural_unit)",
              "3300.00", "0.00", "120000.00",
              {"农村低保标准", "Rural dibao standard per person (per year unless rural_unit)"}),
      declare("dibao.standard.rural_unit", T::Enum, "", "year", std::nullopt, std::nullopt,
              {"农村低保标准的单位", "Whether the rural standard is set per year or per month"},
              {"year", "month"}),
      declare("dibao.rounding", T::Enum, "", "fen", std::nullopt, std::nullopt,
              {"低保金取整规则", "How a monthly amount is rounded: to the fen, or whole yuan"},
              {"fen", "yuan_half_up", "yuan_up"}),
      declare("dibao.minimum_per_person", T::Money, "yuan/person/month", "0.00", "0.00", "10000.00",
              {"保底金额（元/人·月）", "Minimum monthly amount per covered person"}),
      declare("dibao.addon.elderly", T::Ratio, "ratio of standard", "0", "0", "1",
              {"老年人分类施保比例", "Add-on for elderly members, as a share of the standard"}),
      declare("dibao.addon.severe_disability", T::Ratio, "ratio of standard", "0", "0", "1",
              {"重度残疾分类施保比例", "Add-on for members with disability grade 1-2"}),
      declare("dibao.addon.serious_illness", T::Ratio, "ratio of standard", "0", "0", "1",
              {"重病分类施保比例", "Add-on for seriously ill members"}),
      declare("dibao.addon.child", T::Ratio, "ratio of standard", "0", "0", "1",
              {"未成年人分类施保比例", "Add-on for children"}),
      declare("dibao.addon.elderly_age", T::Integer, "years", "60", "50", "100",
              {"分类施保老年人年龄", "Age from which the elderly add-on applies"}),
      declare("dibao.addon.child_age", T::Integer, "years", "16", "1", "18",
              {"分类施保未成年人年龄上限", "Age below which the child add-on applies"}),
      declare("dibao.income_period_months", T::Integer, "months", "6", "1", "12",
              {"家庭收入计算期（月）", "Months over which household income is counted"}),
      declare("dibao.property.financial_months", T::Integer, "months of urban standard", "24", "0",
              "120",
              {"人均金融资产上限（月数×城市低保标准）",
               "Per-capita financial assets may not exceed this many months of the standard"}),
      declare("dibao.property.max_homes", T::Integer, "homes", "1", "0", "10",
              {"住房套数上限", "Homes a household may own"}),
      declare("dibao.property.max_vehicles", T::Integer, "vehicles", "0", "0", "10",
              {"机动车辆上限",
               "Motor vehicles a household may own (vehicles needed to work are "
               "recorded as exempt)"}),
      declare("dibao.phase_out_months", T::Integer, "months", "6", "0", "6",
              {"渐退期（月）", "Months a household keeps its amount after a member finds work"}),
      declare("dibao_edge.ratio", T::Ratio, "ratio of standard", "1.5", "1", "3",
              {"低保边缘收入倍数", "低保边缘: per-capita income below this times the standard"}),
      declare("tekun.basic.concentrated", T::Money, "yuan/person/year", "5600.00", "0.00",
              "200000.00",
              {"特困集中供养基本生活标准（元/年）", "特困 basic living, institutional"}),
      declare("tekun.basic.dispersed", T::Money, "yuan/person/year", "3850.00", "0.00", "200000.00",
              {"特困分散供养基本生活标准（元/年）", "特困 basic living, at home"}),
      declare("tekun.care.self_caring", T::Money, "yuan/person/month", "0.00", "0.00", "10000.00",
              {"照料护理：具备自理能力", "Care amount, self-caring"}),
      declare("tekun.care.partly_unable", T::Money, "yuan/person/month", "150.00", "0.00",
              "10000.00", {"照料护理：部分丧失", "Care amount, partly unable to care for self"}),
      declare("tekun.care.fully_unable", T::Money, "yuan/person/month", "300.00", "0.00",
              "10000.00", {"照料护理：完全丧失", "Care amount, fully unable to care for self"}),
      declare("tekun.recheck_ratio", T::Ratio, "share of decisions", "0.3", "0.3", "1",
              {"县级抽查比例", "Share of 特困 decisions the county re-checks (at least 30%)"}),
      declare("temporary.township_limit", T::Money, "yuan", "1000.00", "0.00", "100000.00",
              {"乡镇审批临时救助额度", "Temporary assistance a township may approve alone"}),
      declare("temporary.cap_months", T::Integer, "months of urban standard", "6", "1", "60",
              {"临时救助上限（月数×城市低保标准）", "Cap of one temporary grant"}),
      declare("medical.ratio.tekun", T::Ratio, "ratio", "1", "0", "1",
              {"医疗救助比例：特困", "Medical assistance ratio, 特困"}),
      declare("medical.ratio.dibao", T::Ratio, "ratio", "0.7", "0", "1",
              {"医疗救助比例：低保", "Medical assistance ratio, 低保"}),
      declare("medical.ratio.dibao_edge", T::Ratio, "ratio", "0.6", "0", "1",
              {"医疗救助比例：低保边缘", "Medical assistance ratio, 低保边缘"}),
      declare("medical.cap.tekun", T::Money, "yuan/person/year", "80000.00", "0.00", "10000000.00",
              {"医疗救助年度封顶：特困", "Annual medical assistance cap, 特困"}),
      declare("medical.cap.dibao", T::Money, "yuan/person/year", "80000.00", "0.00", "10000000.00",
              {"医疗救助年度封顶：低保", "Annual medical assistance cap, 低保"}),
      declare("medical.cap.dibao_edge", T::Money, "yuan/person/year", "40000.00", "0.00",
              "10000000.00", {"医疗救助年度封顶：低保边缘", "Annual cap, 低保边缘"}),
      declare("disability_living.amount", T::Money, "yuan/person/month", "80.00", "0.00",
              "10000.00", {"困难残疾人生活补贴（元/月）", "Disability living subsidy per month"}),
      declare("disability_care.amount", T::Money, "yuan/person/month", "80.00", "0.00", "10000.00",
              {"重度残疾人护理补贴（元/月）", "Disability care subsidy per month"}),
      declare("notice.days", T::Days, "days", "7", "1", "30",
              {"公示天数", "Length of the public notice"}),
      declare("notice.working_days", T::Bool, "", "false", std::nullopt, std::nullopt,
              {"公示按工作日计", "Count the notice in working days (some counties do)"}),
      declare(
          "limits.investigation_start", T::Days, "working_days", "3", "1", "30",
          {"受理后开始调查时限（工作日）", "Working days from acceptance to the investigation"}),
      declare("limits.county_decision", T::Days, "working_days", "10", "1", "45",
              {"县级审核确认时限（工作日）", "Working days for the county decision after notice"}),
      declare("limits.overall", T::Days, "working_days", "30", "1", "60",
              {"审核确认总时限（工作日）", "Working days from acceptance to the decision"}),
      declare("limits.overall_extended", T::Days, "working_days", "45", "1", "90",
              {"特殊情况延长总时限（工作日）",
               "The overall limit where extended (objections, "
               "人户分离, hard investigations)"}),
      declare("limits.tekun_level", T::Days, "working_days", "15", "1", "60",
              {"特困每级办理时限（工作日）", "特困: working days per level"}),
      declare("review.stable_months", T::Integer, "months", "12", "1", "24",
              {"收入稳定家庭复核周期（月）", "Re-review interval, stable households"}),
      declare("review.unstable_months", T::Integer, "months", "6", "1", "24",
              {"收入不稳定家庭复核周期（月）", "Re-review interval, unstable households"}),
  };
}

sdk::Money AssistancePolicy::money(const std::string& key) const {
  return reader_.money(county_, key, as_of_);
}
sdk::Ratio AssistancePolicy::ratio(const std::string& key) const {
  return reader_.ratio(county_, key, as_of_);
}
std::int64_t AssistancePolicy::integer(const std::string& key) const {
  return reader_.integer(county_, key, as_of_);
}
bool AssistancePolicy::flag(const std::string& key) const {
  return reader_.flag(county_, key, as_of_);
}

sdk::Money AssistancePolicy::dibaoStandard(const std::string& category) const {
  if (category == "urban") return money("dibao.standard.urban");
  const sdk::Money rural = money("dibao.standard.rural");
  if (reader_.value(county_, "dibao.standard.rural_unit", as_of_) == "month") return rural;
  return rural.dividedBy(12, sdk::Rounding::HalfUp);
}

DibaoPolicy AssistancePolicy::dibao(const std::string& category) const {
  DibaoPolicy policy;
  policy.standard = dibaoStandard(category);
  policy.rounding = parseAmountRounding(reader_.value(county_, "dibao.rounding", as_of_))
                        .value_or(AmountRounding::Fen);
  policy.minimum_per_person = money("dibao.minimum_per_person");
  policy.elderly_addon = ratio("dibao.addon.elderly");
  policy.severe_disability_addon = ratio("dibao.addon.severe_disability");
  policy.serious_illness_addon = ratio("dibao.addon.serious_illness");
  policy.child_addon = ratio("dibao.addon.child");
  policy.elderly_age = static_cast<int>(integer("dibao.addon.elderly_age"));
  policy.child_age = static_cast<int>(integer("dibao.addon.child_age"));
  policy.edge_ratio = ratio("dibao_edge.ratio");
  return policy;
}

TekunPolicy AssistancePolicy::tekun() const {
  TekunPolicy policy;
  policy.basic_concentrated_per_year = money("tekun.basic.concentrated");
  policy.basic_dispersed_per_year = money("tekun.basic.dispersed");
  policy.care_self_caring = money("tekun.care.self_caring");
  policy.care_partly_unable = money("tekun.care.partly_unable");
  policy.care_fully_unable = money("tekun.care.fully_unable");
  policy.rounding = parseAmountRounding(reader_.value(county_, "dibao.rounding", as_of_))
                        .value_or(AmountRounding::Fen);
  return policy;
}

int AssistancePolicy::incomePeriodMonths() const {
  return static_cast<int>(integer("dibao.income_period_months"));
}
sdk::Money AssistancePolicy::disabilityLiving() const { return money("disability_living.amount"); }
sdk::Money AssistancePolicy::disabilityCare() const { return money("disability_care.amount"); }
sdk::Money AssistancePolicy::temporaryTownshipLimit() const {
  return money("temporary.township_limit");
}
sdk::Money AssistancePolicy::temporaryCap() const {
  return money("dibao.standard.urban") * integer("temporary.cap_months");
}
sdk::Ratio AssistancePolicy::medicalRatio(const std::string& category) const {
  return ratio("medical.ratio." + category);
}
sdk::Money AssistancePolicy::medicalAnnualCap(const std::string& category) const {
  return money("medical.cap." + category);
}

}  // namespace civ::plugins::social_assistance
