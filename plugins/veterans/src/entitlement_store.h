// Reading what the rules need from the module's tables, and the one place that turns a change of
// a file or an entitlement into adjustments of months already run (settle).
//
// Every month of an entitlement is computed from its schedule: the entitlement (start, end),
// the file's facts, the disability assessments over time and the suspensions, with the national
// table and the county's figures in force on the month's first day.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/audit.h>
#include <civ/sdk/date.h>
#include <civ/sdk/money.h>
#include <civ/sdk/month.h>

#include "national_table.h"
#include "veterans_rules.h"

namespace soci {
class session;
}
namespace civ::sdk {
class Context;
class Request;
}  // namespace civ::sdk

namespace civ::plugins::veterans {

/// Records one audited change: request.audit in a handler, events().audit in an event handler.
using Auditor = std::function<void(const sdk::AuditRecord&)>;

/// The rows of the national table the county sees (the bundled table and its own imports).
NationalTable loadTable(soci::session& db, const std::string& county);

/// The county's own figures in force on `on`.
LocalFigures localFigures(const sdk::Context& context, const std::string& county, sdk::Date on);

/// A beneficiary's file as the rules and the scope checks need it.
struct BeneficiaryRow {
  std::int64_t id = 0;
  std::string county;
  std::string number;
  std::int64_t person_id = 0;
  std::string name;
  std::string township;
  std::string status;  ///< active, deceased
  std::optional<sdk::Date> death_date;
  std::optional<std::int64_t> fallen_id;
  std::optional<std::int64_t> agent_person_id;
  std::optional<sdk::Date> discharged_on;
  std::optional<sdk::Date> transfer_received_on;
  BeneficiaryFacts facts;
  std::vector<Award> awards;

  /// Who receives the money: the agent (代领人) when one is recorded, else the person.
  std::int64_t payee() const { return agent_person_id.value_or(person_id); }
};

std::optional<BeneficiaryRow> findBeneficiary(soci::session& db, const std::string& county,
                                              std::int64_t id);
/// The beneficiary in the request's path: NotFound outside the county, 403 outside the caller's
/// townships.
BeneficiaryRow scopedBeneficiary(sdk::Request& request, std::int64_t id);
/// The beneficiary a body field names: ValidationError (rule "known-beneficiary") when there is
/// none in the county; 403 outside the caller's townships.
BeneficiaryRow beneficiaryField(sdk::Request& request, std::int64_t id, const std::string& field);

/// One disability assessment.
struct AssessmentRow {
  std::int64_t id = 0;
  Disability disability;
  std::string certificate_number;
  sdk::Date assessed_on;
  sdk::Month effective_month;
};
/// A file's assessments, oldest first.
std::vector<AssessmentRow> assessmentsOf(soci::session& db, std::int64_t beneficiary_id);
/// The assessment in force in `month`: the latest effective on or before it (the first one
/// before any takes effect: a pension starts only after confirmation anyway).
std::optional<Disability> disabilityIn(const std::vector<AssessmentRow>& assessments,
                                       sdk::Month month);

/// An entitlement row.
struct EntitlementRow {
  std::int64_t id = 0;
  std::string county;
  std::string number;
  std::int64_t beneficiary_id = 0;
  std::string type;
  std::string status;  ///< proposed, active, ended, cancelled
  std::optional<sdk::Month> start_month;
  std::optional<sdk::Month> end_month;
  std::optional<std::string> end_reason;
  std::optional<std::int64_t> fallen_id;
  std::optional<sdk::Money> amount;  ///< one-time payments
  std::string proposed_by;
  std::string township;  ///< the beneficiary's
};

std::optional<EntitlementRow> findEntitlement(soci::session& db, const std::string& county,
                                              std::int64_t id);
/// The entitlement in the request's path: NotFound outside the county, 403 outside the caller's
/// townships.
EntitlementRow scopedEntitlement(sdk::Request& request, std::int64_t id);

std::vector<Suspension> suspensionsOf(soci::session& db, std::int64_t entitlement_id);

/// Everything one periodic entitlement's months are computed from.
struct Schedule {
  EntitlementRow entitlement;
  BeneficiaryRow beneficiary;
  std::vector<AssessmentRow> assessments;
  std::vector<Suspension> suspensions;

  PeriodicFacts factsIn(sdk::Month month) const;
};

/// The schedule of one entitlement.
Schedule scheduleOf(soci::session& db, const EntitlementRow& entitlement);
/// The schedule of each of the county's periodic entitlements that may pay `month` (confirmed,
/// started by then, not ended before), in entitlement order, read in three statements whatever
/// their number and never held at once: `visit` sees each schedule only during the call.
void forEachSchedulePaying(soci::session& db, const std::string& county, sdk::Month month,
                           const std::function<void(const Schedule&)>& visit);

/// What the entitlement owes for `month` as things stand (0 outside start..end, suspended, or
/// for a one-time type).
sdk::Money dueFor(const Schedule& schedule, sdk::Month month, const NationalTable& table,
                  const LocalFigures& local);

/// Brings the months already run (a payment run of the county exists for them, prepared or
/// confirmed) in line with what the entitlement owes now: for each such month, what is due
/// minus what its lines paid and its adjustments not yet paid will pay becomes an adjustment
/// (kind "adjustment", negative to recover), paid by the next run. Each adjustment is audited.
/// Returns the adjustments made ({id, month, amount}).
nlohmann::json settle(soci::session& db, const sdk::Context& context, const Schedule& schedule,
                      const std::string& source, const std::string& reason,
                      const std::string& recorded_by, sdk::Date today, const Auditor& audit);

/// Inserts a line owed once (funeral aid, a one-time payment, a visit, an adjustment) and
/// returns its id.
std::int64_t insertDue(soci::session& db, const std::string& county, std::int64_t entitlement_id,
                       const std::string& kind, const std::string& source, sdk::Month month,
                       std::optional<sdk::Month> payable_from, sdk::Money amount,
                       const std::string& reason, const std::string& recorded_by, sdk::Date today,
                       std::optional<std::int64_t> campaign_id = std::nullopt);

/// The awards of a JSON column ([{level, name}]).
std::vector<Award> awardsOf(const nlohmann::json& awards);

}  // namespace civ::plugins::veterans
