// The policy parameters reception and resettlement read (退役军人安置条例 2024), each declared
// once as a typed constant (policy.h), listed for the plugin's declare() by
// resettlementParameters() and read only through the same constant.
//
// Sources: §51 (report within 30 days of the approval to leave; "无正当理由不按照规定时间报到超过
// 30日的，视为放弃安置待遇"), §21–22 (一次性退役金 by years of service, set nationally), §23 (the
// province's 一次性经济补助), §75 (living allowance at the local monthly minimum wage).
#pragma once

#include <civ/sdk/policy.h>

namespace civ::plugins::veterans {

/// §51: 自主就业 soldiers report within this many calendar days of the approval to leave the
/// army (the approval day not counted: 民法典 §201).
inline constexpr sdk::DaysParameter kReportDays{
    "resettlement.report.days",
    "calendar_days",
    "30",
    {"报到期限（自批准退出现役之日起，日历日，安置条例 §51）",
     "Report within this many calendar days of the approval to leave (§51)"},
    "1",
    "365",
    {},
    sdk::ParameterLevel::Province};

/// §51: resettlement is treated as waived when the soldier reports, without good reason, more
/// than this many days after the time set (read as 30 days past the report deadline: "不按照规定
/// 时间报到超过30日"). A province that reads the article as "waived from the 31st day after the
/// approval" sets 0.
inline constexpr sdk::DaysParameter kWaiverGraceDays{
    "resettlement.report.waiver_grace_days",
    "calendar_days",
    "30",
    {"逾期报到视为放弃安置待遇的宽限（超过规定报到时间的日数，安置条例 §51）",
     "Waived when the report is more than this many days past the time set (§51)"},
    "0",
    "365",
    {},
    sdk::ParameterLevel::Province};

/// §21: the national 一次性退役金 per year of service. The current national figure is not in
/// rules.md ([缺]); the default is 0 so that nothing is computed from an unpublished figure:
/// load the standard in force (config/policy/<province>.yaml) with its document.
inline constexpr sdk::MoneyParameter kLumpSumPerYear{
    "resettlement.lump_sum.per_year",
    "yuan/service-year",
    "0.00",
    {"自主就业一次性退役金标准（元/服役年，国家标准，安置条例 §21）",
     "一次性退役金 per year of service (national standard, §21)"},
    "0.00",
    "1000000.00",
    {},
    sdk::ParameterLevel::Province};

/// §23: the province's 一次性经济补助 for 自主就业 soldiers: a fixed part ...
inline constexpr sdk::MoneyParameter kLocalGrantBase{
    "resettlement.local_grant.base",
    "yuan/person",
    "0.00",
    {"自主就业一次性经济补助：定额部分（省定，安置条例 §23）",
     "Provincial one-time grant, fixed part (§23)"},
    "0.00",
    "1000000.00",
    {},
    sdk::ParameterLevel::Province};

/// ... and a part per year of service (the provinces use one, the other or both).
inline constexpr sdk::MoneyParameter kLocalGrantPerYear{
    "resettlement.local_grant.per_year",
    "yuan/service-year",
    "0.00",
    {"自主就业一次性经济补助：按服役年限部分（元/年，省定，安置条例 §23）",
     "Provincial one-time grant per year of service (§23)"},
    "0.00",
    "1000000.00",
    {},
    sdk::ParameterLevel::Province};

/// §75: the local monthly minimum wage (当地月最低工资标准), set by the province for each class
/// of area; a county sets the class it is in.
inline constexpr sdk::MoneyParameter kMinimumWage{
    "resettlement.minimum_wage.monthly",
    "yuan/month",
    "0.00",
    {"当地月最低工资标准（待安排工作期间生活补助，安置条例 §75）",
     "Local monthly minimum wage: the living allowance while waiting for a post (§75)"},
    "0.00",
    "100000.00"};

}  // namespace civ::plugins::veterans
