// The columns of an organisation as organisationRow() reads them (alias o).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <civ/sdk/date.h>

namespace civ::plugins::social_orgs {

inline constexpr const char* kOrganisationColumns =
    "o.id, o.type, o.name, o.sector, o.foundation_kind, o.sponsor_unit, o.rep_citizen_id,"
    " o.rep_name, o.address, o.township, o.individual_members, o.unit_members, o.funds_fen,"
    " o.non_state_fen, o.rural_association, o.status, o.complete_on, o.decision_due,"
    " o.decided_on, o.refusal_ground, o.uscc, o.registered_on, o.first_activity_on,"
    " o.liquidation_ended_on, o.deregistration_due, o.deregistered_on, o.announced_on,"
    " o.revoked_on, o.business_scope";

/// An organisation as the routes answer it, from a row of kOrganisationColumns.
nlohmann::json organisationRow(const soci::row& row);

/// Each year an organisation owed or had an inspection, up to the last one due by `today`: its
/// result, "absent" when owed and not recorded by the registry's due day, "exempt" when not owed.
std::map<int, std::string> inspectionOutcomes(soci::session& db, std::int64_t organisation,
                                              const std::string& type, sdk::Date registered_on,
                                              sdk::Date today);
/// The same from the results already read (year → result): the years owed and not recorded
/// added as "absent" or "exempt". Lets a list read every organisation's inspections at once.
std::map<int, std::string> inspectionOutcomes(std::map<int, std::string> recorded,
                                              const std::string& type, sdk::Date registered_on,
                                              sdk::Date today);

/// The day the organisation entered the abnormal-activity list, if it is on it.
std::optional<sdk::Date> abnormalListedOn(soci::session& db, std::int64_t organisation);
/// Whether the organisation is on the serious-dishonesty list.
bool onSeriousList(soci::session& db, std::int64_t organisation);

/// Whether a penalty was decided on the organisation in `year` (grades: "penalised last year").
bool penalisedIn(soci::session& db, std::int64_t organisation, int year);
/// Whether a penalty case on the organisation is open (opened, not yet decided).
bool underInvestigation(soci::session& db, std::int64_t organisation);

/// The grade in force on `on` and the last day it holds, if any.
std::optional<std::pair<int, sdk::Date>> gradeInForce(soci::session& db, std::int64_t organisation,
                                                      sdk::Date on);

}  // namespace civ::plugins::social_orgs
