#include "kept_queries.h"

#include <string>

#include "case_store.h"

namespace civ::plugins::social_assistance {

namespace {
const char* const kOpenApplications =
    " = :k AND program = :p AND status NOT IN ('approved', 'refused', 'discontinued')";
const char* const kActiveCases = " = :k AND program = :p AND status = 'active'";
// After kCaseColumns, the columns caseJson adds (kCaseColumnCount onwards).
const char* const kCaseDetailColumns =
    ", c.next_review_due, c.death_review_due, c.termination_reason, c.phase_out_from";
}  // namespace

KeptQueries::KeptQueries(sdk::Storage& storage)
    : household(storage,
                "SELECT number, category, township, village, hukou_address, residence_address,"
                " income_stability, bank_name, bank_account, created_on, review_flag,"
                " county_code FROM sa_households WHERE id = :id"),
      household_members(
          storage,
          "SELECT m.id, p.citizen_id, p.name, m.relationship, m.lives_together,"
          " m.inclusion_reason, m.work_capacity, m.disability_grade, m.disability_type,"
          " m.serious_illness, m.student, m.needs_long_term_care, m.joined_on, m.left_on,"
          " m.left_reason, p.id FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
          " WHERE m.household_id = :h ORDER BY m.id"),
      household_cases(storage, std::string(kCaseColumns) + kCaseDetailColumns + kCaseTables +
                                   " WHERE c.household_id = :h ORDER BY c.id"),
      // Every case's incomes (kind 1), suspensions (2) and support modes (3) in one statement,
      // in each list's own order: case, kind, then the suspension's id or the month.
      household_case_children(
          storage,
          "SELECT i.case_id, CAST(1 AS BIGINT) AS kind, i.from_month,"
          " CAST(NULL AS TEXT) AS until_month, CAST(NULL AS TEXT) AS reason,"
          " i.household_income_fen AS amount, CAST(0 AS BIGINT) AS seq"
          " FROM sa_case_incomes i JOIN sa_cases c ON c.id = i.case_id WHERE c.household_id = :h1"
          " UNION ALL SELECT s.case_id, CAST(2 AS BIGINT), s.from_month, s.until_month, s.reason,"
          " CAST(0 AS BIGINT), s.id"
          " FROM sa_suspensions s JOIN sa_cases c ON c.id = s.case_id WHERE c.household_id = :h2"
          " UNION ALL SELECT m.case_id, CAST(3 AS BIGINT), m.from_month, m.support_mode, m.reason,"
          " CAST(0 AS BIGINT), CAST(0 AS BIGINT)"
          " FROM sa_support_modes m JOIN sa_cases c ON c.id = m.case_id WHERE c.household_id = :h3"
          " ORDER BY 1, 2, 7, 3"),
      open_household_applications(
          storage, std::string("SELECT COUNT(*) FROM sa_applications WHERE household_id") +
                       kOpenApplications),
      active_household_cases(
          storage, std::string("SELECT COUNT(*) FROM sa_cases WHERE household_id") + kActiveCases),
      open_person_applications(
          storage,
          std::string("SELECT COUNT(*) FROM sa_applications WHERE person_id") + kOpenApplications),
      active_person_cases(
          storage, std::string("SELECT COUNT(*) FROM sa_cases WHERE person_id") + kActiveCases),
      application(storage,
                  "SELECT number, household_id, program, status, received_on, accepted_on,"
                  " investigation_started_on, investigated_on, township_reviewed_on,"
                  " township_opinion, notice_location, notice_from, notice_until, decided_on,"
                  " decision, refusal_reason, submitted_by, decided_by, missing_documents,"
                  " extended, support_mode, self_care_failed_items, temporary_kind,"
                  " requested_amount_fen, person_id FROM sa_applications WHERE id = :id"),
      application_transitions(storage,
                              "SELECT from_status, to_status, on_date, by_user, note"
                              " FROM sa_transitions WHERE application_id = :id ORDER BY id"),
      application_investigators(
          storage,
          "SELECT investigator FROM sa_investigators WHERE application_id = :id1"
          " AND round = (SELECT MAX(round) FROM sa_investigators WHERE application_id = :id2)"
          " ORDER BY investigator"),
      application_objections(storage,
                             "SELECT raised_on, content, resolution FROM sa_objections"
                             " WHERE application_id = :id ORDER BY id"),
      case_detail(storage, std::string(kCaseColumns) + kCaseDetailColumns + kCaseTables +
                               " WHERE c.id = :id"),
      case_incomes(storage,
                   "SELECT from_month, household_income_fen FROM sa_case_incomes"
                   " WHERE case_id = :id ORDER BY from_month"),
      case_suspensions(storage,
                       "SELECT from_month, until_month, reason FROM sa_suspensions"
                       " WHERE case_id = :id ORDER BY id") {}

}  // namespace civ::plugins::social_assistance
