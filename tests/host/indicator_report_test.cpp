// The indicators list: definitions listed, small counts of people suppressed in the township
// breakdowns (小数抑制) and never in the county's figure, other counts and ratios shown.
#include "host/reports/indicator_report.h"

#include <map>

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace civ::host {
namespace {

IndicatorEntry entry(std::string id, sdk::Measure measure, std::string unit,
                     std::vector<sdk::TownshipValue> towns) {
  IndicatorEntry made;
  made.plugin_id = "social_assistance";
  made.declaration.id = std::move(id);
  made.declaration.name = {"指标", "Indicator"};
  made.declaration.description = {"期间内新增", "Added in the period"};
  made.declaration.unit = std::move(unit);
  made.declaration.measure = measure;
  std::int64_t total = 0;
  for (const auto& town : towns) total += town.value;
  made.declaration.compute = [total](soci::session&, const sdk::IndicatorQuery&) { return total; };
  made.declaration.by_township = [towns](soci::session&, const sdk::IndicatorQuery&) {
    return towns;
  };
  return made;
}

TEST(IndicatorReport, SmallCountsOfPeopleAreSuppressedInTheTownshipsOnly) {
  soci::session db(soci::sqlite3, ":memory:");
  const std::vector<IndicatorEntry> entries = {
      entry("dibao_persons", sdk::Measure::Count, "persons",
            {{"关庙镇", 4}, {"江北街道", 5}, {"五里镇", 0}}),
      entry("institutions", sdk::Measure::Count, "institutions", {{"关庙镇", 1}}),
      entry("coverage_rate", sdk::Measure::Ratio, "permille", {{"关庙镇", 3}})};
  const sdk::Caller county_wide{"sun", "auditor", {"610902"}, {}};
  const sdk::IndicatorQuery query{"610902", *sdk::Date::parse("2026-01-01"),
                                  *sdk::Date::parse("2026-12-31")};
  const auto list = indicatorReport(entries, {"social_assistance"}, county_wide, query, db, 5);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["value"], 9);  // the county's figure is exact
  EXPECT_EQ(list[0]["definition"]["zh"], "期间内新增");
  const auto& towns = list[0]["by_township"];
  ASSERT_EQ(towns.size(), 3u);
  // Sorted by name: 五里镇, 关庙镇, 江北街道 (code point order).
  for (const auto& town : towns) {
    if (town["township"] == "关庙镇") {
      EXPECT_TRUE(town["value"].is_null());
      EXPECT_EQ(town["suppressed"], true);
    } else if (town["township"] == "江北街道") {
      EXPECT_EQ(town["value"], 5);  // at the threshold: shown
    } else {
      EXPECT_EQ(town["value"], 0);  // nobody is identified by a zero
    }
  }
  EXPECT_EQ(list[1]["by_township"][0]["value"], 1);  // an institution is no person
  EXPECT_EQ(list[2]["by_township"][0]["value"], 3);  // a ratio is no count

  // Threshold 0 (the default): every count shown.
  const auto plain = indicatorReport(entries, {"social_assistance"}, county_wide, query, db);
  for (const auto& town : plain[0]["by_township"]) EXPECT_FALSE(town["value"].is_null());

  // A township clerk's own figure is their township's exact count.
  sdk::Caller township{"wang", "clerk", {"610902"}, {}};
  township.townships = {"关庙镇"};
  const auto theirs = indicatorReport(entries, {"social_assistance"}, township, query, db, 5);
  ASSERT_EQ(theirs.size(), 3u);
  EXPECT_EQ(theirs[0]["value"], 4);
  EXPECT_EQ(theirs[2]["value"], 3);
}

/// A register of divisions as place_names keeps it, reduced to what the report asks: 五里镇
/// merged into 关庙镇, 老城街道 split into 东城 and 西城.
class MergedAndSplit final : public sdk::Divisions {
 public:
  std::vector<sdk::CurrentDivision> currentOf(soci::session&, const std::string& county,
                                              const std::string& recorded,
                                              sdk::Date) const override {
    if (county != "610902") return {};
    if (recorded == "五里镇" || recorded == "关庙镇") return {{"610902101", "关庙镇"}};
    if (recorded == "老城街道") return {{"610902004", "东城街道"}, {"610902005", "西城街道"}};
    if (recorded == "江北街道") return {{"610902003", "江北街道"}};
    return {};
  }
};

TEST(IndicatorReport, TownshipsAreGroupedByTodaysDivisionsAndRatiosAreNeverAdded) {
  soci::session db(soci::sqlite3, ":memory:");
  const std::vector<IndicatorEntry> entries = {
      entry("dibao_persons", sdk::Measure::Count, "persons",
            {{"五里镇", 4}, {"关庙镇", 3}, {"老城街道", 2}, {"江北街道", 1}, {"不明村", 7}}),
      entry("coverage_rate", sdk::Measure::Ratio, "permille", {{"五里镇", 300}, {"关庙镇", 500}})};
  const sdk::Caller county_wide{"sun", "auditor", {"610902"}, {}};
  const sdk::IndicatorQuery query{"610902", *sdk::Date::parse("2026-01-01"),
                                  *sdk::Date::parse("2026-12-31")};
  const MergedAndSplit divisions;
  const TownshipMapping today{divisions, *sdk::Date::parse("2026-12-31")};
  const auto list =
      indicatorReport(entries, {"social_assistance"}, county_wide, query, db, 0, &today);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["value"], 17);  // the county's figure does not change
  std::map<std::string, nlohmann::json> towns;
  for (const auto& town : list[0]["by_township"]) towns[town["township"]] = town;
  ASSERT_EQ(towns.size(), 4u) << list[0].dump();
  EXPECT_EQ(towns["关庙镇"]["value"], 7);  // 4 recorded in 五里镇 + 3 in 关庙镇
  EXPECT_EQ(towns["关庙镇"]["code"], "610902101");
  EXPECT_EQ(towns["关庙镇"]["recorded_as"], nlohmann::json({"关庙镇", "五里镇"}));
  // A split township cannot divide its count: its row stays, naming today's divisions.
  EXPECT_EQ(towns["老城街道"]["value"], 2);
  EXPECT_EQ(towns["老城街道"]["became"], nlohmann::json({"东城街道", "西城街道"}));
  EXPECT_EQ(towns["江北街道"]["code"], "610902003");
  EXPECT_FALSE(towns["江北街道"].contains("recorded_as"));
  EXPECT_EQ(towns["不明村"]["value"], 7);  // unknown to the register: as recorded
  EXPECT_FALSE(towns["不明村"].contains("code"));

  // A ratio per township is never added up: 五里镇 keeps its own row, saying what it became.
  const auto& rates = list[1]["by_township"];
  ASSERT_EQ(rates.size(), 2u);
  for (const auto& rate : rates) {
    if (rate["township"] == "五里镇") {
      EXPECT_EQ(rate["value"], 300);
      EXPECT_EQ(rate["became"], nlohmann::json({"关庙镇"}));
    } else {
      EXPECT_EQ(rate["township"], "关庙镇");
      EXPECT_EQ(rate["value"], 500);
    }
  }

  // A clerk of today's 关庙镇 sees the records of what is now their township.
  sdk::Caller guanmiao{"li", "clerk", {"610902"}, {}};
  guanmiao.townships = {"关庙镇"};
  const auto theirs =
      indicatorReport(entries, {"social_assistance"}, guanmiao, query, db, 0, &today);
  EXPECT_EQ(theirs[0]["value"], 7);
  // One who still holds 五里镇 sees no part of 关庙镇's count, only 五里镇's own unmerged ratio.
  guanmiao.townships = {"五里镇"};
  const auto old_scope =
      indicatorReport(entries, {"social_assistance"}, guanmiao, query, db, 0, &today);
  EXPECT_EQ(old_scope[0]["value"], 0);
  EXPECT_EQ(old_scope[1]["value"], 300);
}

TEST(IndicatorReport, ADeclaredSourceIsListed) {
  soci::session db(soci::sqlite3, ":memory:");
  auto with_source = entry("dibao_persons", sdk::Measure::Count, "persons", {});
  with_source.declaration.source = {"《社会救助暂行办法》",
                                    "Interim Measures on Social Assistance"};
  const auto without = entry("other", sdk::Measure::Count, "persons", {});
  const sdk::Caller county_wide{"sun", "auditor", {"610902"}, {}};
  const sdk::IndicatorQuery query{"610902", *sdk::Date::parse("2026-01-01"),
                                  *sdk::Date::parse("2026-12-31")};
  const auto list =
      indicatorReport({with_source, without}, {"social_assistance"}, county_wide, query, db);
  EXPECT_EQ(list[0]["source"]["zh"], "《社会救助暂行办法》");
  EXPECT_FALSE(list[1].contains("source"));
}

}  // namespace
}  // namespace civ::host
