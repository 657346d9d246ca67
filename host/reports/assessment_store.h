// The assessment plans' tables (civ_assessment_*; host migration 9): plans per county and year,
// their items, the points people entered per stage, and each stage's scoring with its lines as
// they were when prepared, frozen once a second person confirmed it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "host/reports/assessment_scoring.h"

namespace soci {
class session;
}

namespace civ::host {

struct AssessmentPlan {
  std::int64_t id = 0;
  std::string county;
  int year = 0;
  std::string title;
  std::int64_t bonus_cap = 0;      ///< hundredths of a point
  std::int64_t deduction_cap = 0;  ///< hundredths of a point
  std::string created_by;
  std::string created_at;
  std::vector<AssessmentItem> items;  ///< in the plan's order
};

struct AssessmentEntry {
  std::int64_t item_id = 0;
  std::string stage;
  std::int64_t points = 0;
  std::string evidence;
  std::string entered_by;
  std::string entered_at;
};

struct AssessmentScoring {
  std::int64_t id = 0;
  std::int64_t plan_id = 0;
  std::string stage;
  std::string status;  ///< "prepared" or "confirmed"
  std::int64_t total = 0;
  std::string result;  ///< the PlanScore as JSON text
  std::string prepared_by;
  std::string prepared_at;
  std::optional<std::string> confirmed_by;
  std::optional<std::string> confirmed_at;
};

class AssessmentStore {
 public:
  explicit AssessmentStore(soci::session& db) : db_(db) {}

  /// The county's plans, newest year first, without their items.
  std::vector<AssessmentPlan> plans(const std::string& county, std::optional<int> year);
  /// A plan of the county with its items; nullopt when there is none (or another county's).
  std::optional<AssessmentPlan> plan(const std::string& county, std::int64_t id);
  bool planExists(const std::string& county, int year);
  std::int64_t insertPlan(const AssessmentPlan& plan);
  void updatePlan(const AssessmentPlan& plan);
  std::int64_t insertItem(std::int64_t plan_id, int position, const AssessmentItem& item);
  void updateItem(const AssessmentItem& item);

  std::vector<AssessmentEntry> entries(std::int64_t plan_id, const std::string& stage);
  /// Inserts or replaces the item's entry for the stage.
  void putEntry(const AssessmentEntry& entry);

  std::optional<AssessmentScoring> scoring(std::int64_t plan_id, const std::string& stage);
  std::vector<AssessmentScoring> scorings(std::int64_t plan_id);
  /// Inserts the stage's scoring or replaces a prepared one (never a confirmed one).
  std::int64_t saveScoring(const AssessmentScoring& scoring);
  void confirmScoring(std::int64_t id, const std::string& user, const std::string& at);

 private:
  soci::session& db_;
};

}  // namespace civ::host
