// The veterans module (优抚安置): beneficiaries kept as one file per person (一人一档) with their
// category, service record, disability and documents; the fallen servicemen their survivors are
// linked to; entitlements (定期抚恤金, 定期生活补助, 残疾抚恤金, 护理费, county 困难补助) computed
// from the dated national table and paid through the SDK's monthly payment runs; suspension and
// cancellation; funeral aid after a death (person.deceased); one-time payments (烈士褒扬金,
// 一次性抚恤金); holiday visits (慰问金). The reception and resettlement of retired soldiers
// (接收安置) lives in resettlement*.{h,cpp}.
// Rules: ../shared/domain/rules.md §3 (军人抚恤优待条例 2024, 退役军人安置条例 2024).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/persons.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace civ::sdk {
class Context;
class PaymentRuns;
}  // namespace civ::sdk

namespace civ::plugins::veterans {

class VeteransPayments;

// How each list pages and sorts (list.h): declared with its route, read by its handler.
inline const sdk::ListSpec kBeneficiaryList{{"name", "registered_on", "township"}, "-id", 20, 200};
inline const sdk::ListSpec kFallenList{{"died_on", "name"}, "-id", 20, 200};
inline const sdk::ListSpec kEntitlementList{{"start_month", "number"}, "-id", 20, 200};
inline const sdk::ListSpec kAdjustmentList{{"month"}, "-id", 20, 200};
inline const sdk::ListSpec kImportList{{"imported_on"}, "-id", 20, 200};
inline const sdk::ListSpec kCampaignList{{"visit_date"}, "-id", 20, 200};
inline const sdk::ListSpec kRecipientList{{"name", "township"}, "id", 50, 500};

class VeteransPlugin : public sdk::Plugin {
 public:
  VeteransPlugin();
  ~VeteransPlugin() override;

  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  void stop() noexcept override;

 private:
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;
  void addRoutes();
  void subscribeToEvents();

  // beneficiary_routes.cpp
  sdk::Response createBeneficiary(sdk::Request& request);
  sdk::Response listBeneficiaries(sdk::Request& request);
  sdk::Response getBeneficiary(sdk::Request& request);
  sdk::Response correctBeneficiary(sdk::Request& request);
  sdk::Response reassessDisability(sdk::Request& request);
  sdk::Response overdueTransfers(sdk::Request& request);
  // fallen_routes.cpp
  sdk::Response createFallen(sdk::Request& request);
  sdk::Response listFallen(sdk::Request& request);
  sdk::Response getFallen(sdk::Request& request);
  sdk::Response correctFallen(sdk::Request& request);
  // national_standard_routes.cpp
  sdk::Response standardsAsOf(sdk::Request& request);
  sdk::Response importStandards(sdk::Request& request);
  sdk::Response listImports(sdk::Request& request);
  sdk::Response getImport(sdk::Request& request);
  // entitlement_routes.cpp
  sdk::Response proposeEntitlement(sdk::Request& request);
  sdk::Response listEntitlements(sdk::Request& request);
  sdk::Response getEntitlement(sdk::Request& request);
  sdk::Response confirmEntitlement(sdk::Request& request);
  sdk::Response correctEntitlement(sdk::Request& request);
  sdk::Response monthAmount(sdk::Request& request);
  sdk::Response suspendEntitlement(sdk::Request& request);
  sdk::Response resumeEntitlement(sdk::Request& request);
  sdk::Response correctSuspension(sdk::Request& request);
  sdk::Response cancelEntitlement(sdk::Request& request);
  sdk::Response listAdjustments(sdk::Request& request);
  sdk::Response getAdjustment(sdk::Request& request);
  sdk::Response withdrawAdjustment(sdk::Request& request);
  // one_time_routes.cpp
  sdk::Response prepareOneTime(sdk::Request& request);
  sdk::Response listOneTime(sdk::Request& request);
  sdk::Response getOneTime(sdk::Request& request);
  sdk::Response confirmOneTime(sdk::Request& request);
  sdk::Response cancelOneTime(sdk::Request& request);
  // visit_routes.cpp
  sdk::Response createCampaign(sdk::Request& request);
  sdk::Response listCampaigns(sdk::Request& request);
  sdk::Response getCampaign(sdk::Request& request);
  sdk::Response correctCampaign(sdk::Request& request);
  sdk::Response listRecipients(sdk::Request& request);
  sdk::Response addRecipient(sdk::Request& request);
  sdk::Response getRecipient(sdk::Request& request);
  sdk::Response correctRecipient(sdk::Request& request);
  sdk::Response confirmCampaign(sdk::Request& request);
  // roster_exchange.cpp: the veterans affairs bureau's roster (一人一档) and payments
  sdk::Response importRoster(sdk::Request& request);
  sdk::Response exportRoster(sdk::Request& request);
  sdk::Response exportPayments(sdk::Request& request);

 public:
  // Shared by the route files (not part of the plugin interface).
  sdk::Context& context() const { return *context_; }
  nlohmann::json beneficiaryJson(soci::session& db, std::int64_t id) const;
  nlohmann::json fallenJson(soci::session& db, std::int64_t id) const;
  nlohmann::json entitlementJson(soci::session& db, std::int64_t id) const;
  nlohmann::json campaignJson(soci::session& db, std::int64_t id) const;
  /// Creates a file for `person` from `state` (the correctable fields, as a POST body holds
  /// them) after every rule of a file: audited as `action` with `audit_extra` merged in.
  std::int64_t insertFile(sdk::Request& request, const sdk::Person& person, nlohmann::json state,
                          sdk::Date registered_on, const std::string& action,
                          const nlohmann::json& audit_extra);
  /// Brings file `id` to `after` (a whole state, see fileState) after every rule of a
  /// correction: written, audited as `action` with old and new values, months already run
  /// settled. Answers the changes; empty when `after` is what the file holds (nothing written).
  nlohmann::json applyFileState(sdk::Request& request, std::int64_t id, nlohmann::json after,
                                const std::string& action);

 private:
  sdk::Context* context_ = nullptr;
  std::unique_ptr<VeteransPayments> payments_;
  std::unique_ptr<sdk::PaymentRuns> payment_runs_;
  // The lists' statements, one per combination of filters (sdk::ListQuery): made in start(),
  // dropped in stop() before the host closes the database sessions.
  std::unique_ptr<sdk::KeptQueryCache> lists_;
};

/// A disabled serviceman whose pension file (抚恤关系) was not received in time (§30).
struct OverdueTransfer {
  std::int64_t id = 0;
  std::string number;
  std::string name;
  std::string township;
  sdk::Date discharged_on;
  sdk::Date due;
  int days_overdue = 0;
};
/// The county's overdue transfers on `day`: discharged more than the parameter's days before,
/// the file not received by `day`, alive.
std::vector<OverdueTransfer> overdueTransfersOf(const sdk::Context& context, soci::session& db,
                                                const std::string& county, sdk::Date day);

/// The correctable part of a file's answer (beneficiaryJson), in the shape of a request body
/// (the disability without its effective month, the agent without its person id).
nlohmann::json fileState(const nlohmann::json& file);

/// The date of a JSON text field.
sdk::Date dateOf(const nlohmann::json& value);
/// A date not after today (rule "not-in-future" on `field`).
void notInFuture(sdk::Date date, sdk::Date today, const std::string& field);
/// The next number of a kind in the county and year: YF610902-2026-000001.
std::string nextNumber(soci::session& db, const std::string& county, const std::string& kind,
                       int year);

}  // namespace civ::plugins::veterans
