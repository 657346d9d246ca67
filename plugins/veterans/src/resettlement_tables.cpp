// The resettlement tables (appended to the plugin's migration 1) and the parameters it declares.
// Dates are ISO text on both engines; money is BIGINT fen; every business row carries its
// county; every column pointing at another row leads an index.
#include "resettlement.h"
#include "resettlement_parameters.h"

namespace civ::plugins::veterans {

std::vector<std::string> resettlementTableStatements() {
  return {
      // One reception per soldier and approval to leave: the file (档案), the report (报到) with
      // its limits fixed when recorded, the resettlement type and, for 自主就业, the lump sums
      // computed when the type was decided.
      "CREATE TABLE vt_receptions ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, person_id BIGINT NOT NULL REFERENCES"
      " civ_persons(id), township TEXT NOT NULL, rank_type TEXT NOT NULL CHECK (rank_type IN"
      " ('conscript', 'junior_nco', 'intermediate_nco', 'senior_nco')), enlisted_on TEXT NOT"
      " NULL, approved_on TEXT NOT NULL, enlistment_hukou_county TEXT NOT NULL, placement_basis"
      " TEXT NOT NULL, basis_document TEXT, file_received_on TEXT, report_by TEXT, report_due"
      " TEXT NOT NULL, waived_after TEXT NOT NULL, reported_on TEXT, report_timing TEXT,"
      " late_reason TEXT, reason_status TEXT CHECK (reason_status IN ('pending', 'accepted',"
      " 'rejected')), reason_recorded_by TEXT, reason_reviewed_by TEXT, reason_reviewed_on TEXT,"
      " reason_review_note TEXT, waived_on TEXT, awards TEXT NOT NULL, disability_nature TEXT"
      " CHECK (disability_nature IN ('war', 'duty', 'illness')), disability_grade INTEGER CHECK"
      " (disability_grade BETWEEN 1 AND 10), martyr_child INTEGER NOT NULL, serious_illness"
      " INTEGER NOT NULL, party_expelled INTEGER NOT NULL, criminal_record INTEGER NOT NULL,"
      " forced_discharge INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN"
      " ('awaiting_report', 'reason_pending', 'waived', 'reported', 'resettled',"
      " 'awaiting_placement', 'placed', 'placement_waived', 'deceased')), type TEXT CHECK (type"
      " IN ('self_employment', 'job_placement', 'retirement', 'state_care')), type_decided_on"
      " TEXT, type_decided_by TEXT, type_conditions TEXT, placement_due TEXT,"
      " placement_ended_on TEXT, service_half_years INTEGER, lump_per_year_fen BIGINT,"
      " lump_base_fen BIGINT, honours_percent INTEGER, honours_award TEXT,"
      " honours_supplement_fen BIGINT, lump_sum_fen BIGINT, local_grant_fen BIGINT, deceased_on"
      " TEXT, created_by TEXT NOT NULL, created_on TEXT NOT NULL, UNIQUE (person_id,"
      " approved_on))",
      "CREATE INDEX vt_receptions_person ON vt_receptions (person_id)",
      "CREATE INDEX vt_receptions_county ON vt_receptions (county_code, status, township)",
      "CREATE INDEX vt_receptions_due ON vt_receptions (county_code, report_due)",
      "CREATE INDEX vt_receptions_type ON vt_receptions (county_code, type, type_decided_on)",
      // Placement letters (安排工作介绍信): one active at a time; a letter refused for a good
      // reason is withdrawn and another may follow.
      "CREATE TABLE vt_placements ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, reception_id BIGINT NOT NULL"
      " REFERENCES vt_receptions(id), letter_number TEXT NOT NULL, letter_on TEXT NOT NULL,"
      " employer TEXT NOT NULL, employer_kind TEXT NOT NULL, score TEXT, post_due TEXT NOT NULL,"
      " posted_on TEXT, status TEXT NOT NULL CHECK (status IN ('issued', 'on_post', 'refused',"
      " 'withdrawn')), refused_on TEXT, refusal_reason TEXT, good_reason INTEGER, created_by"
      " TEXT NOT NULL)",
      "CREATE INDEX vt_placements_reception ON vt_placements (reception_id)",
      "CREATE INDEX vt_placements_county ON vt_placements (county_code, letter_on)",
      "CREATE UNIQUE INDEX vt_placements_one_active ON vt_placements (reception_id) WHERE"
      " status IN ('issued', 'on_post')",
      // Training records (适应性培训, 职业技能培训, 学历教育).
      "CREATE TABLE vt_trainings ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, reception_id BIGINT NOT NULL"
      " REFERENCES vt_receptions(id), kind TEXT NOT NULL CHECK (kind IN ('adaptive',"
      " 'vocational', 'academic', 'entrepreneurship')), course TEXT NOT NULL, provider TEXT NOT"
      " NULL, start_on TEXT NOT NULL, end_on TEXT, completed INTEGER NOT NULL, certificate TEXT,"
      " created_by TEXT NOT NULL)",
      "CREATE INDEX vt_trainings_reception ON vt_trainings (reception_id)",
      "CREATE INDEX vt_trainings_county ON vt_trainings (county_code, start_on)",
      // Resettlement payments, prepared by one approver and confirmed by another (four-eyes):
      // the one-time lump sums of 自主就业 and the living allowance while waiting for a post.
      "CREATE TABLE vt_resettlement_payments ("
      " id {{ID_PRIMARY_KEY}}, county_code TEXT NOT NULL, reception_id BIGINT NOT NULL"
      " REFERENCES vt_receptions(id), kind TEXT NOT NULL CHECK (kind IN ('lump_sum',"
      " 'local_grant', 'living_allowance')), period_from TEXT, period_to TEXT, amount_fen BIGINT"
      " NOT NULL, detail TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('prepared',"
      " 'confirmed', 'cancelled')), prepared_by TEXT NOT NULL, prepared_on TEXT NOT NULL,"
      " confirmed_by TEXT, confirmed_on TEXT, cancelled_by TEXT, cancelled_on TEXT,"
      " cancel_reason TEXT)",
      "CREATE INDEX vt_resettlement_payments_reception ON vt_resettlement_payments"
      " (reception_id, kind)",
      "CREATE INDEX vt_resettlement_payments_county ON vt_resettlement_payments (county_code,"
      " status)",
      "CREATE UNIQUE INDEX vt_resettlement_payments_once ON vt_resettlement_payments"
      " (reception_id, kind) WHERE kind IN ('lump_sum', 'local_grant') AND status <>"
      " 'cancelled'",
  };
}

std::vector<sdk::ParameterDeclaration> resettlementParameters() {
  return {kReportDays.declaration(),        kWaiverGraceDays.declaration(),
          kLumpSumPerYear.declaration(),    kLocalGrantBase.declaration(),
          kLocalGrantPerYear.declaration(), kMinimumWage.declaration()};
}

}  // namespace civ::plugins::veterans
