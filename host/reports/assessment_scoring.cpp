#include "host/reports/assessment_scoring.h"

#include <algorithm>
#include <cstdlib>

#include "host/reports/unit_labels.h"

namespace civ::host {

namespace {

/// a × b / c rounded half up, for non-negative a, b and positive c (no overflow for points and
/// the figures a county has).
std::int64_t mulDivHalfUp(std::int64_t a, std::int64_t b, std::int64_t c) {
  const __int128 product = static_cast<__int128>(a) * b;
  return static_cast<std::int64_t>((product * 2 + c) / (2 * static_cast<__int128>(c)));
}

/// A figure as a reader expects it: money in yuan, other units by their Chinese word.
std::string figureText(std::int64_t value, const std::string& unit) {
  if (unit == "fen") {
    const std::int64_t magnitude = std::llabs(value);
    std::string cents = std::to_string(magnitude % 100);
    if (cents.size() < 2) cents = "0" + cents;
    return std::string(value < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + cents +
           " 元";
  }
  const std::string label = unitLabel(unit);
  if (label == "‰" || label == "%") return std::to_string(value) + label;
  return std::to_string(value) + " " + label;
}

/// Hundredths of a unit as a decimal without trailing zeros: 350 → "3.5", 400 → "4".
std::string decimalText(std::int64_t hundredths) {
  std::string text = pointsText(hundredths);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

/// A due figure (hundredths of the unit) as a reader expects it; money to the fen, half up.
std::string dueText(std::int64_t due_hundredths, const std::string& unit) {
  if (unit == "fen") return figureText(mulDivHalfUp(due_hundredths, 1, 100), unit);
  const std::string label = unitLabel(unit);
  if (label == "‰" || label == "%") return decimalText(due_hundredths) + label;
  return decimalText(due_hundredths) + " " + label;
}

std::string stageName(AssessmentStage stage) {
  return stage == AssessmentStage::MidYear ? "半年" : "年终";
}

}  // namespace

std::string_view toString(AssessmentStage stage) {
  return stage == AssessmentStage::MidYear ? "mid_year" : "year_end";
}

std::optional<AssessmentStage> parseAssessmentStage(std::string_view text) {
  if (text == "mid_year") return AssessmentStage::MidYear;
  if (text == "year_end") return AssessmentStage::YearEnd;
  return std::nullopt;
}

sdk::Date stageLastDay(int year, AssessmentStage stage) {
  return *sdk::Date::fromParts(year, stage == AssessmentStage::MidYear ? 6 : 12,
                               stage == AssessmentStage::MidYear ? 30 : 31);
}

std::int64_t dueHundredths(const AssessmentItem& item, AssessmentStage stage, bool ratio) {
  if (item.formula == "ceiling" || ratio || stage == AssessmentStage::YearEnd)
    return item.target * 100;
  return item.target * item.mid_year_percent;
}

ItemScore scoreItem(const AssessmentItem& item, AssessmentStage stage, const ItemFigures& figures) {
  ItemScore line;
  line.item_id = item.id;
  line.kind = item.kind;
  line.title = item.title;
  line.responsible_unit = item.responsible_unit;
  line.points_available = item.points;
  const std::string available = pointsText(item.points);

  if (item.method == "manual") {
    if (!figures.entered_points) {
      line.explanation = stageName(stage) + "未录入评分，计 0 分（" +
                         (item.kind == "work" ? "满分 " : "上限 ") + available + "）";
      return line;
    }
    line.points = std::min(*figures.entered_points, item.points);
    line.explanation = std::string(item.kind == "bonus"       ? "加分："
                                   : item.kind == "deduction" ? "扣分："
                                                              : "") +
                       "人工评分 " + pointsText(line.points) + " 分（" +
                       (item.kind == "work" ? "满分 " : "上限 ") + available + "），依据：" +
                       figures.evidence;
    return line;
  }

  line.actual = figures.actual;
  const std::int64_t actual = figures.actual.value_or(0);
  const std::string actual_text = "实际 " + figureText(actual, figures.unit);
  if (item.kind != "work") {  // per_unit: bonus or deduction by the indicator's count
    const std::int64_t raw = std::max<std::int64_t>(actual, 0) * item.per_unit;
    line.points = std::min(raw, item.points);
    line.explanation = std::string(item.kind == "bonus" ? "加分：" : "扣分：") + actual_text +
                       " × 每单位 " + pointsText(item.per_unit) + " 分 = " + pointsText(raw) +
                       " 分" + (raw > item.points ? "，超过本项上限按 " + available + " 分计" : "");
    return line;
  }

  const std::int64_t due = dueHundredths(item, stage, figures.ratio);
  line.due = pointsText(due);
  const std::string due_figure = dueText(due, figures.unit);
  if (item.formula == "ceiling") {
    const bool kept = actual <= item.target;
    line.points = kept ? item.points : 0;
    line.explanation =
        actual_text + "，上限 " + due_figure +
        (kept ? "：未超出，得满分 " + available : "：超出，计 0 分（满分 " + available + "）");
    return line;
  }
  std::string due_text;
  if (stage == AssessmentStage::MidYear && figures.ratio)
    due_text = "目标 " + due_figure + "（比率不按半年折算）";
  else if (stage == AssessmentStage::MidYear)
    due_text = "6月底应完成 " + due_figure + "（全年目标 " + figureText(item.target, figures.unit) +
               " 的 " + std::to_string(item.mid_year_percent) + "%）";
  else
    due_text = "全年目标 " + due_figure;
  if (item.formula == "threshold") {
    const bool reached = actual * 100 >= due;
    line.points = reached ? item.points : 0;
    line.explanation =
        actual_text + "，" + due_text +
        (reached ? "：达到，得满分 " + available : "：未达到，计 0 分（满分 " + available + "）");
    return line;
  }
  // proportional: weight × actual ÷ due, computed on the exact due
  if (due <= 0 || actual * 100 >= due) {
    line.points = item.points;
    line.explanation = actual_text + "，" + due_text + "：完成，得满分 " + available;
  } else {
    line.points = actual <= 0 ? 0 : mulDivHalfUp(item.points, actual * 100, due);
    line.explanation = actual_text + "，" + due_text + "：按完成比例得 " + pointsText(line.points) +
                       " 分（满分 " + available + " × " + std::to_string(actual) + " ÷ " +
                       decimalText(due) + "）";
  }
  return line;
}

PlanScore scorePlan(const std::vector<AssessmentItem>& items,
                    const std::vector<ItemFigures>& figures, AssessmentStage stage,
                    std::int64_t bonus_cap, std::int64_t deduction_cap) {
  PlanScore score;
  std::int64_t bonus = 0;
  std::int64_t deduction = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    ItemScore line = scoreItem(items[i], stage, figures.at(i));
    if (line.kind == "work") score.work += line.points;
    if (line.kind == "bonus") bonus += line.points;
    if (line.kind == "deduction") deduction += line.points;
    score.lines.push_back(std::move(line));
  }
  score.bonus = std::min(bonus, bonus_cap);
  score.deduction = std::min(deduction, deduction_cap);
  score.total = score.work + score.bonus - score.deduction;
  score.explanation = "考核事项 " + pointsText(score.work) + " 分 + 加分 " +
                      pointsText(score.bonus) + " 分 − 扣分 " + pointsText(score.deduction) +
                      " 分 = " + pointsText(score.total) + " 分";
  if (bonus > bonus_cap)
    score.explanation += "；加分项合计 " + pointsText(bonus) + " 分，超过方案上限 " +
                         pointsText(bonus_cap) + " 分，按上限计";
  if (deduction > deduction_cap)
    score.explanation += "；扣分项合计 " + pointsText(deduction) + " 分，超过方案上限 " +
                         pointsText(deduction_cap) + " 分，按上限计";
  return score;
}

std::string pointsText(std::int64_t hundredths) {
  const std::int64_t magnitude = std::llabs(hundredths);
  std::string fraction = std::to_string(magnitude % 100);
  if (fraction.size() < 2) fraction = "0" + fraction;
  return std::string(hundredths < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." + fraction;
}

std::optional<std::int64_t> parsePoints(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  const auto digits = [](std::string_view part) {
    return std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 4 || !digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos &&
      (fraction.empty() || fraction.size() > 2 || !digits(fraction)))
    return std::nullopt;
  std::int64_t value = std::stoll(std::string(whole)) * 100;
  if (!fraction.empty())
    value += std::stoll(std::string(fraction)) * (fraction.size() == 1 ? 10 : 1);
  return value;
}

nlohmann::json toJson(const ItemScore& line) {
  return {{"item_id", line.item_id},
          {"kind", line.kind},
          {"title", line.title},
          {"responsible_unit", line.responsible_unit},
          {"points_available", pointsText(line.points_available)},
          {"points", pointsText(line.points)},
          {"actual", line.actual ? nlohmann::json(*line.actual) : nlohmann::json(nullptr)},
          {"due", line.due ? nlohmann::json(*line.due) : nlohmann::json(nullptr)},
          {"explanation", line.explanation}};
}

nlohmann::json toJson(const PlanScore& score) {
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& line : score.lines) lines.push_back(toJson(line));
  return {{"lines", std::move(lines)},        {"work", pointsText(score.work)},
          {"bonus", pointsText(score.bonus)}, {"deduction", pointsText(score.deduction)},
          {"total", pointsText(score.total)}, {"explanation", score.explanation}};
}

}  // namespace civ::host
