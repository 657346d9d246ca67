// The policy parameters social_orgs reads, each declared once as a typed constant (policy.h):
// declared to the host in SocialOrgsPlugin::declare and read only through the same constant.
// National figures are the defaults (rules.md §7.1); a province may set the 民非 sector minimums
// and whether it runs 年检 or 年报 (rules.md §7.3 "Parameters").
#pragma once

#include <stdexcept>
#include <string>

#include <civ/sdk/policy.h>

namespace civ::plugins::social_orgs {

// --- 社会团体 (社会团体登记管理条例 2016 §10) -------------------------------------------------

inline constexpr sdk::IntegerParameter kGroupMinIndividualMembers{
    "registration.group.min_individual_members",
    "members",
    "50",
    {"社会团体个人会员最低人数", "Fewest individual members of a social group (§10(一))"},
    "1",
    "10000"};

inline constexpr sdk::IntegerParameter kGroupMinUnitMembers{
    "registration.group.min_unit_members",
    "members",
    "30",
    {"社会团体单位会员最低数", "Fewest unit members of a social group (§10(一))"},
    "1",
    "10000"};

inline constexpr sdk::IntegerParameter kGroupMinMixedMembers{
    "registration.group.min_mixed_members",
    "members",
    "50",
    {"个人与单位会员混合时会员总数下限", "Fewest members when individuals and units mix"},
    "1",
    "10000"};

inline constexpr sdk::MoneyParameter kGroupMinFunds{
    "registration.group.min_funds",
    "yuan",
    "30000.00",
    {"地方性社会团体活动资金下限", "Least working funds of a local social group (§10(五))"},
    "0.00",
    "100000000.00"};

// --- 基金会 (基金会管理条例 2004 §8) ------------------------------------------------------------

inline constexpr sdk::MoneyParameter kFoundationMinFundsPublic{
    "registration.foundation.min_funds.public",
    "yuan",
    "4000000.00",
    {"地方性公募基金会原始基金下限", "Least founding funds of a local public foundation"},
    "0.00",
    "1000000000.00"};

inline constexpr sdk::MoneyParameter kFoundationMinFundsNonPublic{
    "registration.foundation.min_funds.non_public",
    "yuan",
    "2000000.00",
    {"非公募基金会原始基金下限", "Least founding funds of a non-public foundation"},
    "0.00",
    "1000000000.00"};

// --- 民办非企业单位 开办资金 by sector (provincial; 登记暂行办法 1999 §4)
// ---------------------------

inline constexpr sdk::MoneyParameter kPneMinFundsEducation{
    "registration.pne.min_funds.education",
    "yuan",
    "30000.00",
    {"教育类民非开办资金下限", "Least start-up funds, education"},
    "0.00",
    "100000000.00",
    {},
    sdk::ParameterLevel::Province};
inline constexpr sdk::MoneyParameter kPneMinFundsHealth{
    "registration.pne.min_funds.health",
    "yuan",
    "30000.00",
    {"卫生类民非开办资金下限", "Least start-up funds, health"},
    "0.00",
    "100000000.00",
    {},
    sdk::ParameterLevel::Province};
inline constexpr sdk::MoneyParameter kPneMinFundsElderlyCare{
    "registration.pne.min_funds.elderly_care",
    "yuan",
    "30000.00",
    {"养老服务类民非开办资金下限", "Least start-up funds, elderly care"},
    "0.00",
    "100000000.00",
    {},
    sdk::ParameterLevel::Province};
inline constexpr sdk::MoneyParameter kPneMinFundsCultureSports{
    "registration.pne.min_funds.culture_sports",
    "yuan",
    "30000.00",
    {"文化体育类民非开办资金下限", "Least start-up funds, culture and sports"},
    "0.00",
    "100000000.00",
    {},
    sdk::ParameterLevel::Province};
inline constexpr sdk::MoneyParameter kPneMinFundsOther{
    "registration.pne.min_funds.other",
    "yuan",
    "30000.00",
    {"其他民非开办资金下限", "Least start-up funds, other sectors"},
    "0.00",
    "100000000.00",
    {},
    sdk::ParameterLevel::Province};

// --- Time limits ---------------------------------------------------------------------------

inline constexpr sdk::DaysParameter kDecisionDays{
    "registration.decision_days",
    "calendar_days",
    "60",
    {"成立登记决定时限（日）", "Days to decide a registration after complete documents"},
    "1",
    "60"};

inline constexpr sdk::IntegerParameter kRectificationMonths{
    "inspection.rectification_months",
    "months",
    "3",
    {"年检整改期限（月）", "Months to rectify after 基本合格 or 不合格"},
    "1",
    "12"};

inline constexpr sdk::ParameterOption kInspectionFormats[] = {
    {"inspection", "年度检查", "annual inspection"}, {"report", "年度报告", "annual report"}};

inline constexpr sdk::EnumParameter kInspectionFormat{
    "inspection.format",
    "",
    "inspection",
    {"年检或年报（省级）", "Annual inspection or annual report (set by the province)"},
    nullptr,
    nullptr,
    kInspectionFormats,
    sdk::ParameterLevel::Province};

// 社会团体登记管理条例 §18 gives the organisation 30 days from the sponsor's approval to apply; the
// registry's own time to decide is not in rules.md: 30 calendar days, this module's default.
inline constexpr sdk::DaysParameter kChangeDecisionDays{
    "change.decision_days",
    "calendar_days",
    "30",
    {"变更登记、章程核准决定时限（日）", "Days to decide a change or charter approval"},
    "1",
    "60"};

// --- Administrative penalties (行政处罚法 2021; 社会团体登记管理条例 §30;
// 民办非企业单位登记管理暂行条例 §25)
// -------------------------------------------------------------------------------------

inline constexpr sdk::DaysParameter kPenaltyDecisionDays{
    "penalty.decision_days",
    "calendar_days",
    "90",
    {"行政处罚决定时限（自立案之日起，日）",
     "Days to decide a penalty after the case is filed (行政处罚法 §60)"},
    "1",
    "90"};

// 行政处罚法 §63: 较大数额罚款 and 没收较大数额违法所得 give the right to a hearing; the amount is
// set by each province. Shaanxi's figure is not in shared/domain: 5万元 is a demo default.
inline constexpr sdk::MoneyParameter kHearingLargeAmount{
    "penalty.hearing.large_amount",
    "yuan",
    "50000.00",
    {"听证的较大数额（罚款、没收）",
     "A fine or confiscation this large gives the right to a hearing"},
    "0.00",
    "100000000.00",
    {},
    sdk::ParameterLevel::Province};

// 社团条例 §30 / 民非条例 §25: 违法经营额1倍以上3倍以下 or 违法所得3倍以上5倍以下的罚款.
inline constexpr sdk::IntegerParameter kFineTurnoverMin{
    "penalty.fine.turnover_min_multiple",
    "times",
    "1",
    {"罚款下限（违法经营额的倍数）", "Least fine, as a multiple of the illegal turnover"},
    "0",
    "10"};
inline constexpr sdk::IntegerParameter kFineTurnoverMax{
    "penalty.fine.turnover_max_multiple",
    "times",
    "3",
    {"罚款上限（违法经营额的倍数）", "Largest fine, as a multiple of the illegal turnover"},
    "1",
    "10"};
inline constexpr sdk::IntegerParameter kFineIncomeMin{
    "penalty.fine.income_min_multiple",
    "times",
    "3",
    {"罚款下限（违法所得的倍数）", "Least fine, as a multiple of the illegal income"},
    "0",
    "10"};
inline constexpr sdk::IntegerParameter kFineIncomeMax{
    "penalty.fine.income_max_multiple",
    "times",
    "5",
    {"罚款上限（违法所得的倍数）", "Largest fine, as a multiple of the illegal income"},
    "1",
    "10"};

/// The 开办资金 minimum of a 民非 sector (the codes the route's schema allows).
inline const sdk::MoneyParameter& pneMinFunds(const std::string& sector) {
  if (sector == "education") return kPneMinFundsEducation;
  if (sector == "health") return kPneMinFundsHealth;
  if (sector == "elderly_care") return kPneMinFundsElderlyCare;
  if (sector == "culture_sports") return kPneMinFundsCultureSports;
  if (sector == "other") return kPneMinFundsOther;
  throw std::logic_error("no start-up funds minimum for sector " + sector);
}

}  // namespace civ::plugins::social_orgs
