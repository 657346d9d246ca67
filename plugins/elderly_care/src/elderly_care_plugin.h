// The elderly_care module (养老机构): institutions and their filing (备案), suspension and
// closure; residents from the persons registry with ability assessments, care levels, leave and
// hospital stays, discharge and death (person.deceased); yearly safety inspections, hazards with
// rectification deadlines and penalties; construction and operating subsidies paid through the
// SDK's payment runs (prepared by one approver, confirmed by another); indicators by township.
// Rules: ../shared/domain/rules.md §2 (养老机构管理办法, 民政部令第66号; GB 38600-2019;
// GB/T 42195-2022).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/events.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/payment_run.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "subsidy_payments.h"

namespace soci {
class session;
}

namespace civ::plugins::elderly_care {

/// Published when a 特困 person starts or stops living in an institution on 特困 support
/// (集中供养): the module running 特困 support switches the person's support mode from
/// `from_month` (the month after `on_date`) without reading this module's tables.
inline constexpr const char* kTekunAdmitted = "elderly_care.tekun_admitted";
inline constexpr const char* kTekunDischarged = "elderly_care.tekun_discharged";

// How each list pages and sorts (list.h): declared with its route, read by its handler.
inline const sdk::ListSpec kInstitutionList{{"name", "township", "beds"}, "id", 50, 200};
inline const sdk::ListSpec kFilingList{{"submitted_on"}, "-id", 20, 200};
inline const sdk::ListSpec kResidentList{{"admitted_on", "name"}, "-id", 20, 200};
inline const sdk::ListSpec kInspectionList{{"inspected_on"}, "-id", 20, 200};
inline const sdk::ListSpec kHazardList{{"deadline", "found_on"}, "-id", 20, 200};
inline const sdk::ListSpec kPenaltyList{{"decided_on"}, "-id", 20, 200};
inline const sdk::ListSpec kConstructionList{{"completed_on"}, "-id", 20, 200};
inline const sdk::ListSpec kSubsidyLineList{{"institution", "amount"}, "id", 50, 200};

/// An institution row as the rules need it.
struct Institution {
  std::int64_t id = 0;
  std::string county;
  std::string name;
  std::string township;  ///< a township-scoped caller acts only on its own
  std::string status;    ///< operating, suspended, closed
  std::string profit;    ///< for_profit, non_profit
  long long beds = 0;
  long long nursing_beds = 0;
  std::optional<sdk::Date> first_admission_on;
  std::optional<std::string> receipt_number;
  sdk::Date registered_on;
};

/// A resident row as the rules need it.
struct Resident {
  std::int64_t id = 0;
  std::int64_t institution_id = 0;
  std::int64_t person_id = 0;
  std::string township;
  std::string status;  ///< in_residence, on_leave, in_hospital, discharged, deceased
  sdk::Date admitted_on;
  std::optional<sdk::Date> discharged_on;
  std::string bed_number;
};

class ElderlyCarePlugin : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  void stop() noexcept override;

 private:
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;
  std::vector<sdk::EventDeclaration> events() const;
  void subscribeToEvents();
  void addRoutes();

