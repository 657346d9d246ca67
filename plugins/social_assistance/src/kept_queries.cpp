#include "kept_queries.h"

#include <string>

#include "case_store.h"

namespace civ::plugins::social_assistance {

namespace {
const char* const kOpenApplications =
    " = :k AND program = :p AND status NOT IN ('approved', 'refused', 'discontinued')";
const char* const kActiveCases = " = :k AND program = :p AND status = 'active'";
}  // namespace

KeptQueries::KeptQueries(sdk::Storage& storage)
    : household(storage,
                "SELECT number, category, township, village, hukou_address, residence_address,"
                " income_stability, bank_name, bank_account, created_on, review_flag"
                " FROM sa_households WHERE id = :id"),
      household_members(
          storage,
          "SELECT m.id, p.citizen_id, p.name, m.relationship, m.lives_together,"
          " m.inclusion_reason, m.work_capacity, m.disability_grade, m.disability_type,"
          " m.serious_illness, m.student, m.needs_long_term_care, m.joined_on, m.left_on,"
          " m.left_reason, p.id FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
          " WHERE m.household_id = :h ORDER BY m.id"),
      household_case_ids(storage, "SELECT id FROM sa_cases WHERE household_id = :h ORDER BY id"),
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
      case_detail(storage, std::string(kCaseColumns) +
                               ", c.next_review_due, c.death_review_due, c.termination_reason,"
                               " c.phase_out_from" +
                               kCaseTables + " WHERE c.id = :id"),
      case_incomes(storage,
                   "SELECT from_month, household_income_fen FROM sa_case_incomes"
                   " WHERE case_id = :id ORDER BY from_month"),
      case_suspensions(storage,
                       "SELECT from_month, until_month, reason FROM sa_suspensions"
                       " WHERE case_id = :id ORDER BY id") {}

}  // namespace civ::plugins::social_assistance
