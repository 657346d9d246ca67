// The rules of 优抚 money, pure: no database, no request. Each function names its legal source
// (军人抚恤优待条例 2024, rules.md §3.2) and its rounding, and is unit-tested to the fen.
//
// Amounts come from the dated national table (national_table.h): the standard for a month is
// the one in force on the month's first day, so a table effective 2025-08-01 changes the
// months from August.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/date.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>

#include "national_table.h"

namespace civ::plugins::veterans {

// --- Codes ------------------------------------------------------------------------------------

/// 抚恤优待对象 categories (§2).
inline constexpr const char* kCategories[] = {"serviceman",
                                              "disabled_serviceman",
                                              "martyr_survivor",
                                              "duty_death_survivor",
                                              "illness_death_survivor",
                                              "family",
                                              "veteran"};

/// The groups receiving 定期生活补助 (§62, rules.md §3.1).
inline constexpr const char* kSubsidyGroups[] = {"war_participant",      "test_participant",
                                                 "returned_ill",         "rural_veteran_60",
                                                 "enlisted_before_1954", "martyr_child_60"};

/// Periodic entitlements (paid every month from the month of confirmation) and one-time ones
/// (paid once, in the next run after their confirmation).
inline constexpr const char* kPeriodicTypes[] = {"disability_pension", "survivor_pension",
                                                 "living_subsidy", "care_allowance", "hardship"};
inline constexpr const char* kOneTimeTypes[] = {"martyr_honour", "death_lump_sum", "visit"};

bool isPeriodic(const std::string& type);

/// 残疾性质: 因战, 因公, 因病.
inline constexpr const char* kNatures[] = {"war", "duty", "illness"};

/// The kind of death of a fallen serviceman: 烈士, 因公牺牲, 病故.
inline constexpr const char* kDeathKinds[] = {"martyr", "duty", "illness"};

/// The honour levels of §16, highest first, with the supplement to the one-time death pension.
struct HonourLevel {
  const char* code;
  const char* zh;
  const char* en;
  std::int64_t percent;
};
inline constexpr HonourLevel kHonourLevels[] = {
    {"medal_or_national_title", "获得勋章或者国家荣誉称号", "medal or national honorary title", 40},
    {"central_title", "获得党中央、国务院、中央军委授予的荣誉称号", "honorary title (central)", 35},
    {"first_class_battle_merit", "立一等战功", "first-class battle merit", 30},
    {"second_class_battle_or_first_class_merit", "立二等战功、一等功",
     "second-class battle merit or first-class merit", 25},
    {"third_class_battle_or_second_class_merit", "立三等战功、二等功",
     "third-class battle merit or second-class merit", 15},
    {"fourth_class_battle_or_third_class_merit", "立四等战功、三等功",
     "fourth-class battle merit or third-class merit", 5},
    {"other", "其他奖励（嘉奖等，不增发）", "other award (no supplement)", 0},
};

// --- Monthly amounts ---------------------------------------------------------------------------

/// The month's share of an annual standard. Rounding (a choice the law leaves open, stated
/// here): January to November each pay annual / 12 to the fen, half up (四舍五入); December pays
/// the remainder, annual − 11 × that, so the twelve months of one table sum to the annual
/// figure exactly. After a mid-year change December carries the remainder of the table in force
/// on 1 December.
sdk::Money monthlyShare(sdk::Money annual, unsigned month_of_year);

/// A disability as assessed (残疾等级评定).
struct Disability {
  std::string nature;           ///< war, duty, illness
  int grade = 0;                ///< 1 (most severe) .. 10
  bool mental_illness = false;  ///< assessed for a mental illness (精神疾病), §34's 25 % band
};

/// Whether a disability grade may be assessed and pensioned (§27): 因战/因公 grades 1–10, 因病
/// only 1–6. Throws ValidationError on `field`, rule "illness-grades-1-6" (or "grade-1-10").
void requirePensionableGrade(const Disability& disability, const std::string& field);

/// The key of a disability pension in the national table: "war_1", "illness_6".
std::string disabilityKey(const Disability& disability);

/// The care allowance's share of the local average wage (§34): 因战/因公 grades 1–2 50 %,
/// 3–4 40 %; 因病 grades 1–4 30 %; a mental illness assessed at grade 5–6 25 %; otherwise none.
std::optional<sdk::Ratio> careAllowanceShare(const Disability& disability);

/// What a periodic entitlement needs to compute a month.
struct PeriodicFacts {
  std::string type;                      ///< one of kPeriodicTypes
  std::optional<Disability> disability;  ///< the assessment in force in the month
  std::string survivor_of;               ///< death kind of the fallen (survivor_pension)
  std::string subsidy_group;             ///< living_subsidy
};

/// Local figures the county sets (config/policy, parameters.h), in force on the month's first
/// day.
struct LocalFigures {
  sdk::Money average_monthly_wage;  ///< 当地上年城镇单位就业人员月平均工资
  sdk::Money hardship_monthly;      ///< 困难补助 per person and month
};

/// The amount of one month of a periodic entitlement, before suspension and start/end:
///  - disability_pension (残疾抚恤金, §27): national table by nature and grade, monthlyShare;
///  - survivor_pension (定期抚恤金, §19): by the fallen's death kind, monthlyShare;
///  - living_subsidy (定期生活补助, §62): by group, monthlyShare;
///  - care_allowance (护理费, §34): wage × share, to the fen half up (a monthly figure: no /12);
///  - hardship (困难补助, §21/§31): the county's monthly figure.
/// Throws ValidationError (rule "national-table") when the table has no standard in force.
sdk::Money periodicMonthAmount(const PeriodicFacts& facts, sdk::Month month,
                               const NationalTable& table, const LocalFigures& local);

/// The national table's item and key of a periodic type (care_allowance and hardship have
/// none: they are local). Empty item when local.
std::pair<std::string, std::string> tableEntry(const PeriodicFacts& facts);

// --- Start, end, suspension --------------------------------------------------------------------

/// A suspension (停发) of payment, e.g. during a prison sentence (§59): no payment from `from`
/// through `to` (open while `to` is empty). Resumed payment does not pay the suspended months.
struct Suspension {
  sdk::Month from;
  std::optional<sdk::Month> to;
};

bool suspendedIn(const std::vector<Suspension>& suspensions, sdk::Month month);

/// Whether a periodic entitlement pays `month`: from its start month (the month of
/// confirmation, §19/§27) through its end month (cancellation, death), not while suspended.
bool paysMonth(sdk::Month start, std::optional<sdk::Month> end,
               const std::vector<Suspension>& suspensions, sdk::Month month);

// --- Death --------------------------------------------------------------------------------------

/// Funeral aid (丧葬补助) after the death of a recipient, paid once:
///  - survivor_pension: 6 months of the periodic pension (§22);
///  - disability_pension, death from illness: 12 months of the disability pension (§32);
///  - other types: none.
/// Months counted from the annual standard in force on the day of death: 12 months = the annual
/// figure; 6 months = annual / 2, to the fen half up. nullopt when the type has no funeral aid.
struct FuneralAid {
  int months = 0;
  sdk::Money amount;
};
std::optional<FuneralAid> funeralAid(const PeriodicFacts& facts, sdk::Date death,
                                     bool died_of_illness, const NationalTable& table);

// --- One-time payments ------------------------------------------------------------------------

/// An award of a service record or a fallen serviceman: its §16 level.
struct Award {
  std::string level;  ///< a kHonourLevels code
  std::string name;
};

/// The highest honour's level among the awards (§16: only the highest counts); nullopt when
/// none earns a supplement.
std::optional<HonourLevel> highestHonour(const std::vector<Award>& awards);
const HonourLevel* honourLevel(const std::string& code);

/// 烈士褒扬金 (§15; 烈士褒扬条例): 30 × the national urban per-capita disposable income of the
/// year before the martyr's death.
struct MartyrHonourPayment {
  int income_year = 0;
  sdk::Money income;
  sdk::Money amount;
};
MartyrHonourPayment martyrHonour(sdk::Date death, const NationalTable& table);

/// 一次性抚恤金 (§15–16): 20 × (烈士, 因公牺牲) or 2 × (病故) the national urban per-capita
/// disposable income of the year before the death, + 40 × the person's monthly basic pay (at
/// least a 少尉's in force on the day of death); then the highest honour's supplement, a
/// percentage of that sum, to the fen half up.
struct DeathLumpSum {
  int income_year = 0;
  sdk::Money income;
  std::int64_t income_multiple = 0;
  sdk::Money monthly_pay;     ///< the pay counted: max(own, 少尉)
  sdk::Money lieutenant_pay;  ///< 少尉 monthly basic pay in force on the death date
  sdk::Money base;            ///< income × multiple + 40 × monthly_pay
  std::optional<HonourLevel> honour;
  sdk::Money supplement;
  sdk::Money amount;  ///< base + supplement
};
DeathLumpSum deathLumpSum(const std::string& death_kind, sdk::Date death,
                          std::optional<sdk::Money> own_monthly_pay,
                          const std::vector<Award>& awards, const NationalTable& table);

// --- Eligibility of the file ---------------------------------------------------------------------

/// Facts about a beneficiary the eligibility rules read.
struct BeneficiaryFacts {
  std::string category;
  std::string subsidy_group;  ///< "" when none
  std::string hukou;          ///< rural, urban
  std::string relationship;   ///< survivors: parent, spouse, child, sibling, other
  sdk::Date birth_date;
  std::optional<sdk::Date> enlisted_on;
  std::optional<Disability> disability;
  std::string fallen_death_kind;  ///< survivors: the fallen's death kind, "" otherwise
};

/// The category a survivor of a fallen serviceman of `death_kind` has.
std::string survivorCategory(const std::string& death_kind);

/// Checks that a periodic entitlement of `type` fits the file on `on` (the confirmation day);
/// throws ValidationError naming the field and the rule:
///  - disability_pension: a disability, pensionable grade (rule "illness-grades-1-6");
///  - care_allowance: a disability in a §34 band (rule "care-allowance-band");
///  - survivor_pension: a survivor category linked to a fallen serviceman of that kind
///    (rule "survivor-of-fallen");
///  - living_subsidy: a §62 group whose conditions hold (rules "subsidy-group",
///    "aged-60", "rural-hukou", "enlisted-before-1954-10-31", "martyr-child").
void requireEntitlementFits(const std::string& type, const BeneficiaryFacts& facts, sdk::Date on);

/// The file's documents checklist: what the category, group and disability require.
std::vector<std::string> requiredDocuments(const BeneficiaryFacts& facts);
/// The required documents not among `received`, in the checklist's order.
std::vector<std::string> missingDocuments(const BeneficiaryFacts& facts,
                                          const std::vector<std::string>& received);

/// Whole years of service from enlistment to discharge (or to `today` while serving).
int serviceYears(sdk::Date enlisted, std::optional<sdk::Date> discharged, sdk::Date today);

}  // namespace civ::plugins::veterans
