// The indicators list: definitions listed, small counts of people suppressed in the township
// breakdowns (小数抑制) and never in the county's figure, other counts and ratios shown.
#include "host/reports/indicator_report.h"

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

}  // namespace
}  // namespace civ::host
