// The module's queries that run on every household, application or case read and every
// application, each prepared once per pooled session (sdk::KeptQuery). Parameters are listed
// beside each.
#pragma once

#include <civ/sdk/kept_query.h>

namespace civ::plugins::social_assistance {

struct KeptQueries {
  explicit KeptQueries(sdk::Storage& storage);

  sdk::KeptQuery household;                    // id (its last column: the county)
  sdk::KeptQuery household_members;            // household id
  sdk::KeptQuery household_cases;              // household id: case_detail's columns
  sdk::KeptQuery household_case_children;      // household id three times: see householdJson
  sdk::KeptQuery open_household_applications;  // household id, program
  sdk::KeptQuery active_household_cases;       // household id, program
  sdk::KeptQuery open_person_applications;     // person id, program
  sdk::KeptQuery active_person_cases;          // person id, program
  sdk::KeptQuery application;                  // id
  sdk::KeptQuery application_transitions;      // application id
  sdk::KeptQuery application_investigators;    // application id, application id
  sdk::KeptQuery application_objections;       // application id
  sdk::KeptQuery case_detail;                  // case id: caseFromRow's columns, then four more
  sdk::KeptQuery case_incomes;                 // case id
  sdk::KeptQuery case_suspensions;             // case id
};

}  // namespace civ::plugins::social_assistance
