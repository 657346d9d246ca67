// The social-organisation decisions that need no database (rules.md §7, §8.3): registration
// conditions by type, the 60-day decision, the credit code, annual-inspection dates and
// exemptions, the two-year and one-year revocation rules, rectification, grades and their bars,
// the credit lists' time limits. Each refusal is a FieldError naming the field and the rule.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/calendar.h>
#include <civ/sdk/date.h>
#include <civ/sdk/error.h>
#include <civ/sdk/money.h>

namespace civ::plugins::social_orgs {

/// Organisation types as the routes code them: "group" 社会团体, "pne"
/// 民办非企业单位（社会服务机构）, "foundation" 基金会.
inline constexpr const char* kGroup = "group";
inline constexpr const char* kPne = "pne";
inline constexpr const char* kFoundation = "foundation";

/// What an application declares, as the registration conditions read it.
struct RegistrationFacts {
  std::string type;
  std::string name;
  std::int64_t individual_members = 0;
  std::int64_t unit_members = 0;
  sdk::Money funds;                            ///< 活动资金 / 开办资金 / 原始基金
  std::optional<sdk::Money> non_state_assets;  ///< 民非: of the funds, not state-owned
  std::string sponsor_unit;                    ///< 业务主管单位 (empty: none)
  std::string foundation_kind;                 ///< "public" 公募 / "non_public" 非公募
};

/// The minimums in force (policy parameters) for the application's type and sector.
struct RegistrationMinimums {
  std::int64_t individual_members = 50;
  std::int64_t unit_members = 30;
  std::int64_t mixed_members = 50;
  sdk::Money funds;
};

/// Every condition the application fails, each naming field and rule (empty: it meets them).
/// Rules: "local-name-prefix" (a local body's name may not start with 中国/全国/中华),
/// "member-count" (社团 §10(一)), "minimum-funds", "non-state-share" (民非 ≥ 2/3 non-state
/// assets), "sponsor-approval" (社团 and 民非 need a 业务主管单位), "foundation-kind".
std::vector<sdk::FieldError> registrationProblems(const RegistrationFacts& facts,
                                                  const RegistrationMinimums& minimums);

/// Whether `name` starts with a prefix reserved for national bodies (中国, 全国, 中华).
bool hasNationalPrefix(const std::string& name);

/// The day a registration must be decided: `days` calendar days after complete documents.
sdk::Date decisionDue(sdk::Date complete_on, int days);

/// The registry's own check of a credit code given for an organisation of `type`: GB 32100 with
/// the inner GB 11714 check (sdk::checkUscc; rule "uscc-<its rule>"), then "uscc-registry"
/// (position 1 is 5, 民政) and "uscc-type" (position 2: 1 社团, 2 民非, 3 基金会).
std::optional<sdk::FieldError> usccProblem(const std::string& code, const std::string& type);

/// The code the registry assigns: 5, the type digit, the county code, "MJ" and the county's
/// six-digit sequence with its GB 11714 check character, then the GB 32100 check character.
std::string assignedUscc(const std::string& type, const std::string& county, std::int64_t sequence);

// --- Annual inspection (年检) -------------------------------------------------------------------

/// When the papers for year `year` are due: to the sponsor by 3-31 of the next year (none for a
/// foundation), to the registry by 5-31 (基金会: 3-31).
struct InspectionDates {
  std::optional<sdk::Date> sponsor_due;
  sdk::Date registry_due;
};
InspectionDates inspectionDates(const std::string& type, int year);

/// Whether an organisation registered on `registered_on` owes the inspection of `year`: not when
/// registered after that year, nor a 民非 registered less than six months before 31 December
/// (年度检查办法 §3).
bool inspectionRequired(const std::string& type, sdk::Date registered_on, int year);

/// Outcomes of a year's inspection: "passed" 合格, "basic" 基本合格, "failed" 不合格; "absent"
/// when it was owed and not recorded by its due date; "exempt" when it was not owed.
/// The year in which a 民非 completed two consecutive years absent or 不合格 (→ 撤销登记), if any.
std::optional<int> twoYearRevocationYear(const std::string& type,
                                         const std::map<int, std::string>& outcomes);

/// Whether a 社团 registered on `registered_on` has not operated in the year after registration
/// (§29 → 撤销), judged on `today`.
bool inactiveAfterRegistration(const std::string& type, sdk::Date registered_on,
                               std::optional<sdk::Date> first_activity_on, sdk::Date today);

/// Whether a result obliges rectification (基本合格, 不合格), and by when.
bool needsRectification(const std::string& result);
sdk::Date rectificationDue(sdk::Date result_on, int months);

// --- Grades (社会组织评估管理办法) ------------------------------------------------------------

/// A grade awarded on `awarded_on` holds for five years: the last day it holds.
sdk::Date gradeValidUntil(sdk::Date awarded_on);

struct GradeFacts {
  sdk::Date registered_on;
  sdk::Date applied_on;
  std::optional<std::string> last_year_outcome;    ///< the inspection of applied_on.year() - 1
  std::optional<std::string> year_before_outcome;  ///< of applied_on.year() - 2
  bool penalised_last_year = false;
  bool under_investigation = false;  ///< a penalty case is open (立案调查中)
  std::optional<sdk::Date> last_downgraded_on;
  std::optional<sdk::Date> last_cancelled_on;
};

/// Why an organisation may not apply for a grade on facts.applied_on (empty: it may). Rules:
/// "registered-two-years", "attended-last-inspection", "passed-last-inspection",
/// "basic-two-years", "no-penalty-last-year", "under-investigation", "downgrade-bar" (2 years),
/// "cancellation-bar"
/// (3 years).
std::vector<sdk::FieldError> gradeProblems(const GradeFacts& facts);

/// What a grade in force brings: 3A+ priority in service purchases and tax-deduction
/// eligibility, 4A+ a simpler annual inspection.
struct GradeConsequences {
  bool priority_purchase = false;
  bool simpler_inspection = false;
};
GradeConsequences gradeConsequences(int grade);

// --- Changes, deregistration, credit -------------------------------------------------------------

/// A change registration is due within 30 days of the sponsor's approval.
sdk::Date changeDue(sdk::Date sponsor_approved_on);
/// Deregistration is applied for within 15 days of the end of liquidation.
sdk::Date deregistrationDue(sdk::Date liquidation_ended_on);
/// Entry on the abnormal-activity list is due within 5 working days of the cause.
sdk::CalendarResult abnormalListingDue(const sdk::WorkingDayCalendar& calendar, sdk::Date cause_on);
/// After two years on the abnormal-activity list an organisation moves to the
/// serious-dishonesty list: the day it is due.
sdk::Date seriousListingDue(sdk::Date abnormal_listed_on);

// --- Administrative penalties (行政处罚法 2021; 社团条例 §30, 民非条例 §25) -------------------

/// Penalty kinds: "warning" 警告, "fine" 罚款, "confiscation" 没收违法所得, "suspension"
/// 限期停止活动, "revocation" 撤销登记.
bool isPenaltyKind(const std::string& kind);

/// A penalty is decided within `days` calendar days of filing the case (行政处罚法 §60).
sdk::Date penaltyDecisionDue(sdk::Date opened_on, int days);

/// Whether the party must be told of its right to a hearing before the decision (行政处罚法
/// §63): a suspension, a revocation, or a fine or confiscation of at least `large_amount`.
bool hearingRequired(const std::string& kind, std::optional<sdk::Money> fine,
                     std::optional<sdk::Money> confiscated, sdk::Money large_amount);

/// The multiples the fine may take of its base (社团条例 §30, 民非条例 §25): 1-3 times the
/// illegal turnover, 3-5 times the illegal income.
struct FineMultiples {
  std::int64_t turnover_min = 1;
  std::int64_t turnover_max = 3;
  std::int64_t income_min = 3;
  std::int64_t income_max = 5;
};

/// What a penalty decision says, as the rules read it.
struct PenaltyDecisionFacts {
  std::string kind;
  std::optional<sdk::Money> fine;
  std::optional<sdk::Money> illegal_turnover;
  std::optional<sdk::Money> illegal_income;
  std::optional<sdk::Money> confiscated;
  std::optional<sdk::Date> suspended_from;
  std::optional<sdk::Date> suspended_until;
  sdk::Date decided_on;
};

/// Every way the decision's own fields are wrong (empty: they fit the kind). Rules:
/// "fine-required", "fine-base" (exactly one of illegal_turnover / illegal_income),
/// "fine-range" (compared to the fen with the multiples), "fine-only", "confiscated-required",
/// "suspension-dates", "suspension-only".
std::vector<sdk::FieldError> penaltyDecisionProblems(const PenaltyDecisionFacts& facts,
                                                     const FineMultiples& multiples);

/// The hearing facts of a case as the decision reads them.
struct HearingFacts {
  std::optional<sdk::Date> notified_on;
  std::optional<sdk::Date> requested_on;
  std::optional<sdk::Date> held_on;
};

/// The last day a hearing may be requested: five working days after the notice (行政处罚法
/// §64(一); §85: its "五日" and "七日" are working days).
sdk::Date hearingRequestDeadline(const sdk::WorkingDayCalendar& calendar, sdk::Date notified_on);

/// The first day a requested hearing may be held: the party is told of it seven working days
/// ahead (§64(二)), and the notice follows the request.
sdk::Date earliestHearing(const sdk::WorkingDayCalendar& calendar, sdk::Date requested_on);

/// Why a decision that needs a hearing notice may not be made on `on` (empty: it may). Rules:
/// "hearing-notice" (no notice given), "hearing-window" (the five days to ask are still open),
/// "hearing-held" (a hearing was asked for and has not been held).
std::vector<sdk::FieldError> hearingProblems(const sdk::WorkingDayCalendar& calendar,
                                             const HearingFacts& hearing, sdk::Date on);

}  // namespace civ::plugins::social_orgs
