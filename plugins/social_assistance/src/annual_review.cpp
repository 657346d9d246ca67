// 年度复核: every active 低保 case of the county re-assessed at once from its household's
// records, with the same assessment as a single re-review (household_assessment.h), read with
// one statement per kind of record and written in bulk, so a county of a million persons is
// reviewed in well under a minute (bench/RESULTS.md).
//
// What it writes: a review row for every case; a new household income from next month where it
// changed (assistance.changed, an audit row per case); the next periodic review date. A household
// that no longer qualifies is not terminated here: it is flagged for a caseworker, because a
// termination needs a written notice with its reasons (审核确认办法 §29) that no batch can give.
#include <deque>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/caller.h>
#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/sql.h>
#include <civ/sdk/storage.h>

#include "case_store.h"
#include "household_assessment.h"
#include "parameters.h"
#include "social_assistance_plugin.h"

namespace civ::plugins::social_assistance {

namespace {

// What the review needs of a case, kept small: a county has 250,000 of them in memory at once.
struct ReviewedCase {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  std::optional<std::int64_t> person_id;
  std::string number;
  std::optional<std::string> due_on;
  std::int64_t current_income_fen = 0;
  std::int64_t new_income_fen = 0;
  const char* outcome = "";  // unchanged, amount_changed or ineligible_flagged
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
  // A deque: 250,000 cases are appended without moving those already there (a vector grown to
  // that size moved each about twice).
  std::deque<ReviewedCase> cases;
  std::unordered_set<std::int64_t> has_next_month_income;
  const std::string active_cases =
      " FROM sa_cases c WHERE c.county_code = :county AND c.program = 'dibao' AND"
      " c.status = 'active'";
  {
    // Typed columns fetched a block at a time (not soci::row, one value at a time).
    constexpr std::size_t kBlock = 4096;
    std::vector<long long> ids(kBlock), households(kBlock), persons(kBlock);
    std::vector<std::string> numbers(kBlock), dues(kBlock);
    std::vector<soci::indicator> due_present(kBlock), person_present(kBlock);
    soci::statement select =
        (db.prepare << "SELECT c.id, c.household_id, c.number, c.next_review_due, c.person_id" +
                           active_cases + " ORDER BY c.id",
         soci::into(ids), soci::into(households), soci::into(numbers),
         soci::into(dues, due_present), soci::into(persons, person_present), soci::use(county));
    select.execute();
    while (select.fetch()) {
      for (std::size_t i = 0; i < ids.size(); ++i) {
        ReviewedCase c;
        c.id = ids[i];
        c.household_id = households[i];
        c.number = std::move(numbers[i]);
        if (due_present[i] == soci::i_ok) c.due_on = std::move(dues[i]);
        if (person_present[i] == soci::i_ok) c.person_id = persons[i];
        cases.push_back(std::move(c));
      }
      ids.resize(kBlock);
      households.resize(kBlock);
      persons.resize(kBlock);
      numbers.resize(kBlock);
      dues.resize(kBlock);
      due_present.resize(kBlock);
      person_present.resize(kBlock);
    }
  }
  {
    // Each case's incomes in month order, walked beside the cases (both in id order): the last
    // is the current one. One scan, not two look-ups per case.
    constexpr std::size_t kBlock = 4096;
    std::vector<long long> case_ids(kBlock), incomes(kBlock);
    std::vector<std::string> months(kBlock);
    soci::statement select =
        (db.prepare << "SELECT i.case_id, i.from_month, i.household_income_fen FROM sa_cases c"
                       " JOIN sa_case_incomes i ON i.case_id = c.id WHERE c.county_code ="
                       " :county AND c.program = 'dibao' AND c.status = 'active'"
                       " ORDER BY i.case_id, i.from_month",
         soci::into(case_ids), soci::into(months), soci::into(incomes), soci::use(county));
    select.execute();
    auto current = cases.begin();
    while (select.fetch()) {
      for (std::size_t i = 0; i < case_ids.size(); ++i) {
        const std::int64_t case_id = case_ids[i];
        while (current != cases.end() && current->id < case_id) ++current;
        if (current == cases.end() || current->id != case_id) continue;
        current->current_income_fen = incomes[i];
        if (months[i] == next_month) has_next_month_income.insert(case_id);
      }
      case_ids.resize(kBlock);
      incomes.resize(kBlock);
      months.resize(kBlock);
    }
  }
  // The income of the months before this one, as a single re-review made today counts it.
  HouseholdRecords none;
  none.income_window = incomeWindowOf(policy, next, request.today());
  const auto records =
      readRecordsOfActiveDibaoHouseholds(db, county, none.income_window, cases.size());
  long long unchanged = 0, changed = 0, flagged = 0;
  for (auto& c : cases) {
    const auto found = records.find(c.household_id);
    const auto assessment = assess(found != records.end() ? found->second : none, policy, next);
    c.new_income_fen = assessment.household_income.fen();
    if (assessment.dibao.eligible && assessment.property_failures.empty()) {
      const bool same = c.new_income_fen == c.current_income_fen;
      c.outcome = same ? "unchanged" : "amount_changed";
      ++(same ? unchanged : changed);
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
      reviews->add({c.id, c.due_on ? sdk::BulkValue(*c.due_on) : sdk::BulkValue(std::monostate{}),
                    today, std::string(c.outcome), c.new_income_fen, request.caller().user,
                    note.empty() ? sdk::BulkValue(std::monostate{}) : sdk::BulkValue(note)});
    reviews->finish();
  }
  {
    auto incomes = context_->storage().bulkWriter(
        db, "sa_case_incomes", {"case_id", "from_month", "household_income_fen"});
    for (const auto& c : cases)
      if (c.outcome == std::string_view("amount_changed") && !has_next_month_income.contains(c.id))
        incomes->add({c.id, next_month, c.new_income_fen});
    incomes->finish();
  }
  // Prepared once for every case that needs them.
  long long key = 0, income = 0, household = 0;
  std::string flag;
  soci::statement set_next_month_income =
      (db.prepare << "UPDATE sa_case_incomes SET household_income_fen = :i WHERE case_id = :c AND"
                     " from_month = :m",
       soci::use(income), soci::use(key), soci::use(next_month));
  soci::statement flag_household =
      (db.prepare << "UPDATE sa_households SET review_flag = :f WHERE id = :h", soci::use(flag),
       soci::use(household));
  // The changed cases' events, published together after the loop (SDK 1.8): one bulk load of
  // the outbox, where one INSERT each was a round trip each on PostgreSQL.
  std::vector<nlohmann::json> changed_events;
  changed_events.reserve(static_cast<std::size_t>(changed));
  for (const auto& c : cases) {
    key = c.id;
    income = c.new_income_fen;
    if (c.outcome == std::string_view("amount_changed")) {
      if (has_next_month_income.contains(c.id)) set_next_month_income.execute(true);
      CaseRow changed_case;
      changed_case.id = c.id;
      changed_case.county = county;
      changed_case.number = c.number;
      changed_case.program = "dibao";
      changed_case.household_id = c.household_id;
      changed_case.person_id = c.person_id;
      changed_events.push_back(casePayload(changed_case, next_month, "amount_changed"));
      request.audit({sizeof(sdk::AuditRecord),
                     "case.review",
                     "case",
                     std::to_string(c.id),
                     {{"outcome", {{"old", nullptr}, {"new", c.outcome}}},
                      {"household_monthly_income",
                       {{"old", sdk::Money::fromFen(c.current_income_fen).toString()},
                        {"new", sdk::Money::fromFen(c.new_income_fen).toString()}}}}});
    } else if (c.outcome == std::string_view("ineligible_flagged")) {
      household = c.household_id;
      flag = "annual re-review " + today + ": no longer eligible (" + c.ineligible_because +
             "); decide and notify in writing";
      flag_household.execute(true);
      request.audit({sizeof(sdk::AuditRecord),
                     "case.review",
                     "case",
                     std::to_string(c.id),
                     {{"outcome", {{"old", nullptr}, {"new", c.outcome}}}}});
    }
  }
  context_->events().publishAll(db, kAssistanceChanged, county, changed_events);
  // The next periodic review, by the household's income stability, in one pass.
  const auto due = [&](bool unstable) {
    return request.today()
        .addMonths(static_cast<int>(policy.get(reviewMonths(unstable))))
        .toString();
  };
  const std::string due_unstable = due(true), due_stable = due(false);
  db << "UPDATE sa_cases SET next_review_due = CASE WHEN household_id IN (SELECT id FROM"
        " sa_households WHERE income_stability = 'unstable') THEN :unstable ELSE :stable END,"
        " death_review_due = NULL WHERE county_code = :county AND program = 'dibao' AND"
        " status = 'active'",
      soci::use(due_unstable), soci::use(due_stable), soci::use(county);
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
