// The policy parameters social assistance reads, each declared once as a typed constant
// (policy.h): declared to the host in declareParameters() (assistance_parameters.cpp) and read
// only through the same constant, `policy.get(kDibaoStandardUrban, county, as_of)`.
//
// Levels (rules.md §1.11): the 低保 and 特困 standards, the income period, the property
// thresholds, the care tiers and the two disability subsidies are set by the province or the
// 设区的市; the time limits, 1.5× 边缘 and the 30% sample are national. Every parameter still
// accepts a value at county level (lowest_level County): the demo county 350502 sets its own
// standards (config/policy/350502.yaml), and none is one the rules place with the province alone.
//
// Defaults are the demo county's figures from the bureau reports (shared/seeds): urban
// 500 元/月, rural 3300 元/年, 特困 5600 (集中) and 3850 (分散) 元/年, subsidies 80 元/月.
#pragma once

#include <civ/sdk/policy.h>

namespace civ::plugins::social_assistance {

// --- 低保 standards and amounts ------------------------------------------------------------

inline constexpr sdk::MoneyParameter kDibaoStandardUrban{
    "dibao.standard.urban",
    "yuan/person/month",
    "500.00",
    {"城市低保标准（元/人·月）", "Urban dibao standard per person per month"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kDibaoStandardRural{
    "dibao.standard.rural",
    "yuan/person/(year or month, see rural_unit)",
    "3300.00",
    {"农村低保标准", "Rural dibao standard per person (per year unless rural_unit)"},
    "0.00",
    "120000.00"};

inline constexpr sdk::ParameterOption kRuralUnitOptions[] = {
    {"year", "按年", "per year"},
    {"month", "按月", "per month"},
};
inline constexpr sdk::EnumParameter kDibaoStandardRuralUnit{
    "dibao.standard.rural_unit",
    "",
    "year",
    {"农村低保标准的单位", "Whether the rural standard is set per year or per month"},
    nullptr,
    nullptr,
    kRuralUnitOptions};

inline constexpr sdk::ParameterOption kRoundingOptions[] = {
    {"fen", "精确到分", "to the fen"},
    {"yuan_half_up", "四舍五入到元", "whole yuan, half up"},
    {"yuan_up", "向上取整到元", "whole yuan, rounded up"},
};
inline constexpr sdk::EnumParameter kDibaoRounding{
    "dibao.rounding",
    "",
    "fen",
    {"低保金取整规则", "How a monthly amount is rounded: to the fen, or whole yuan"},
    nullptr,
    nullptr,
    kRoundingOptions};

inline constexpr sdk::MoneyParameter kDibaoMinimumPerPerson{
    "dibao.minimum_per_person",
    "yuan/person/month",
    "0.00",
    {"保底金额（元/人·月）", "Minimum monthly amount per covered person"},
    "0.00",
    "10000.00"};

// --- 分类施保 add-ons -------------------------------------------------------------------------

inline constexpr sdk::RatioParameter kDibaoAddonElderly{
    "dibao.addon.elderly",
    "ratio of standard",
    "0",
    {"老年人分类施保比例", "Add-on for elderly members, as a share of the standard"},
    "0",
    "1"};

inline constexpr sdk::RatioParameter kDibaoAddonSevereDisability{
    "dibao.addon.severe_disability",
    "ratio of standard",
    "0",
    {"重度残疾分类施保比例", "Add-on for members with disability grade 1-2"},
    "0",
    "1"};

inline constexpr sdk::RatioParameter kDibaoAddonSeriousIllness{
    "dibao.addon.serious_illness",
    "ratio of standard",
    "0",
    {"重病分类施保比例", "Add-on for seriously ill members"},
    "0",
    "1"};

inline constexpr sdk::RatioParameter kDibaoAddonChild{
    "dibao.addon.child",
    "ratio of standard",
    "0",
    {"未成年人分类施保比例", "Add-on for children"},
    "0",
    "1"};

inline constexpr sdk::IntegerParameter kDibaoAddonElderlyAge{
    "dibao.addon.elderly_age",
    "years",
    "60",
    {"分类施保老年人年龄", "Age from which the elderly add-on applies"},
    "50",
    "100"};

inline constexpr sdk::IntegerParameter kDibaoAddonChildAge{
    "dibao.addon.child_age",
    "years",
    "16",
    {"分类施保未成年人年龄上限", "Age below which the child add-on applies"},
    "1",
    "18"};

// --- Income, property, phase-out, 边缘 --------------------------------------------------------

inline constexpr sdk::IntegerParameter kDibaoIncomePeriodMonths{
    "dibao.income_period_months",
    "months",
    "6",
    {"家庭收入计算期（月）", "Months over which household income is counted"},
    "1",
    "12"};

inline constexpr sdk::IntegerParameter kDibaoPropertyFinancialMonths{
    "dibao.property.financial_months",
    "months of urban standard",
    "24",
    {"人均金融资产上限（月数×城市低保标准）",
     "Per-capita financial assets may not exceed this many months of the standard"},
    "0",
    "120"};

inline constexpr sdk::IntegerParameter kDibaoPropertyMaxHomes{
    "dibao.property.max_homes",
    "homes",
    "1",
    {"住房套数上限", "Homes a household may own"},
    "0",
    "10"};

inline constexpr sdk::IntegerParameter kDibaoPropertyMaxVehicles{
    "dibao.property.max_vehicles",
    "vehicles",
    "0",
    {"机动车辆上限",
     "Motor vehicles a household may own (vehicles needed to work are "
     "recorded as exempt)"},
    "0",
    "10"};

inline constexpr sdk::IntegerParameter kDibaoPhaseOutMonths{
    "dibao.phase_out_months",
    "months",
    "6",
    {"渐退期（月）", "Months a household keeps its amount after a member finds work"},
    "0",
    "6"};

inline constexpr sdk::RatioParameter kDibaoEdgeRatio{
    "dibao_edge.ratio",
    "ratio of standard",
    "1.5",
    {"低保边缘收入倍数", "低保边缘: per-capita income below this times the standard"},
    "1",
    "3"};

// --- 特困 ---------------------------------------------------------------------------------------

inline constexpr sdk::MoneyParameter kTekunBasicConcentrated{
    "tekun.basic.concentrated",
    "yuan/person/year",
    "5600.00",
    {"特困集中供养基本生活标准（元/年）", "特困 basic living, institutional"},
    "0.00",
    "200000.00"};

inline constexpr sdk::MoneyParameter kTekunBasicDispersed{
    "tekun.basic.dispersed",
    "yuan/person/year",
    "3850.00",
    {"特困分散供养基本生活标准（元/年）", "特困 basic living, at home"},
    "0.00",
    "200000.00"};

inline constexpr sdk::MoneyParameter kTekunCareSelfCaring{
    "tekun.care.self_caring",
    "yuan/person/month",
    "0.00",
    {"照料护理：具备自理能力", "Care amount, self-caring"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kTekunCarePartlyUnable{
    "tekun.care.partly_unable",
    "yuan/person/month",
    "150.00",
    {"照料护理：部分丧失", "Care amount, partly unable to care for self"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kTekunCareFullyUnable{
    "tekun.care.fully_unable",
    "yuan/person/month",
    "300.00",
    {"照料护理：完全丧失", "Care amount, fully unable to care for self"},
    "0.00",
    "10000.00"};

inline constexpr sdk::RatioParameter kTekunRecheckRatio{
    "tekun.recheck_ratio",
    "share of decisions",
    "0.3",
    {"县级抽查比例", "Share of 特困 decisions the county re-checks (at least 30%)"},
    "0.3",
    "1"};

// --- 临时救助 -----------------------------------------------------------------------------------

inline constexpr sdk::MoneyParameter kTemporaryTownshipLimit{
    "temporary.township_limit",
    "yuan",
    "1000.00",
    {"乡镇审批临时救助额度", "Temporary assistance a township may approve alone"},
    "0.00",
    "100000.00"};

inline constexpr sdk::IntegerParameter kTemporaryCapMonths{
    "temporary.cap_months",
    "months of urban standard",
    "6",
    {"临时救助上限（月数×城市低保标准）", "Cap of one temporary grant"},
    "1",
    "60"};

// --- 医疗救助 -----------------------------------------------------------------------------------

inline constexpr sdk::RatioParameter kMedicalRatioTekun{
    "medical.ratio.tekun",
    "ratio",
    "1",
    {"医疗救助比例：特困", "Medical assistance ratio, 特困"},
    "0",
    "1"};

inline constexpr sdk::RatioParameter kMedicalRatioDibao{
    "medical.ratio.dibao",
    "ratio",
    "0.7",
    {"医疗救助比例：低保", "Medical assistance ratio, 低保"},
    "0",
    "1"};

inline constexpr sdk::RatioParameter kMedicalRatioDibaoEdge{
    "medical.ratio.dibao_edge",
    "ratio",
    "0.6",
    {"医疗救助比例：低保边缘", "Medical assistance ratio, 低保边缘"},
    "0",
    "1"};

inline constexpr sdk::MoneyParameter kMedicalCapTekun{
    "medical.cap.tekun",
    "yuan/person/year",
    "80000.00",
    {"医疗救助年度封顶：特困", "Annual medical assistance cap, 特困"},
    "0.00",
    "10000000.00"};

inline constexpr sdk::MoneyParameter kMedicalCapDibao{
    "medical.cap.dibao",
    "yuan/person/year",
    "80000.00",
    {"医疗救助年度封顶：低保", "Annual medical assistance cap, 低保"},
    "0.00",
    "10000000.00"};

inline constexpr sdk::MoneyParameter kMedicalCapDibaoEdge{
    "medical.cap.dibao_edge",
    "yuan/person/year",
    "40000.00",
    {"医疗救助年度封顶：低保边缘", "Annual cap, 低保边缘"},
    "0.00",
    "10000000.00"};

// --- 两项补贴 -----------------------------------------------------------------------------------

inline constexpr sdk::MoneyParameter kDisabilityLivingAmount{
    "disability_living.amount",
    "yuan/person/month",
    "80.00",
    {"困难残疾人生活补贴（元/月）", "Disability living subsidy per month"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kDisabilityCareAmount{
    "disability_care.amount",
    "yuan/person/month",
    "80.00",
    {"重度残疾人护理补贴（元/月）", "Disability care subsidy per month"},
    "0.00",
    "10000.00"};

// --- 公示 and time limits -----------------------------------------------------------------------

inline constexpr sdk::DaysParameter kNoticeDays{
    "notice.days", "days", "7", {"公示天数", "Length of the public notice"}, "1", "30"};

inline constexpr sdk::BoolParameter kNoticeWorkingDays{
    "notice.working_days",
    "",
    "false",
    {"公示按工作日计", "Count the notice in working days (some counties do)"}};

inline constexpr sdk::DaysParameter kLimitsInvestigationStart{
    "limits.investigation_start",
    "working_days",
    "3",
    {"受理后开始调查时限（工作日）", "Working days from acceptance to the investigation"},
    "1",
    "30"};

inline constexpr sdk::DaysParameter kLimitsCountyDecision{
    "limits.county_decision",
    "working_days",
    "10",
    {"县级审核确认时限（工作日）", "Working days for the county decision after notice"},
    "1",
    "45"};

inline constexpr sdk::DaysParameter kLimitsOverall{
    "limits.overall",
    "working_days",
    "30",
    {"审核确认总时限（工作日）", "Working days from acceptance to the decision"},
    "1",
    "60"};

inline constexpr sdk::DaysParameter kLimitsOverallExtended{
    "limits.overall_extended",
    "working_days",
    "45",
    {"特殊情况延长总时限（工作日）",
     "The overall limit where extended (objections, "
     "人户分离, hard investigations)"},
    "1",
    "90"};

inline constexpr sdk::DaysParameter kLimitsTekunLevel{
    "limits.tekun_level",
    "working_days",
    "15",
    {"特困每级办理时限（工作日）", "特困: working days per level"},
    "1",
    "60"};

// --- Re-review ----------------------------------------------------------------------------------

inline constexpr sdk::IntegerParameter kReviewStableMonths{
    "review.stable_months",
    "months",
    "12",
    {"收入稳定家庭复核周期（月）", "Re-review interval, stable households"},
    "1",
    "24"};

inline constexpr sdk::IntegerParameter kReviewUnstableMonths{
    "review.unstable_months",
    "months",
    "6",
    {"收入不稳定家庭复核周期（月）", "Re-review interval, unstable households"},
    "1",
    "24"};

/// The re-review interval for a household's income stability ("unstable" or anything else).
inline const sdk::IntegerParameter& reviewMonths(bool unstable) {
  return unstable ? kReviewUnstableMonths : kReviewStableMonths;
}

}  // namespace civ::plugins::social_assistance
