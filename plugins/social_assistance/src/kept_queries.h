// The module's queries that run on every household, application or case read and every
// application, each prepared once per pooled session (sdk::KeptQuery). Parameters are listed
// beside each.
#pragma once

#include <cstddef>
#include <optional>

#include <civ/sdk/kept_query.h>

#include "case_store.h"

namespace civ::plugins::social_assistance {

/// In a household_with_members row: the household's count of cases (after its own columns),
/// then where the member's columns start.
inline constexpr std::size_t kHouseholdCaseCountColumn = 12;
inline constexpr std::size_t kMemberColumn = 13;
/// In a case_with_lists row: where a list entry's columns start, after the case's
/// (kCaseColumnCount, then next_review_due, death_review_due, termination_reason,
/// phase_out_from). In a household_case_lists row they start after the case id.
inline constexpr std::size_t kCaseListColumn = kCaseColumnCount + 4;
inline constexpr std::size_t kHouseholdCaseListColumn = 1;
/// In an application_with_lists row: where a list entry's columns start: kind ('t' a
/// transition, 'i' an investigator, 'o' an objection), seq, then five values by kind.
inline constexpr std::size_t kApplicationListColumn = 25;

struct KeptQueries {
  explicit KeptQueries(sdk::Storage& storage);

  // A household read is one statement, three when it has cases, whatever its members and
  // cases: the household row joined to its members (with its count of cases), its cases, then
  // all their lists at once.
  sdk::KeptQuery household_with_members;  // household id: the household's columns, then a member's
  sdk::KeptQuery household_cases;         // household id: case_with_lists' case columns
  sdk::KeptQuery household_case_lists;    // household id three times: case id, then a list entry
  sdk::KeptQuery open_household_applications;  // household id, program
  sdk::KeptQuery active_household_cases;       // household id, program
  sdk::KeptQuery open_person_applications;     // person id, program
  sdk::KeptQuery active_person_cases;          // person id, program
  sdk::KeptQuery application_with_lists;       // application id five times: the application's
                                          // columns, then a list entry (kApplicationListColumn)
  sdk::KeptQuery case_with_lists;  // case id four times: the case, then one list entry per row
  // The checks and writes of every new application (the number also of a household and a case).
  sdk::KeptQuery household_scope;     // household id: county_code, township
  sdk::KeptQuery current_member;      // household id, citizen id: the person's id
  sdk::KeptQuery next_number;         // county, kind, year: the counter's value after the upsert
  sdk::KeptQuery insert_application;  // the 16 values of submitApplication, NULL where absent:
                                      // the new id
  sdk::KeptQuery insert_transition;   // application id, from status (NULL at submission), to
                                      // status, date, user, note: the new id
  // PostgreSQL only: next_number, insert_application, insert_transition and the answer's
  // application_with_lists of a submission in one statement. The counter's row stays locked
  // from its increment to the commit, so every round trip after it is one the county's other
  // submissions wait for. Parameters: county, number kind, year, county, the number's prefix,
  // then insert_application's values from the household on, then the transition's note;
  // answers one application_with_lists row followed by the new id. Empty on SQLite, which has
  // no data-modifying WITH (and whose write lock is taken at BEGIN anyway).
  std::optional<sdk::KeptQuery> submit_application;
  // The lists' statements, one per combination of filters (sdk::ListQuery).
  sdk::KeptQueryCache lists;
};

}  // namespace civ::plugins::social_assistance
