// Resettlement figures for the county reports (rules.md §3.3 indicators), each with its
// breakdown by the township of the reception: soldiers received, resettled by type, placement
// within 6 months, training rate and participants, and what is overdue on the period's last
// day (reports, placements, posts). Pure SQL over the dates fixed when the records were made,
// so no policy is read here.
#include <map>
#include <utility>

#include <soci/soci.h>

#include <civ/sdk/indicator.h>
#include <civ/sdk/sql.h>

#include "resettlement.h"
#include "resettlement_rules.h"

namespace civ::plugins::veterans {

namespace {

/// (part, whole) per township.
using Sums = std::map<std::string, std::pair<long long, long long>>;

/// Runs `sql`, which selects (township, part, whole) and binds the county, the period's first
/// and last day, in that order.
Sums sums(soci::session& db, const std::string& sql, const sdk::IndicatorQuery& query) {
  const std::string from = query.from.toString(), to = query.to.toString();
  soci::rowset<soci::row> rows =
      (db.prepare << sql, soci::use(query.county), soci::use(from), soci::use(to));
  Sums result;
  for (const auto& row : rows)
    result[sdk::sql::textAt(row, 0)] = {sdk::sql::optionalInt64At(row, 1).value_or(0),
                                        sdk::sql::optionalInt64At(row, 2).value_or(0)};
  return result;
}

sdk::IndicatorDeclaration rate(std::string id, sdk::LocalizedText name,
                               sdk::LocalizedText description, std::string sql) {
  sdk::IndicatorDeclaration declaration;
  declaration.id = std::move(id);
  declaration.name = std::move(name);
  declaration.unit = "permille";
  declaration.description = std::move(description);
  declaration.measure = sdk::Measure::Ratio;
  declaration.compute = [sql](soci::session& db, const sdk::IndicatorQuery& query) {
    long long part = 0, whole = 0;
    for (const auto& [township, pair] : sums(db, sql, query)) {
      part += pair.first;
      whole += pair.second;
    }
    return static_cast<std::int64_t>(resettlement::permille(part, whole));
  };
  declaration.by_township = [sql](soci::session& db, const sdk::IndicatorQuery& query) {
    std::vector<sdk::TownshipValue> values;
    for (const auto& [township, pair] : sums(db, sql, query))
      if (pair.second > 0)
        values.push_back({township, resettlement::permille(pair.first, pair.second)});
    return values;
  };
  return declaration;
}

sdk::IndicatorDeclaration count(std::string id, sdk::LocalizedText name, std::string unit,
                                sdk::LocalizedText description, const std::string& from_where) {
  return sdk::sqlIndicator(std::move(id), std::move(name), sdk::Measure::Count, std::move(unit),
                           std::move(description), "SELECT COUNT(*)" + from_where,
                           "SELECT r.township, COUNT(*)" + from_where + " GROUP BY r.township");
}

// The period's days once each, so every statement binds :county, :from and :to once.
const char* kPeriod = " JOIN (SELECT CAST(:from AS TEXT) AS f, CAST(:to AS TEXT) AS d) q ON 1 = 1";

}  // namespace

std::vector<sdk::IndicatorDeclaration> resettlementIndicators() {
  const std::string receptions =
      std::string(" FROM vt_receptions r") + kPeriod + " WHERE r.county_code = :county";
  std::vector<sdk::IndicatorDeclaration> list;
  list.push_back(count("resettlement_received", {"接收退役士兵", "Retired soldiers received"},
                       "persons",
                       {"报到日期在期间内（不含视为放弃安置待遇者）",
                        "Reported in the period (not those treated as waived under §51)"},
                       receptions + " AND r.reported_on >= q.f AND r.reported_on <= q.d AND"
                                    " r.waived_on IS NULL"));
  const std::pair<const char*, sdk::LocalizedText> types[] = {
      {"self_employment", {"自主就业", "self-employment"}},
      {"job_placement", {"安排工作", "job placement"}},
      {"retirement", {"退休", "retirement"}},
      {"state_care", {"供养", "state care"}}};
  for (const auto& [type, label] : types)
    list.push_back(count(std::string("resettled_") + type,
                         {"安置人数：" + label.zh, "Resettled by " + label.en}, "persons",
                         {"安置方式确定日期在期间内，方式为" + label.zh,
                          "Resettlement type decided in the period: " + label.en},
                         receptions + " AND r.type = '" + type +
                             "' AND r.type_decided_on >= q.f AND r.type_decided_on <= q.d"));
  // Bound in order: county, from, to.
  const std::string cohort =
      " FROM vt_receptions r WHERE r.county_code = :c AND r.placement_due >= :f AND"
      " r.placement_due <= :t";
  list.push_back(rate(
      "resettlement_placed_within_6_months_permille",
      {"6个月内完成安排工作比例（‰）", "Job placements completed within 6 months (per mille)"},
      {"安置期限（报到后6个月）在期间内的安排工作对象中，期限内已开具介绍信者所占比例，四舍五入",
       "Of the job-placement soldiers whose 6 months after the report end in the period, the "
       "share with a placement letter (not withdrawn) by then, half up"},
      "SELECT r.township, SUM(CASE WHEN EXISTS (SELECT 1 FROM vt_placements l WHERE"
      " l.reception_id = r.id AND l.status <> 'withdrawn' AND l.letter_on <= r.placement_due)"
      " THEN 1 ELSE 0 END), COUNT(*)" +
          cohort + " GROUP BY r.township"));
  list.push_back(rate(
      "resettlement_training_rate_permille",
      {"自主就业退役士兵参训率（‰）", "Self-employed soldiers trained (per mille)"},
      {"期间内确定自主就业的退役士兵中，期末前参加过培训者所占比例，四舍五入",
       "Of the soldiers resettled by self-employment in the period, the share who took part in "
       "a training by the period's end, half up"},
      "SELECT r.township, SUM(CASE WHEN EXISTS (SELECT 1 FROM vt_trainings t WHERE"
      " t.reception_id = r.id AND t.start_on <= q.d) THEN 1 ELSE 0 END), COUNT(*) FROM"
      " vt_receptions r JOIN (SELECT CAST(:c AS TEXT) AS c, CAST(:f AS TEXT) AS f, CAST(:t AS"
      " TEXT) AS d) q ON 1 = 1 WHERE r.county_code = q.c AND r.type = 'self_employment' AND"
      " r.type_decided_on >= q.f AND r.type_decided_on <= q.d GROUP BY r.township"));
  list.push_back(count("resettlement_training_participants",
                       {"参加培训的退役士兵", "Retired soldiers in training"}, "persons",
                       {"培训开始日期在期间内（一人多次计一次）",
                        "Soldiers with a training that started in the period (once each)"},
                       receptions + " AND EXISTS (SELECT 1 FROM vt_trainings t WHERE"
                                    " t.reception_id = r.id AND t.start_on >= q.f AND"
                                    " t.start_on <= q.d)"));
  list.push_back(count(
      "resettlement_reports_overdue", {"逾期未报到", "Reports overdue"}, "persons",
      {"期末日已过报到期限仍未报到（未视为放弃、未死亡）",
       "On the period's last day, past the report deadline and not reported (not waived, not "
       "deceased)"},
      receptions + " AND r.approved_on <= q.d AND r.report_due < q.d AND (r.reported_on IS NULL"
                   " OR r.reported_on > q.d) AND (r.waived_on IS NULL OR r.waived_on > q.d) AND"
                   " (r.deceased_on IS NULL OR r.deceased_on > q.d)"));
  list.push_back(count(
      "resettlement_placements_overdue", {"逾期未完成安排工作", "Job placements overdue"},
      "persons",
      {"期末日已过报到后6个月仍未开具介绍信的安排工作对象",
       "On the period's last day, 6 months after the report passed without a placement letter"},
      receptions + " AND r.type = 'job_placement' AND r.type_decided_on <= q.d AND"
                   " r.placement_due < q.d AND (r.placement_ended_on IS NULL OR"
                   " r.placement_ended_on > q.d) AND (r.deceased_on IS NULL OR r.deceased_on >"
                   " q.d) AND NOT EXISTS (SELECT 1 FROM vt_placements l WHERE l.reception_id ="
                   " r.id AND l.letter_on <= q.d AND (l.status <> 'withdrawn' OR l.refused_on >"
                   " q.d))"));
  list.push_back(count(
      "resettlement_posts_late", {"接收单位逾期未安排上岗", "Posts late (employer)"}, "persons",
      {"期末日介绍信开具已逾30日仍未上岗",
       "On the period's last day, 30 days after the letter "
       "passed without the post"},
      " FROM vt_placements l JOIN vt_receptions r ON r.id = l.reception_id" + std::string(kPeriod) +
          " WHERE l.county_code = :county AND l.status IN ('issued', 'on_post') AND l.post_due <"
          " q.d AND (l.posted_on IS NULL OR l.posted_on > q.d)"));
  list.push_back(count(
      "resettlement_waived", {"视为放弃安置待遇", "Resettlement waived"}, "persons",
      {"逾期报到超过期限且无正当理由，放弃日期在期间内", "Treated as waived (§51) in the period"},
      receptions + " AND r.waived_on >= q.f AND r.waived_on <= q.d"));
  return list;
}

}  // namespace civ::plugins::veterans
