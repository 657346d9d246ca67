// 年度复核: every active 低保 case of the county re-assessed at once from its household's
// records, with the same assessment as a single re-review (household_assessment.h), read with
// one statement per kind of record and written in bulk, so a county of a million persons is
// reviewed in well under a minute (bench/RESULTS.md).
//
// What it writes: a review row for every case; a new household income from next month where it
// changed (assistance.changed, an audit row per case); the next periodic review date. A household
// that no longer qualifies is not terminated here: it is flagged for a caseworker, because a
// termination needs a written notice with its reasons (审核确认办法 §29) that no batch can give.
#include <unordered_set>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/storage.h>

#include "case_store.h"
#include "household_assessment.h"
#include "parameters.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

struct ReviewedCase {
  CaseRow row;  ///< the fields the review and its event need
  std::int64_t current_income_fen = 0;
  std::optional<std::string> due_on;
  std::string outcome;
  std::int64_t new_income_fen = 0;
  std::string ineligible_because;
};

}  // namespace

sdk::Response SocialAssistancePlugin::annualReview(sdk::Request& request) {
  sdk::requireCountyWide(request.caller(), "the annual re-review");
  auto& db = request.db();
  const std::string county = request.county();
  const sdk::Date next = firstOfNextMonth(request.today());
  const std::string next_month = monthText(next), today = request.today().toString();
  const AssistancePolicy policy(context_->policy(), county, next);
  const std::string note = request.body().value("note", "");

  // Read everything first: the bulk writer holds the session (COPY on PostgreSQL) until done.
  std::vector<ReviewedCase> cases;
  std::unordered_set<std::int64_t> has_next_month_income;
  {
    soci::rowset<soci::row> rows =
        (db.prepare << "SELECT c.id, c.household_id, c.number, c.next_review_due, c.person_id,"
                       " (SELECT i.household_income_fen FROM sa_case_incomes i WHERE i.case_id ="
                       " c.id ORDER BY i.from_month DESC LIMIT 1),"
                       " (SELECT COUNT(*) FROM sa_case_incomes i WHERE i.case_id = c.id AND"
                       " i.from_month = :next) FROM sa_cases c WHERE c.county_code = :county AND"
                       " c.program = 'dibao' AND c.status = 'active' ORDER BY c.id",
         soci::use(next_month), soci::use(county));
    for (const auto& row : rows) {
      ReviewedCase c;
      c.row.id = sdk::sql::int64At(row, 0);
      c.row.county = county;
      c.row.program = "dibao";
      c.row.household_id = sdk::sql::int64At(row, 1);
      c.row.number = sdk::sql::textAt(row, 2);
      c.due_on = sdk::sql::optionalTextAt(row, 3);
      c.row.person_id = sdk::sql::optionalInt64At(row, 4);
      c.current_income_fen = sdk::sql::optionalInt64At(row, 5).value_or(0);
      if (sdk::sql::int64At(row, 6) > 0) has_next_month_income.insert(c.row.id);
      cases.push_back(std::move(c));
    }
  }
  // The income of the months before this one, as a single re-review made today counts it.
  HouseholdRecords none;
  none.income_window = incomeWindowOf(policy, next, request.today());
  const auto records = readRecordsOfActiveDibaoHouseholds(db, county, none.income_window);
  long long unchanged = 0, changed = 0, flagged = 0;
  for (auto& c : cases) {
    const auto found = records.find(c.row.household_id);
    const auto assessment = assess(found != records.end() ? found->second : none, policy, next);
    c.new_income_fen = assessment.household_income.fen();
    if (assessment.dibao.eligible && assessment.property_failures.empty()) {
      c.outcome = c.new_income_fen == c.current_income_fen ? "unchanged" : "amount_changed";
      (c.outcome == "unchanged" ? unchanged : changed)++;
    } else {
      c.outcome = "ineligible_flagged";
      c.ineligible_because = assessment.property_failures.empty()
                                 ? "per-capita income " +
                                       assessment.dibao.per_capita_income.toString() +
                                       " not below the standard"
                                 : assessment.property_failures.front().message;
      ++flagged;
    }
  }

  {
    auto reviews = context_->storage().bulkWriter(db, "sa_reviews",
                                                  {"case_id", "due_on", "reviewed_on", "outcome",
                                                   "household_income_fen", "reviewed_by", "note"});
    for (const auto& c : cases)
      reviews->add({c.row.id,
                    c.due_on ? sdk::BulkValue(*c.due_on) : sdk::BulkValue(std::monostate{}), today,
                    c.outcome, c.new_income_fen, request.caller().user,
                    note.empty() ? sdk::BulkValue(std::monostate{}) : sdk::BulkValue(note)});
    reviews->finish();
  }
  {
    auto incomes = context_->storage().bulkWriter(
        db, "sa_case_incomes", {"case_id", "from_month", "household_income_fen"});
    for (const auto& c : cases)
      if (c.outcome == "amount_changed" && !has_next_month_income.contains(c.row.id))
        incomes->add({c.row.id, next_month, c.new_income_fen});
    incomes->finish();
  }
  for (const auto& c : cases) {
    const long long key = c.row.id, income = c.new_income_fen;
    if (c.outcome == "amount_changed") {
      if (has_next_month_income.contains(c.row.id))
        db << "UPDATE sa_case_incomes SET household_income_fen = :i WHERE case_id = :c AND"
              " from_month = :m",
            soci::use(income), soci::use(key), soci::use(next_month);
      publishCase(*context_, db, c.row, kAssistanceChanged, next_month, "amount_changed");
      request.audit({sizeof(sdk::AuditRecord),
                     "case.review",
                     "case",
                     std::to_string(c.row.id),
                     {{"outcome", {{"old", nullptr}, {"new", c.outcome}}},
                      {"household_monthly_income",
                       {{"old", sdk::Money::fromFen(c.current_income_fen).toString()},
                        {"new", sdk::Money::fromFen(c.new_income_fen).toString()}}}}});
    } else if (c.outcome == "ineligible_flagged") {
      const long long household = c.row.household_id;
      const std::string flag = "annual re-review " + today + ": no longer eligible (" +
                               c.ineligible_because + "); decide and notify in writing";
      db << "UPDATE sa_households SET review_flag = :f WHERE id = :h", soci::use(flag),
          soci::use(household);
      request.audit({sizeof(sdk::AuditRecord),
                     "case.review",
                     "case",
                     std::to_string(c.row.id),
                     {{"outcome", {{"old", nullptr}, {"new", c.outcome}}}}});
    }
  }
  // The next periodic review, by the household's income stability.
  for (const bool unstable : {false, true}) {
    const auto months = policy.get(reviewMonths(unstable));
    const std::string due = request.today().addMonths(static_cast<int>(months)).toString();
    const std::string stability = unstable ? "= 'unstable'" : "<> 'unstable'";
    db << "UPDATE sa_cases SET next_review_due = :due, death_review_due = NULL WHERE county_code"
          " = :county AND program = 'dibao' AND status = 'active' AND household_id IN (SELECT id"
          " FROM sa_households WHERE income_stability " +
              stability + ")",
        soci::use(due), soci::use(county);
  }
  request.audit({sizeof(sdk::AuditRecord), "reviews.annual", "county", county,
                 sdk::changedFields(nullptr, {{"reviewed", static_cast<long long>(cases.size())},
                                              {"unchanged", unchanged},
                                              {"amount_changed", changed},
                                              {"ineligible_flagged", flagged},
                                              {"effective_month", next_month}})});
  return sdk::Response::ok({{"reviewed", cases.size()},
                            {"unchanged", unchanged},
                            {"amount_changed", changed},
                            {"ineligible_flagged", flagged},
                            {"effective_month", next_month},
                            {"reviewed_on", today}});
}

}  // namespace civ::plugins::social_assistance
