#include "host/reports/assessment_store.h"

#include <soci/soci.h>

#include <civ/sdk/sql.h>

namespace civ::host {

namespace {

constexpr const char* kItemColumns =
    "id, kind, title, responsible_unit, points, method, indicator, formula, target,"
    " mid_year_percent, per_unit";

AssessmentItem itemFrom(const soci::row& row) {
  AssessmentItem item;
  item.id = sdk::sql::int64At(row, 0);
  item.kind = sdk::sql::textAt(row, 1);
  item.title = sdk::sql::textAt(row, 2);
  item.responsible_unit = sdk::sql::textAt(row, 3);
  item.points = sdk::sql::int64At(row, 4);
  item.method = sdk::sql::textAt(row, 5);
  item.indicator = sdk::sql::textAt(row, 6);
  item.formula = sdk::sql::textAt(row, 7);
  item.target = sdk::sql::optionalInt64At(row, 8).value_or(0);
  item.mid_year_percent = sdk::sql::int64At(row, 9);
  item.per_unit = sdk::sql::optionalInt64At(row, 10).value_or(0);
  return item;
}

AssessmentPlan planFrom(const soci::row& row) {
  AssessmentPlan plan;
  plan.id = sdk::sql::int64At(row, 0);
  plan.county = sdk::sql::textAt(row, 1);
  plan.year = static_cast<int>(sdk::sql::int64At(row, 2));
  plan.title = sdk::sql::textAt(row, 3);
  plan.bonus_cap = sdk::sql::int64At(row, 4);
  plan.deduction_cap = sdk::sql::int64At(row, 5);
  plan.created_by = sdk::sql::textAt(row, 6);
  plan.created_at = sdk::sql::textAt(row, 7);
  return plan;
}

AssessmentScoring scoringFrom(const soci::row& row) {
  AssessmentScoring scoring;
  scoring.id = sdk::sql::int64At(row, 0);
  scoring.plan_id = sdk::sql::int64At(row, 1);
  scoring.stage = sdk::sql::textAt(row, 2);
  scoring.status = sdk::sql::textAt(row, 3);
  scoring.total = sdk::sql::int64At(row, 4);
  scoring.result = sdk::sql::textAt(row, 5);
  scoring.prepared_by = sdk::sql::textAt(row, 6);
  scoring.prepared_at = sdk::sql::textAt(row, 7);
  scoring.confirmed_by = sdk::sql::optionalTextAt(row, 8);
  scoring.confirmed_at = sdk::sql::optionalTextAt(row, 9);
  return scoring;
}

constexpr const char* kPlanColumns =
    "id, county_code, year, title, bonus_cap, deduction_cap, created_by, created_at";
constexpr const char* kScoringColumns =
    "id, plan_id, stage, status, total, result, prepared_by, prepared_at, confirmed_by,"
    " confirmed_at";

soci::indicator nullWhenEmpty(const std::string& text) {
  return text.empty() ? soci::i_null : soci::i_ok;
}

}  // namespace

std::vector<AssessmentPlan> AssessmentStore::plans(const std::string& county,
                                                   std::optional<int> year) {
  const int wanted = year.value_or(0);
  soci::rowset<soci::row> rows =
      (db_.prepare << "SELECT " << kPlanColumns
                   << " FROM civ_assessment_plans WHERE county_code = :c AND (:y = 0 OR year = :y2)"
                      " ORDER BY year DESC, id",
       soci::use(county), soci::use(wanted), soci::use(wanted));
  std::vector<AssessmentPlan> plans;
  for (const auto& row : rows) plans.push_back(planFrom(row));
  return plans;
}

std::optional<AssessmentPlan> AssessmentStore::plan(const std::string& county, std::int64_t id) {
  const long long wanted = id;
  std::optional<AssessmentPlan> found;
  {
    soci::rowset<soci::row> rows =
        (db_.prepare << "SELECT " << kPlanColumns
                     << " FROM civ_assessment_plans WHERE id = :id AND county_code = :c",
         soci::use(wanted), soci::use(county));
    for (const auto& row : rows) found = planFrom(row);
  }
  if (!found) return found;
  soci::rowset<soci::row> items =
      (db_.prepare << "SELECT " << kItemColumns
                   << " FROM civ_assessment_items WHERE plan_id = :p ORDER BY position, id",
       soci::use(wanted));
  for (const auto& row : items) found->items.push_back(itemFrom(row));
  return found;
}

bool AssessmentStore::planExists(const std::string& county, int year) {
  int count = 0;
  db_ << "SELECT COUNT(*) FROM civ_assessment_plans WHERE county_code = :c AND year = :y",
      soci::use(county), soci::use(year), soci::into(count);
  return count > 0;
}

std::int64_t AssessmentStore::insertPlan(const AssessmentPlan& plan) {
  long long id = 0;
  const long long bonus_cap = plan.bonus_cap;
  const long long deduction_cap = plan.deduction_cap;
  db_ << "INSERT INTO civ_assessment_plans (county_code, year, title, bonus_cap, deduction_cap,"
         " created_by, created_at) VALUES (:c, :y, :t, :b, :d, :u, :at) RETURNING id",
      soci::use(plan.county), soci::use(plan.year), soci::use(plan.title), soci::use(bonus_cap),
      soci::use(deduction_cap), soci::use(plan.created_by), soci::use(plan.created_at),
      soci::into(id);
  return id;
}

void AssessmentStore::updatePlan(const AssessmentPlan& plan) {
  const long long bonus_cap = plan.bonus_cap;
  const long long deduction_cap = plan.deduction_cap;
  const long long id = plan.id;
  db_ << "UPDATE civ_assessment_plans SET title = :t, bonus_cap = :b, deduction_cap = :d"
         " WHERE id = :id",
      soci::use(plan.title), soci::use(bonus_cap), soci::use(deduction_cap), soci::use(id);
}

std::int64_t AssessmentStore::insertItem(std::int64_t plan_id, int position,
                                         const AssessmentItem& item) {
  long long id = 0;
  const long long plan = plan_id;
  const long long points = item.points;
  const long long target = item.target;
  const long long share = item.mid_year_percent;
  const long long per_unit = item.per_unit;
  soci::indicator indicator_null = nullWhenEmpty(item.indicator);
  soci::indicator formula_null = nullWhenEmpty(item.formula);
  db_ << "INSERT INTO civ_assessment_items (plan_id, position, kind, title, responsible_unit,"
         " points, method, indicator, formula, target, mid_year_percent, per_unit)"
         " VALUES (:p, :pos, :k, :t, :r, :pts, :m, :i, :f, :tg, :s, :pu) RETURNING id",
      soci::use(plan), soci::use(position), soci::use(item.kind), soci::use(item.title),
      soci::use(item.responsible_unit), soci::use(points), soci::use(item.method),
      soci::use(item.indicator, indicator_null), soci::use(item.formula, formula_null),
      soci::use(target), soci::use(share), soci::use(per_unit), soci::into(id);
  return id;
}

void AssessmentStore::updateItem(const AssessmentItem& item) {
  const long long id = item.id;
  const long long points = item.points;
  const long long target = item.target;
  const long long share = item.mid_year_percent;
  const long long per_unit = item.per_unit;
  soci::indicator indicator_null = nullWhenEmpty(item.indicator);
  soci::indicator formula_null = nullWhenEmpty(item.formula);
  db_ << "UPDATE civ_assessment_items SET kind = :k, title = :t, responsible_unit = :r,"
         " points = :pts, method = :m, indicator = :i, formula = :f, target = :tg,"
         " mid_year_percent = :s, per_unit = :pu WHERE id = :id",
      soci::use(item.kind), soci::use(item.title), soci::use(item.responsible_unit),
      soci::use(points), soci::use(item.method), soci::use(item.indicator, indicator_null),
      soci::use(item.formula, formula_null), soci::use(target), soci::use(share),
      soci::use(per_unit), soci::use(id);
}

std::vector<AssessmentEntry> AssessmentStore::entries(std::int64_t plan_id,
                                                      const std::string& stage) {
  const long long plan = plan_id;
  soci::rowset<soci::row> rows =
      (db_.prepare << "SELECT e.item_id, e.stage, e.points, e.evidence, e.entered_by, e.entered_at"
                      " FROM civ_assessment_entries e JOIN civ_assessment_items i"
                      " ON i.id = e.item_id WHERE i.plan_id = :p AND e.stage = :s",
       soci::use(plan), soci::use(stage));
  std::vector<AssessmentEntry> found;
  for (const auto& row : rows)
    found.push_back({sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1), sdk::sql::int64At(row, 2),
                     sdk::sql::textAt(row, 3), sdk::sql::textAt(row, 4), sdk::sql::textAt(row, 5)});
  return found;
}