  // institution_routes.cpp
  sdk::Response createInstitution(sdk::Request& request);
  sdk::Response listInstitutions(sdk::Request& request);
  sdk::Response getInstitution(sdk::Request& request);
  sdk::Response correctInstitution(sdk::Request& request);
  sdk::Response fileInstitution(sdk::Request& request);
  sdk::Response listFilings(sdk::Request& request);
  sdk::Response overdueFilings(sdk::Request& request);
  sdk::Response changeStatus(sdk::Request& request);
  // resident_routes.cpp
  sdk::Response admitResident(sdk::Request& request);
  sdk::Response listResidents(sdk::Request& request);
  sdk::Response getResident(sdk::Request& request);
  sdk::Response correctResident(sdk::Request& request);
  sdk::Response reassess(sdk::Request& request);
  sdk::Response startAbsence(sdk::Request& request);
  sdk::Response endAbsence(sdk::Request& request);
  sdk::Response dischargeResident(sdk::Request& request);
  // safety_routes.cpp
  sdk::Response recordInspection(sdk::Request& request);
  sdk::Response listInspections(sdk::Request& request);
  sdk::Response correctInspection(sdk::Request& request);
  sdk::Response overdueInspections(sdk::Request& request);
  sdk::Response recordHazard(sdk::Request& request);
  sdk::Response listHazards(sdk::Request& request);
  sdk::Response correctHazard(sdk::Request& request);
  sdk::Response recheckHazard(sdk::Request& request);
  sdk::Response recordPenalty(sdk::Request& request);
  sdk::Response listPenalties(sdk::Request& request);
  // subsidy_routes.cpp
  sdk::Response prepareConstruction(sdk::Request& request);
  sdk::Response confirmConstruction(sdk::Request& request);
  sdk::Response listConstruction(sdk::Request& request);
  /// The lines of a month's subsidy run, paged, with each operating line's care levels.
  sdk::Response listSubsidyLines(sdk::Request& request);

 public:
  // Shared by the route files (not part of the plugin interface).
  /// The institution `id` of `county`: NotFound when there is none.
  static Institution institutionAt(soci::session& db, const std::string& county, std::int64_t id);
  /// The institution a body field names: ValidationError (rule "known-institution").
  static Institution institutionField(soci::session& db, const std::string& county, std::int64_t id,
                                      const std::string& field);
  static nlohmann::json institutionJson(soci::session& db, std::int64_t id);
  static std::optional<Resident> findResident(soci::session& db, const std::string& county,
                                              std::int64_t id);
  nlohmann::json residentJson(soci::session& db, std::int64_t id) const;
  /// The filing deadline of an institution whose first resident came on `first_admission`.
  sdk::Date filingDeadline(const std::string& county, sdk::Date first_admission) const;
  /// The institutions of `county` whose filing is overdue on `today` (id, township, deadline).
  struct OverdueFiling {
    std::int64_t id;
    std::string name;
    std::string township;
    sdk::Date first_admission_on;
    sdk::Date deadline;
  };
  std::vector<OverdueFiling> overdueFilingsOf(soci::session& db, const std::string& county,
                                              sdk::Date today) const;
  /// Townships of the institutions of `county` whose yearly inspection is overdue on `day`.
  std::vector<std::string> overdueInspectionsOf(soci::session& db, const std::string& county,
                                                sdk::Date day) const;
  std::vector<std::string> abilityLevels(const std::string& county, sdk::Date on) const;
  std::vector<std::string> careLevels(const std::string& county, sdk::Date on) const;
  /// Publishes kTekunAdmitted or kTekunDischarged for a resident, in `db`'s transaction.
  void publishTekun(soci::session& db, const char* event, const std::string& county,
                    std::int64_t resident_id, std::int64_t person_id, std::int64_t institution_id,
                    sdk::Date on) const;

 private:
  sdk::Context* context_ = nullptr;
  std::unique_ptr<SubsidyPayments> payments_;       // made in start()
  std::unique_ptr<sdk::PaymentRuns> payment_runs_;  // made in start(), over payments_
  // The lists' statements, one per combination of filters (sdk::ListQuery): made in start(),
  // dropped in stop() before the host closes the database sessions.
  std::unique_ptr<sdk::KeptQueryCache> lists_;
};

/// The date of a JSON text field.
sdk::Date dateOf(const nlohmann::json& value);
/// A date not after today (rule "not-in-future" on `field`).
void notInFuture(sdk::Date date, sdk::Date today, const std::string& field);
/// The next number of a kind ("BA", "BZ") in the county and year: BA610902-2026-000001.
std::string nextNumber(soci::session& db, const std::string& county, const std::string& kind,
                       int year);

}  // namespace civ::plugins::elderly_care
