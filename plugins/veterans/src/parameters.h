// The policy parameters veterans reads, each declared once as a typed constant (policy.h):
// declared to the host in VeteransPlugin::declare and read only through the same constant.
//
// The national standards (抚恤补助标准, 城镇居民人均可支配收入, 少尉 pay) are not parameters: they
// are the dated national table vt_national_standards, imported as data (a year's new table is an
// import, not a release; national_table.h). What is here is local: the county's own figures.
//
// Sources: 军人抚恤优待条例 2024 §34 (护理费 = 当地上年城镇单位就业人员月平均工资 × a share),
// §21/§31 (local 困难补助 on top of the national standards), §30 (抚恤关系 transferred within 60
// days of leaving the army).
#pragma once

#include <civ/sdk/policy.h>

namespace civ::plugins::veterans {

/// 当地上年城镇单位就业人员月平均工资: the base of the care allowance (§34). The county (or its
/// prefecture) dates each year's figure from the day the statistics bureau publishes it; the
/// month paid reads the value in force on its first day.
inline constexpr sdk::MoneyParameter kAverageMonthlyWage{
    "care.average_monthly_wage",
    "yuan/month",
    "0.00",
    {"当地上年城镇单位就业人员月平均工资（护理费计发基数，§34）",
     "Local average monthly wage of urban employees, last year (care allowance base, §34)"},
    "0.00",
    "100000.00",
    {},
    sdk::ParameterLevel::County};

/// 困难补助: the county's monthly top-up per person with a hardship entitlement (§21, §31).
inline constexpr sdk::MoneyParameter kHardshipMonthly{
    "hardship.monthly",
    "yuan/month",
    "0.00",
    {"县级困难补助（元/人·月）", "County hardship top-up per person and month (§21, §31)"},
    "0.00",
    "10000.00",
    {},
    sdk::ParameterLevel::County};

/// Calendar days after leaving the army within which a disabled serviceman's pension file
/// (抚恤关系) is transferred to the county (§30: 60 days).
inline constexpr sdk::DaysParameter kTransferDays{
    "transfer.days",
    "calendar_days",
    "60",
    {"残疾军人抚恤关系转移期限（日，§30）",
     "Days after discharge within which the pension file is transferred (§30)"},
    "1",
    "365"};

}  // namespace civ::plugins::veterans
