// The rules of reception and resettlement (退役军人安置条例 2024) as pure functions: no database,
// no Context; tested on their own (tests/resettlement_rules_test.cpp). Each refusal names the
// field and the rule.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/date.h>
#include <civ/sdk/error.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>

namespace civ::plugins::veterans::resettlement {

// --- Codes ------------------------------------------------------------------------------------

/// Rank types this part resettles (§5: 军士 and 义务兵; officers are resettled otherwise).
/// 初级军士 = 下士/中士, 中级 = 上士/四级军士长, 高级 = 三级至一级军士长.
inline constexpr const char* kRankTypes[] = {"conscript", "junior_nco", "intermediate_nco",
                                             "senior_nco"};
/// Resettlement types (rules.md §3.3; §5 also names 逐月领取退役金 for 军士, whose rules the
/// ministry has yet to publish (§19) and which rules.md leaves out).
inline constexpr const char* kTypes[] = {"self_employment", "job_placement", "retirement",
                                         "state_care"};
/// Awards and honours of §22 and §25, one code each.
inline constexpr const char* kAwards[] = {
    "medal",                      // 勋章
    "honorary_title",             // 荣誉称号
    "first_class_war_merit",      // 一等战功
    "second_class_war_merit",     // 二等战功
    "third_class_war_merit",      // 三等战功
    "fourth_class_war_merit",     // 四等战功
    "first_class_merit",          // 一等功
    "second_class_merit",         // 二等功
    "third_class_merit",          // 三等功
    "first_level_commendation",   // 一级表彰
    "second_level_commendation",  // 二级表彰并经批准享受相关待遇
};
/// Disability natures (残疾性质).
inline constexpr const char* kDisabilityNatures[] = {"war", "duty", "illness"};

bool isNco(const std::string& rank_type);
/// 中级以上军士 (intermediate or senior NCO).
bool isIntermediateOrAbove(const std::string& rank_type);

// --- Report (报到, §51) -------------------------------------------------------------------------

/// When a soldier must report and from when a late report is treated as waived.
struct ReportLimits {
  sdk::Date due;           ///< the last day to report in time
  sdk::Date waived_after;  ///< a report after this day without good reason is a waiver
};

/// The limits of a soldier approved to leave on `approved_on`: due `report_days` calendar days
/// later (the approval day not counted), or on `report_by` when the 报到通知 sets a time;
/// waived after `grace_days` more days.
ReportLimits reportLimits(sdk::Date approved_on, std::optional<sdk::Date> report_by,
                          int report_days, int grace_days);

enum class ReportTiming {
  OnTime,      ///< on or before the due day
  Late,        ///< after it, but not more than the grace: resettled, the lateness recorded
  PastWaiver,  ///< more than the grace late: waived unless a good reason is accepted
};
ReportTiming reportTiming(const ReportLimits& limits, sdk::Date reported_on);
const char* toString(ReportTiming timing);

/// Whether an unreported soldier is overdue on `today` (the due day has passed).
bool reportOverdue(const ReportLimits& limits, sdk::Date today);

// --- Service facts ------------------------------------------------------------------------------

/// What a soldier's file says, as the eligibility checks need it.
struct ServiceFacts {
  std::string rank_type;
  sdk::Date birth_date;
  sdk::Date enlisted_on;
  sdk::Date approved_on;  ///< 批准退出现役
  std::vector<std::string> awards;
  std::optional<std::string> disability_nature;  ///< war, duty, illness
  std::optional<int> disability_grade;           ///< 1 (worst) .. 10
  bool martyr_child = false;                     ///< 烈士子女
  bool serious_illness = false;  ///< 患有严重疾病且经医学鉴定基本丧失工作能力 (§36(4))
  bool party_expelled = false;    ///< 被开除中国共产党党籍 (§35(1))
  bool criminal_record = false;   ///< 受过刑事处罚 (§35(2))
  bool forced_discharge = false;  ///< 被强制退役等不宜安排工作 (§35(3))
};

/// Completed years of service (服现役满 n 年): enlisted_on to approved_on.
int serviceYears(sdk::Date enlisted_on, sdk::Date approved_on);

/// Years of service for the lump sums, in half years: whole years, then a remainder of up to
/// six months counts as half a year and more than six months as a whole year (the rule of the
/// former 退役士兵安置条例 §19, kept because §21 of the 2024 条例 leaves the detail to the
/// national standard).
int serviceHalfYears(sdk::Date enlisted_on, sdk::Date approved_on);

/// Facts that cannot be true together (a grade without a nature, a conscript with 30 years...):
/// each problem names the field and the rule.
std::vector<sdk::FieldError> checkFacts(const ServiceFacts& facts);

// --- Self-employment lump sums (§21–23) -------------------------------------------------------

/// The honours supplement of §22 for the awards held: 25 / 20 / 15 / 10 / 5 percent, the
/// highest only (several awards never add up).
struct HonoursSupplement {
  int percent = 0;
  std::string award;  ///< the award that sets it; "" when none
};
HonoursSupplement honoursSupplement(const std::vector<std::string>& awards);

struct SelfEmploymentAmounts {
  int service_half_years = 0;
  sdk::Money per_year;
  sdk::Money base;  ///< per_year × service years
  HonoursSupplement honours;
  sdk::Money supplement;   ///< base × honours percent
  sdk::Money lump_sum;     ///< 一次性退役金 = base + supplement
  sdk::Money local_grant;  ///< 一次性经济补助 = fixed part + per year × service years
};

/// The lump sums to the fen. Rounding (四舍五入, half up, to the fen): base = per year × half
/// years ÷ 2; supplement = base × percent ÷ 100; the grant's per-year part likewise ÷ 2. The
/// supplement applies to the national 退役金 only (§22); the province's grant is as it sets it.
SelfEmploymentAmounts selfEmploymentAmounts(int service_half_years, sdk::Money per_year,
                                            const std::vector<std::string>& awards,
                                            sdk::Money grant_base, sdk::Money grant_per_year);

// --- Eligibility (§20, §25, §35, §36, §38) ----------------------------------------------------

/// The outcome of one type's check: the conditions met (article references with their words),
/// the exclusions that apply, and when refused the rule and why.
struct Eligibility {
  std::string type;
  bool eligible = false;
  std::vector<std::string> conditions;  ///< e.g. "§25(1) 军士服现役满12年"
  std::vector<std::string> exclusions;  ///< e.g. "§35(2) 受过刑事处罚"
  std::string rule;                     ///< when not eligible, e.g. "job-placement-excluded"
  std::string message;
};

/// 安排工作 (§25 conditions, §35 exclusions; a soldier to be retired (§36) or kept by the state
/// (§38) is not, except as §25 ¶3 allows).
Eligibility jobPlacement(const ServiceFacts& facts);
/// 退休 (§36): 中级以上军士 and one of age 55, 30 years, 因战/因公 grade 1–6, serious illness.
Eligibility retirement(const ServiceFacts& facts);
/// 供养 (§38): grade 1–4; 初级军士 and 义务兵 of any nature, 中级以上 因战/因公 instead of
/// retirement.
Eligibility stateCare(const ServiceFacts& facts);
/// 自主就业 (§20): everyone not to be retired or kept by the state.
Eligibility selfEmployment(const ServiceFacts& facts);
/// The check of `type` (one of kTypes).
Eligibility eligibility(const std::string& type, const ServiceFacts& facts);

/// Throws ValidationError on "type" naming the rule when `type` is refused for these facts.
void requireEligible(const std::string& type, const ServiceFacts& facts);

// --- Placement (§31, §34, §75) ------------------------------------------------------------------

/// §31: placement completed within 6 months of the reception (the report).
sdk::Date placementDue(sdk::Date received_on);
/// §75 ¶2: the employer gives the post within 30 days of the placement letter.
sdk::Date postDue(sdk::Date letter_on);
/// Months in which the employer owes at least 80% of the average wage of its like staff (§75
/// ¶2: from the letter's month until the post): the letter's month through the month of the
/// post (or of `today` while none), when the post came after postDue.
int employerOwedMonths(sdk::Date letter_on, std::optional<sdk::Date> posted_on, sdk::Date today);

/// One calendar month of the living allowance.
struct AllowanceMonth {
  sdk::Month month;
  int days = 0;        ///< days waited in the month
  int month_days = 0;  ///< days of the month
  sdk::Money wage;     ///< the minimum wage in force on the first day waited in the month
  sdk::Money amount;
};
struct Allowance {
  std::vector<AllowanceMonth> months;
  sdk::Money total;
};

/// §75 ¶1: the living allowance while waiting, for the days [from, until) — from the report to
/// the placement letter (or another end). Paid by calendar month (逐月): a whole month at the
/// monthly minimum wage, a part month pro rata by calendar days (wage × days ÷ days of the
/// month, 四舍五入 to the fen). `wage_on` gives the minimum wage in force on a day.
Allowance livingAllowance(sdk::Date from, sdk::Date until,
                          const std::function<sdk::Money(sdk::Date)>& wage_on);

// --- Announcement (公示)
// --------------------------------------------------------------------------

/// 张三 → 张*, 欧阳娜娜 → 欧***: the first character kept, the others masked.
std::string maskName(const std::string& name);

/// part / whole × 1000, half up; 0 when whole is 0.
long long permille(long long part, long long whole);

}  // namespace civ::plugins::veterans::resettlement
