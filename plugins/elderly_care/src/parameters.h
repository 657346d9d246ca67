// The policy parameters elderly_care reads, each declared once as a typed constant (policy.h):
// declared to the host in ElderlyCarePlugin::declare and read only through the same constant.
//
// Sources: 养老机构管理办法 (民政部令第66号) §12 (备案 within 10 working days of the first
// admission), §15 (care levels by assessment), §38 (yearly inspection), §46 (fine up to 3万元);
// GB/T 42195-2022 (ability levels); subsidy amounts are local (rules.md §2.4: [缺] national).
#pragma once

#include <civ/sdk/policy.h>

namespace civ::plugins::elderly_care {

/// Every ability level a county may list (GB/T 42195-2022 result grades, rules.md §2.1).
inline constexpr sdk::ParameterOption kAbilityLevelOptions[] = {
    {"intact", "能力完好", "ability intact"},        {"mild", "轻度失能", "mildly impaired"},
    {"moderate", "中度失能", "moderately impaired"}, {"severe", "重度失能", "severely impaired"},
    {"total", "完全失能", "totally impaired"},
};

/// Every care level a county may list (common local labels 自理/介助/介护/特护, rules.md §2.1).
inline constexpr sdk::ParameterOption kCareLevelOptions[] = {
    {"self_care", "自理", "self-care"},
    {"assisted", "介助", "assisted"},
    {"nursing", "介护", "nursing"},
    {"special", "特护", "special nursing"},
};

/// The ability levels in force, from best to worst: each assessment dimension and the result
/// are one of them (the order is the severity order).
inline constexpr sdk::ListParameter kAbilityLevels{
    "assessment.levels",
    "",
    "intact,mild,moderate,severe,total",
    {"老年人能力等级（由好到差，GB/T 42195-2022）", "Ability levels, best to worst (GB/T 42195)"},
    nullptr,
    nullptr,
    kAbilityLevelOptions};

/// The care levels an institution may agree with a resident (66号令 §15).
inline constexpr sdk::ListParameter kCareLevels{
    "care.levels",
    "",
    "self_care,assisted,nursing,special",
    {"照料护理等级", "Care levels (66号令 §15; local labels)"},
    nullptr,
    nullptr,
    kCareLevelOptions};

inline constexpr sdk::IntegerParameter kMinimumBeds{
    "institution.min_beds",
    "beds",
    "10",
    {"养老机构床位数下限", "Beds an institution has at least (rules.md §2.1: 10)"},
    "1",
    "1000"};

inline constexpr sdk::DaysParameter kFilingDays{
    "filing.working_days",
    "working_days",
    "10",
    {"收住首位老人后备案期限（工作日，66号令 §12）",
     "Filing due within this many working days after the first admission"},
    "1",
    "60"};

inline constexpr sdk::IntegerParameter kInspectionIntervalMonths{
    "inspection.interval_months",
    "months",
    "12",
    {"现场检查间隔（月，66号令 §38 每年至少一次）", "On-site inspection at least every n months"},
    "1",
    "12"};

inline constexpr sdk::MoneyParameter kFineMaximum{
    "penalty.fine_max",
    "yuan",
    "30000.00",
    {"罚款上限（66号令 §46）", "Largest fine (66号令 §46: 3万元)"},
    "0.00",
    "30000.00"};

inline constexpr sdk::MoneyParameter kConstructionPerBed{
    "subsidy.construction.per_bed",
    "yuan/bed",
    "0.00",
    {"新增床位建设补贴（元/张）", "Construction subsidy per new bed"},
    "0.00",
    "100000.00"};

inline constexpr sdk::MoneyParameter kOperatingSelfCare{
    "subsidy.operating.self_care",
    "yuan/resident-month",
    "0.00",
    {"运营补贴：自理（元/人·月）", "Operating subsidy, self-care resident-month"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kOperatingAssisted{
    "subsidy.operating.assisted",
    "yuan/resident-month",
    "0.00",
    {"运营补贴：介助（元/人·月）", "Operating subsidy, assisted resident-month"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kOperatingNursing{
    "subsidy.operating.nursing",
    "yuan/resident-month",
    "0.00",
    {"运营补贴：介护（元/人·月）", "Operating subsidy, nursing resident-month"},
    "0.00",
    "10000.00"};

inline constexpr sdk::MoneyParameter kOperatingSpecial{
    "subsidy.operating.special",
    "yuan/resident-month",
    "0.00",
    {"运营补贴：特护（元/人·月）", "Operating subsidy, special-nursing resident-month"},
    "0.00",
    "10000.00"};

/// The operating subsidy of a care level code; nullptr for a code without one.
inline const sdk::MoneyParameter* operatingSubsidy(const std::string& care_level) {
  if (care_level == "self_care") return &kOperatingSelfCare;
  if (care_level == "assisted") return &kOperatingAssisted;
  if (care_level == "nursing") return &kOperatingNursing;
  if (care_level == "special") return &kOperatingSpecial;
  return nullptr;
}

}  // namespace civ::plugins::elderly_care