void AssessmentStore::putEntry(const AssessmentEntry& entry) {
  const long long item = entry.item_id;
  const long long points = entry.points;
  db_ << "DELETE FROM civ_assessment_entries WHERE item_id = :i AND stage = :s", soci::use(item),
      soci::use(entry.stage);
  db_ << "INSERT INTO civ_assessment_entries (item_id, stage, points, evidence, entered_by,"
         " entered_at) VALUES (:i, :s, :p, :e, :u, :at)",
      soci::use(item), soci::use(entry.stage), soci::use(points), soci::use(entry.evidence),
      soci::use(entry.entered_by), soci::use(entry.entered_at);
}

std::optional<AssessmentScoring> AssessmentStore::scoring(std::int64_t plan_id,
                                                          const std::string& stage) {
  const long long plan = plan_id;
  soci::rowset<soci::row> rows =
      (db_.prepare << "SELECT " << kScoringColumns
                   << " FROM civ_assessment_scorings WHERE plan_id = :p AND stage = :s",
       soci::use(plan), soci::use(stage));
  for (const auto& row : rows) return scoringFrom(row);
  return std::nullopt;
}

std::vector<AssessmentScoring> AssessmentStore::scorings(std::int64_t plan_id) {
  const long long plan = plan_id;
  soci::rowset<soci::row> rows =
      (db_.prepare << "SELECT " << kScoringColumns
                   << " FROM civ_assessment_scorings WHERE plan_id = :p ORDER BY stage",
       soci::use(plan));
  std::vector<AssessmentScoring> found;
  for (const auto& row : rows) found.push_back(scoringFrom(row));
  return found;
}

std::int64_t AssessmentStore::saveScoring(const AssessmentScoring& scoring) {
  const long long plan = scoring.plan_id;
  const long long total = scoring.total;
  db_ << "DELETE FROM civ_assessment_scorings WHERE plan_id = :p AND stage = :s"
         " AND status = 'prepared'",
      soci::use(plan), soci::use(scoring.stage);
  long long id = 0;
  db_ << "INSERT INTO civ_assessment_scorings (plan_id, stage, status, total, result,"
         " prepared_by, prepared_at) VALUES (:p, :s, 'prepared', :t, :r, :u, :at) RETURNING id",
      soci::use(plan), soci::use(scoring.stage), soci::use(total), soci::use(scoring.result),
      soci::use(scoring.prepared_by), soci::use(scoring.prepared_at), soci::into(id);
  return id;
}

void AssessmentStore::confirmScoring(std::int64_t id, const std::string& user,
                                     const std::string& at) {
  const long long scoring = id;
  db_ << "UPDATE civ_assessment_scorings SET status = 'confirmed', confirmed_by = :u,"
         " confirmed_at = :at WHERE id = :id AND status = 'prepared'",
      soci::use(user), soci::use(at), soci::use(scoring);
}

}  // namespace civ::host
