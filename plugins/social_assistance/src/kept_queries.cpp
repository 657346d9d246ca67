#include "kept_queries.h"

#include <string>

#include "case_store.h"

namespace civ::plugins::social_assistance {

namespace {
const char* const kOpenApplications =
    " = :k AND program = :p AND status NOT IN ('approved', 'refused', 'discontinued')";
const char* const kActiveCases = " = :k AND program = :p AND status = 'active'";
// An application's columns as applicationJson reads them (kApplicationListColumn of them).
const char* const kApplicationColumns =
    "number, household_id, program, status, received_on, accepted_on, investigation_started_on,"
    " investigated_on, township_reviewed_on, township_opinion, notice_location, notice_from,"
    " notice_until, decided_on, decision, refusal_reason, submitted_by, decided_by,"
    " missing_documents, extended, support_mode, self_care_failed_items, temporary_kind,"
    " requested_amount_fen, person_id";
// After kCaseColumns, the columns caseJson adds (kCaseColumnCount onwards).
const char* const kCaseDetailColumns =
    ", c.next_review_due, c.death_review_due, c.termination_reason, c.phase_out_from";

// A list entry's columns (kCaseListColumn): kind (1 an income, 2 a suspension, 3 a support
// mode), from_month, until_month or the mode, reason, amount, seq; each branch selects the
// lists of the cases whose `key` column (of sa_cases) is its parameter, so neither engine reads
// a list beyond them. Three placeholders, each named once: SQLite binds a repeated name once.
std::string caseListsSql(const std::string& key) {
  const auto these_cases = [&](int n) {
    return " IN (SELECT id FROM sa_cases WHERE " + key + " = :k" + std::to_string(n) + ")";
  };
  return "SELECT i.case_id, CAST(1 AS BIGINT) AS kind, i.from_month,"
         " CAST(NULL AS TEXT) AS until_month, CAST(NULL AS TEXT) AS reason,"
         " i.household_income_fen AS amount, CAST(0 AS BIGINT) AS seq FROM sa_case_incomes i"
         " WHERE i.case_id" +
         these_cases(1) +
         " UNION ALL SELECT s.case_id, CAST(2 AS BIGINT), s.from_month, s.until_month, s.reason,"
         " CAST(0 AS BIGINT), s.id FROM sa_suspensions s WHERE s.case_id" +
         these_cases(2) +
         " UNION ALL SELECT m.case_id, CAST(3 AS BIGINT), m.from_month, m.support_mode, m.reason,"
         " CAST(0 AS BIGINT), CAST(0 AS BIGINT) FROM sa_support_modes m WHERE m.case_id" +
         these_cases(3);
}
}  // namespace

KeptQueries::KeptQueries(sdk::Storage& storage)
    : household_with_members(
          storage,
          "SELECT h.number, h.category, h.township, h.village, h.hukou_address,"
          " h.residence_address, h.income_stability, h.bank_name, h.bank_account, h.created_on,"
          " h.review_flag, h.county_code,"
          // Whether there are cases to read at all: most households read have none, and an
          // index probe here costs less than the cases' own round trip (PostgreSQL).
          " (SELECT COUNT(*) FROM sa_cases c WHERE c.household_id = h.id),"
          " m.id, p.citizen_id, p.name, m.relationship, m.lives_together, m.inclusion_reason,"
          " m.work_capacity, m.disability_grade, m.disability_type, m.serious_illness, m.student,"
          " m.needs_long_term_care, m.joined_on, m.left_on, m.left_reason, p.id"
          " FROM sa_households h LEFT JOIN sa_members m ON m.household_id = h.id"
          " LEFT JOIN civ_persons p ON p.id = m.person_id WHERE h.id = :id ORDER BY m.id"),
      household_cases(storage, std::string(kCaseColumns) + kCaseDetailColumns + kCaseTables +
                                   " WHERE c.household_id = :h ORDER BY c.id"),
      // In each list's own order: case, kind, then the suspension's id or the month.
      household_case_lists(storage, caseListsSql("household_id") + " ORDER BY 1, 2, 7, 3"),
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
      // The application joined to its three lists, one entry per row (a write's answer reads
      // it while it holds the write turn; a submission's on PostgreSQL comes from
      // submit_application): its transitions in order, the investigators of its latest round
      // by name, its objections in order. Every application has its submission's transition.
      application_with_lists(
          storage,
          std::string("SELECT ") + kApplicationColumns +
              ", x.kind, x.seq, x.a, x.b, x.c, x.d, x.e FROM sa_applications LEFT JOIN ("
              "SELECT 't' AS kind, id AS seq, from_status AS a, to_status AS b, on_date AS c,"
              " by_user AS d, note AS e FROM sa_transitions WHERE application_id = :id1"
              " UNION ALL SELECT 'i', 0, investigator, NULL, NULL, NULL, NULL"
              " FROM sa_investigators WHERE application_id = :id2 AND round ="
              " (SELECT MAX(round) FROM sa_investigators WHERE application_id = :id3)"
              " UNION ALL SELECT 'o', id, raised_on, content, resolution, NULL, NULL"
              " FROM sa_objections WHERE application_id = :id4"
              ") x ON 1 = 1 WHERE sa_applications.id = :id0 ORDER BY x.kind, x.seq, x.a"),
      // The case joined to its list entries, one per row (one row with kind NULL if none).
      case_with_lists(storage, std::string(kCaseColumns) + kCaseDetailColumns +
                                   ", x.kind, x.from_month, x.until_month, x.reason, x.amount,"
                                   " x.seq" +
                                   kCaseTables + " LEFT JOIN (" + caseListsSql("id") +
                                   ") x ON x.case_id = c.id WHERE c.id = :k4"
                                   " ORDER BY x.kind, x.seq, x.from_month"),
      household_scope(storage, "SELECT county_code, township FROM sa_households WHERE id = :id"),
      current_member(storage,
                     "SELECT p.id FROM sa_members m JOIN civ_persons p ON p.id = m.person_id"
                     " WHERE m.household_id = :h AND p.citizen_id = :c AND m.left_on IS NULL"),
      next_number(storage,
                  "INSERT INTO sa_counters (county_code, kind, year, last_value) VALUES (:county,"
                  " :kind, :year, 1) ON CONFLICT (county_code, kind, year) DO UPDATE SET"
                  " last_value = sa_counters.last_value + 1 RETURNING last_value"),
      insert_application(
          storage,
          "INSERT INTO sa_applications (county_code, number, household_id, applicant_person_id,"
          " person_id, program, status, received_on, accepted_on, submitted_by,"
          " missing_documents, extended, support_mode, self_care_failed_items, temporary_kind,"
          " requested_amount_fen) VALUES (:county, :number, :h, :applicant, :person, :program,"
          " :status, :received, :accepted, :by, :missing, :extended, :mode, :failed, :kind,"
          " :requested) RETURNING id"),
      insert_transition(storage,
                        "INSERT INTO sa_transitions (application_id, from_status, to_status,"
                        " on_date, by_user, note) VALUES (:id, :f, :t, :d, :u, :n) RETURNING id"),
      lists(storage) {
  if (storage.dialect() != sdk::Dialect::Postgresql) return;
  // The number as nextNumber formats it (six digits at least, never cut); the answer is an
  // application_with_lists row (the new application and its one transition), then the new id.
  submit_application.emplace(
      storage,
      std::string(
          "WITH counter AS (INSERT INTO sa_counters (county_code, kind, year, last_value)"
          " VALUES (:county, :kind, :year, 1) ON CONFLICT (county_code, kind, year) DO UPDATE SET"
          " last_value = sa_counters.last_value + 1 RETURNING last_value),"
          " application AS (INSERT INTO sa_applications (county_code, number, household_id,"
          " applicant_person_id, person_id, program, status, received_on, accepted_on,"
          " submitted_by, missing_documents, extended, support_mode, self_care_failed_items,"
          " temporary_kind, requested_amount_fen) SELECT :county2, :prefix || CASE WHEN"
          " last_value < 1000000 THEN lpad(last_value::text, 6, '0') ELSE last_value::text END,"
          " :h, :applicant, :person, :program, :status, :received, :accepted, :by, :missing,"
          " :extended, :mode, :failed, :temporary, :requested FROM counter RETURNING *),"
          " transition AS (INSERT INTO sa_transitions (application_id, from_status, to_status,"
          " on_date, by_user, note) SELECT id, NULL, status, received_on, submitted_by, :note"
          " FROM application RETURNING application_id, 't' AS kind, id AS seq, from_status AS a,"
          " to_status AS b, on_date AS c, by_user AS d, note AS e) SELECT ") +
          kApplicationColumns +
          ", t.kind, t.seq, t.a, t.b, t.c, t.d, t.e, application.id FROM application"
          " JOIN transition t ON t.application_id = application.id");
}

}  // namespace civ::plugins::social_assistance
