// The year's assessment scored by hand: each formula at mid-year and year-end, manual points,
// caps on bonus and deductions, and the explanation a reviewer reads.
#include "host/reports/assessment_scoring.h"

#include <gtest/gtest.h>

namespace civ::host {
namespace {

AssessmentItem work(std::string formula, std::int64_t weight, std::int64_t target,
                    std::int64_t mid_year_percent = 50) {
  AssessmentItem item;
  item.id = 1;
  item.kind = "work";
  item.title = "集中供养率";
  item.responsible_unit = "社会救助股";
  item.points = weight;
  item.method = "indicator";
  item.indicator = "social_assistance.tekun_concentrated_rate";
  item.formula = std::move(formula);
  item.target = target;
  item.mid_year_percent = mid_year_percent;
  return item;
}

ItemFigures actual(std::int64_t value, std::string unit = "persons") {
  ItemFigures figures;
  figures.actual = value;
  figures.unit = std::move(unit);
  return figures;
}

TEST(AssessmentScoring, PointsAreReadAndWrittenInHundredths) {
  EXPECT_EQ(parsePoints("10"), 1000);
  EXPECT_EQ(parsePoints("7.5"), 750);
  EXPECT_EQ(parsePoints("0.05"), 5);
  EXPECT_EQ(parsePoints("7.505"), std::nullopt);
  EXPECT_EQ(parsePoints("-1"), std::nullopt);
  EXPECT_EQ(parsePoints("1."), std::nullopt);
  EXPECT_EQ(parsePoints(""), std::nullopt);
  EXPECT_EQ(pointsText(750), "7.50");
  EXPECT_EQ(pointsText(5), "0.05");
  EXPECT_EQ(pointsText(-150), "-1.50");
}

TEST(AssessmentScoring, AProportionalItemScoresItsShareOfWhatIsDueByTheStage) {
  // 300 new beds in the year, 60 % due by June (a seed report's "60 % done by June"); 20 points.
  const auto beds = work("proportional", 2000, 300, 60);
  EXPECT_EQ(dueHundredths(beds, AssessmentStage::MidYear, false), 18000);
  EXPECT_EQ(dueHundredths(beds, AssessmentStage::YearEnd, false), 30000);
  // 120 of 180 by June: 20 × 120 / 180 = 13.333… → 13.33.
  const auto june = scoreItem(beds, AssessmentStage::MidYear, actual(120, "beds"));
  EXPECT_EQ(june.points, 1333);
  EXPECT_EQ(june.due, "180.00");
  EXPECT_NE(june.explanation.find("6月底应完成 180 张（全年目标 300 张 的 60%）"),
            std::string::npos)
      << june.explanation;
  EXPECT_NE(june.explanation.find("13.33"), std::string::npos);
  // 2 of 3 rounds half up: 20 × 2 / 3 = 13.333; 1 of 8 → 2.50 exactly; 1 of 6 → 3.333 → 3.33.
  EXPECT_EQ(scoreItem(work("proportional", 2000, 3), AssessmentStage::YearEnd, actual(2)).points,
            1333);
  EXPECT_EQ(scoreItem(work("proportional", 2000, 8), AssessmentStage::YearEnd, actual(1)).points,
            250);
  // 5 of 8 points × 1/16 = 0.3125 → 0.31; 0.5 × 3/4 = 0.375 → 0.38 (half up).
  EXPECT_EQ(scoreItem(work("proportional", 50, 4), AssessmentStage::YearEnd, actual(3)).points, 38);
  // Beyond the target the weight is the most an item scores.
  EXPECT_EQ(scoreItem(beds, AssessmentStage::YearEnd, actual(420)).points, 2000);
  EXPECT_EQ(scoreItem(beds, AssessmentStage::YearEnd, actual(0)).points, 0);
  // The share due by June is not rounded: 7 × 50 % = 3.5, and 3 of 3.5 scores 20 × 3 / 3.5.
  const auto seven = scoreItem(work("proportional", 2000, 7), AssessmentStage::MidYear, actual(3));
  EXPECT_EQ(seven.due, "3.50");
  EXPECT_EQ(seven.points, 1714);  // 17.142… → 17.14
  EXPECT_NE(seven.explanation.find("6月底应完成 3.5 人"), std::string::npos) << seven.explanation;
  EXPECT_EQ(scoreItem(work("threshold", 1000, 7), AssessmentStage::MidYear, actual(3)).points, 0);
}

TEST(AssessmentScoring, ARateIsDueWholeAtMidYear) {
  // 集中供养率 40 %: a rate does not accumulate, so June's due is the target itself.
  ItemFigures rate = actual(390, "permille");
  rate.ratio = true;
  const auto line = scoreItem(work("proportional", 1000, 400, 60), AssessmentStage::MidYear, rate);
  EXPECT_EQ(line.due, "400.00");
  EXPECT_EQ(line.points, 975);
  EXPECT_NE(line.explanation.find("比率不按半年折算"), std::string::npos) << line.explanation;
}

TEST(AssessmentScoring, AThresholdIsAllOrNothingAndACeilingIsAMaximum) {
  // 集中供养率 40 ‰ target: 24 ‰ due by June at 60 %.
  const auto rate = work("threshold", 1000, 400, 60);
  EXPECT_EQ(scoreItem(rate, AssessmentStage::MidYear, actual(240, "permille")).points, 1000);
  EXPECT_EQ(scoreItem(rate, AssessmentStage::MidYear, actual(239, "permille")).points, 0);
  EXPECT_EQ(scoreItem(rate, AssessmentStage::YearEnd, actual(399, "permille")).points, 0);
  EXPECT_NE(scoreItem(rate, AssessmentStage::YearEnd, actual(399, "permille"))
                .explanation.find("实际 399‰，全年目标 400‰：未达到"),
            std::string::npos);
  // Overdue items: at most 2, whatever the stage.
  const auto overdue = work("ceiling", 500, 2);
  EXPECT_EQ(dueHundredths(overdue, AssessmentStage::MidYear, false), 200);
  EXPECT_EQ(scoreItem(overdue, AssessmentStage::MidYear, actual(2)).points, 500);
  EXPECT_EQ(scoreItem(overdue, AssessmentStage::MidYear, actual(3)).points, 0);
}

TEST(AssessmentScoring, MoneyTargetsAreExplainedInYuan) {
  const auto paid = work("proportional", 1000, 123456789);  // 1,234,567.89 yuan
  const auto line = scoreItem(paid, AssessmentStage::YearEnd, actual(61728394, "fen"));
  EXPECT_NE(line.explanation.find("实际 617283.94 元"), std::string::npos) << line.explanation;
  EXPECT_NE(line.explanation.find("全年目标 1234567.89 元"), std::string::npos);
  EXPECT_EQ(line.points, 500);  // 10 × 61728394 / 123456789 = 4.99999… → 5.00
}

TEST(AssessmentScoring, ManualPointsCarryTheirEvidenceAndNoEntryScoresNothing) {
  AssessmentItem item;
  item.id = 7;
  item.kind = "work";
  item.title = "殡葬改革宣传";
  item.points = 1500;
  item.method = "manual";
  ItemFigures entered;
  entered.entered_points = 1250;
  entered.evidence = "宣传活动6场，见附件";
  const auto line = scoreItem(item, AssessmentStage::MidYear, entered);
  EXPECT_EQ(line.points, 1250);
  EXPECT_NE(line.explanation.find("依据：宣传活动6场"), std::string::npos);
  const auto missing = scoreItem(item, AssessmentStage::YearEnd, ItemFigures{});
  EXPECT_EQ(missing.points, 0);
  EXPECT_NE(missing.explanation.find("年终未录入评分"), std::string::npos);
}

TEST(AssessmentScoring, BonusAndDeductionsAreCappedPerItemAndPerPlan) {
  AssessmentItem done = work("proportional", 6000, 100);
  done.id = 1;
  AssessmentItem highlight;  // 亮点加分: 2 per unit, item cap 5
  highlight.id = 2;
  highlight.kind = "bonus";
  highlight.points = 500;
  highlight.method = "indicator";
  highlight.formula = "per_unit";
  highlight.per_unit = 200;
  AssessmentItem praise;  // manual bonus, cap 3, entered 3
  praise.id = 3;
  praise.kind = "bonus";
  praise.points = 300;
  praise.method = "manual";
  AssessmentItem overdue;  // 0.5 per overdue item, cap 2
  overdue.id = 4;
  overdue.kind = "deduction";
  overdue.points = 200;
  overdue.method = "indicator";
  overdue.formula = "per_unit";
  overdue.per_unit = 50;
  ItemFigures praised;
  praised.entered_points = 300;
  praised.evidence = "省厅通报表扬";
  const std::vector<AssessmentItem> items = {done, highlight, praise, overdue};
  const std::vector<ItemFigures> figures = {actual(100), actual(4), praised, actual(3)};
  // Work 60; bonus 2×4 = 8 → item cap 5, + 3 = 8 → plan cap 6; deduction 0.5×3 = 1.5.
  const PlanScore score = scorePlan(items, figures, AssessmentStage::YearEnd, 600, 1000);
  ASSERT_EQ(score.lines.size(), 4u);
  EXPECT_EQ(score.lines[1].points, 500);
  EXPECT_NE(score.lines[1].explanation.find(
                "加分：实际 4 人 × 每单位 2.00 分 = 8.00 分，超过本项上限按 5.00 分计"),
            std::string::npos)
      << score.lines[1].explanation;
  EXPECT_NE(score.lines[3].explanation.find("扣分："), std::string::npos);
  EXPECT_EQ(score.work, 6000);
  EXPECT_EQ(score.bonus, 600);
  EXPECT_EQ(score.deduction, 150);
  EXPECT_EQ(score.total, 6450);
  const auto json = toJson(score);
  EXPECT_EQ(json["total"], "64.50");
  EXPECT_EQ(json["explanation"],
            "考核事项 60.00 分 + 加分 6.00 分 − 扣分 1.50 分 = 64.50 分；加分项合计 8.00 "
            "分，超过方案上限 "
            "6.00 分，按上限计");
  EXPECT_EQ(json["lines"][3]["points"], "1.50");
}

}  // namespace
}  // namespace civ::host
