// The module's rules as pure functions: no database, no Context; tested on their own
// (tests/elderly_care_rules_test.cpp). Each refusal names the field and the rule.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <civ/sdk/calendar.h>
#include <civ/sdk/date.h>
#include <civ/sdk/error.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>

namespace civ::plugins::elderly_care {

// --- Institutions -------------------------------------------------------------------------------

/// Beds and nursing-type beds of an institution: at least `minimum_beds` beds (rule "min-beds"
/// on `beds`), nursing beds not more than beds (rule "nursing-within-beds" on `nursing_beds`).
std::vector<sdk::FieldError> checkBeds(long long beds, long long nursing_beds,
                                       long long minimum_beds);

/// The unified social credit code (GB 32100) and the registration authority agree: the code's
/// first character is the registering department (5 民政, 9 市场监管, 1 机构编制), and the
/// nature fits the authority (营利 at 市场监管, 非营利 at 民政 or 机构编制). The problem, naming
/// field and rule, or nullopt.
std::optional<sdk::FieldError> checkRegistration(const std::string& uscc,
                                                 const std::string& authority,
                                                 const std::string& profit);

/// The 备案 materials of 66号令 §11, in the order a notice lists them.
const std::vector<std::string>& filingMaterials();
/// The materials of filingMaterials() not in `given`, in that order: the one notice
/// (一次性告知) that lists every missing item.
std::vector<std::string> missingMaterials(const std::vector<std::string>& given);

/// The last day to file: the `working_days`-th working day after the first admission (the
/// admission day itself is not counted).
sdk::CalendarResult filingDeadline(const sdk::WorkingDayCalendar& calendar,
                                   sdk::Date first_admission, int working_days);

/// Whether a filing due on `deadline` and not yet receipted is overdue on `today`.
bool filingOverdue(sdk::Date deadline, sdk::Date today);

/// The day the next on-site inspection is due: `months` after the last one, or after `since`
/// (the institution's registration in civ) when there has been none.
sdk::Date inspectionDue(std::optional<sdk::Date> last_inspection, sdk::Date since, int months);

// --- Residents
// ------------------------------------------------------------------------------------

/// The four dimensions of the ability assessment (rules.md §2.2, GB/T 42195-2022).
const std::vector<std::string>& assessmentDimensions();

/// The ability level of an assessment: the worst of its four dimensions, in the order of
/// `levels` (best first). ValidationError naming "dimensions.<name>" (rule "ability-level")
/// when a dimension's level is not in `levels`, or "dimensions" (rule "four-dimensions") when
/// one is missing.
std::string abilityResult(const std::vector<std::string>& levels,
                          const std::vector<std::pair<std::string, std::string>>& dimensions);

/// Whether a resident admitted on `admitted` and discharged on `discharged` (none: still in)
/// was in residence on at least one day of `month`: a resident-month of the operating subsidy.
bool residentMonth(sdk::Date admitted, std::optional<sdk::Date> discharged, sdk::Month month);

/// Days in residence within [from, to], both counted; the discharge day is not a resident day.
long long residentDays(sdk::Date admitted, std::optional<sdk::Date> discharged, sdk::Date from,
                       sdk::Date to);

/// The date records of an agreement ended on `ended` may be destroyed from (66号令 §32: kept
/// at least five years).
sdk::Date keepUntil(sdk::Date ended);

// --- Safety
// ----------------------------------------------------------------------------------------

/// The nine service-safety hazards of GB 38600-2019 (九防).
const std::vector<std::string>& hazardCategories();

/// Whether an open hazard is past its rectification deadline on `today`.
bool hazardOverdue(sdk::Date deadline, sdk::Date today);

/// A fine: above 0 and at most `maximum` (rule "fine-maximum" on `amount`).
std::optional<sdk::FieldError> checkFine(sdk::Money amount, sdk::Money maximum);

// --- Subsidies
// --------------------------------------------------------------------------------------

/// A construction subsidy: new beds × the amount per bed, exact to the fen.
sdk::Money constructionSubsidy(long long new_beds, sdk::Money per_bed);

/// An institution's operating subsidy for a month: Σ resident-months × the rate of their care
/// level, exact to the fen.
sdk::Money operatingSubsidy(const std::vector<std::pair<long long, sdk::Money>>& months_and_rates);

/// part / whole × 1000, half up; 0 when whole is 0.
long long permille(long long part, long long whole);

}  // namespace civ::plugins::elderly_care
