// The year's assessment (年度工作考核) scored: a plan's work items, bonus items (亮点加分) and
// deduction items, each scored at mid-year or year-end from an indicator with a formula or from
// points a person entered with evidence, and explained line by line. Pure: no database, no
// clock; the routes (host/http/assessment_routes.h) feed it the figures and store what it says.
//
// Points are kept in hundredths (an item of 10 points is 1000) so sums and caps are exact; a
// share of a weight rounds half up to the hundredth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>

namespace civ::host {

enum class AssessmentStage { MidYear, YearEnd };

std::string_view toString(AssessmentStage stage);
std::optional<AssessmentStage> parseAssessmentStage(std::string_view text);
/// The period a stage scores: the year's first day to 30 June (mid-year) or 31 December.
sdk::Date stageLastDay(int year, AssessmentStage stage);

/// One line of a plan.
struct AssessmentItem {
  std::int64_t id = 0;
  std::string kind;  ///< "work" (考核事项), "bonus" (加分项) or "deduction" (扣分项)
  std::string title;
  std::string responsible_unit;  ///< 责任单位 (股室)
  /// Work: the item's weight (分值); bonus and deduction: the item's cap. In hundredths.
  std::int64_t points = 0;
  std::string method;  ///< "indicator" (computed) or "manual" (entered with evidence)
  // ---- method "indicator" ----
  std::string indicator;  ///< "<module>.<indicator id>" of the county's indicators
  /// Work items: "proportional" (weight × actual / due, at most the weight), "threshold" (the
  /// weight when actual ≥ due, else 0) or "ceiling" (the weight when actual ≤ target: a count of
  /// overdue items, complaints). Bonus and deduction items: "per_unit" (per_unit × actual).
  std::string formula;
  /// The year's target in the indicator's unit as the indicators answer gives it (fen for money,
  /// ‰ for a permille ratio).
  std::int64_t target = 0;
  /// The share of the target due by 30 June ("60 % done by June"), in percent.
  std::int64_t mid_year_percent = 50;
  std::int64_t per_unit = 0;  ///< hundredths of a point per unit of the indicator
};

/// What scoring one item needs: the indicator's value for the stage's period, or the points a
/// person entered for the stage (with the evidence they cited).
struct ItemFigures {
  std::optional<std::int64_t> actual;
  std::string unit;  ///< the indicator's unit ("fen" for money), for the explanation
  /// A rate (‰, %) does not accumulate over the year: its target is due whole at mid-year too.
  bool ratio = false;
  std::optional<std::int64_t> entered_points;
  std::string evidence;
};

struct ItemScore {
  std::int64_t item_id = 0;
  std::string kind;
  std::string title;
  std::string responsible_unit;
  std::int64_t points_available = 0;  ///< weight or cap
  std::int64_t points = 0;            ///< what the item scores (a deduction as a positive number)
  std::optional<std::int64_t> actual;
  /// The figure due by the stage in the indicator's unit, exactly ("3.50": half of 7).
  std::optional<std::string> due;
  std::string explanation;  ///< one sentence a reviewer checks by hand
};

struct PlanScore {
  std::vector<ItemScore> lines;
  std::int64_t work = 0;
  std::int64_t bonus = 0;      ///< after the plan's bonus cap
  std::int64_t deduction = 0;  ///< after the plan's deduction cap
  std::int64_t total = 0;      ///< work + bonus - deduction (may be negative)
  std::string explanation;     ///< the sum, and the plan's caps where they applied
};

/// The figure due by the stage, in hundredths of the indicator's unit (exact: no rounding):
/// target × mid_year_percent at mid-year, target × 100 at year-end; the whole target at both
/// stages for a ceiling and for a rate.
std::int64_t dueHundredths(const AssessmentItem& item, AssessmentStage stage, bool ratio);

ItemScore scoreItem(const AssessmentItem& item, AssessmentStage stage, const ItemFigures& figures);

/// Every item scored, bonus and deductions capped by the plan's caps (hundredths).
PlanScore scorePlan(const std::vector<AssessmentItem>& items,
                    const std::vector<ItemFigures>& figures, AssessmentStage stage,
                    std::int64_t bonus_cap, std::int64_t deduction_cap);

/// Hundredths as the API writes points: "7.50".
std::string pointsText(std::int64_t hundredths);
/// "7.5" / "7.50" / "10" → hundredths; nullopt for anything else (negative, three decimals).
std::optional<std::int64_t> parsePoints(std::string_view text);

nlohmann::json toJson(const ItemScore& line);
nlohmann::json toJson(const PlanScore& score);

}  // namespace civ::host
