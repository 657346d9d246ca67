// The social organisations module (社会组织): applications for registration of 社会团体,
// 民办非企业单位 and 基金会 checked against each type's conditions and decided within 60 days, the
// credit code validated or assigned, corrections, annual inspections with rectification and the
// revocation rules, liquidation and deregistration, the overdue list, indicators. Rules:
// ../shared/domain/rules.md §7 and §8.3.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace civ::plugins::social_orgs {

inline const sdk::ListSpec kOrganisationList{{"name", "township", "type", "status"}, "id", 50, 200};
inline const sdk::ListSpec kInspectionList{{"year"}, "-id", 50, 200};
inline const sdk::ListSpec kGradeList{{"decided_on"}, "-id", 50, 200};
inline const sdk::ListSpec kListingList{{"listed_on"}, "-id", 50, 200};
inline const sdk::ListSpec kPenaltyList{
    {"opened_on", "decision_due", "decided_on"}, "-id", 50, 200};
inline const sdk::ListSpec kBanList{{"decided_on", "name"}, "-id", 50, 200};
inline const sdk::ListSpec kChangeList{{"applied_on", "decision_due"}, "-id", 50, 200};
inline const sdk::ListSpec kFilingList{{"filed_on"}, "-id", 50, 200};

/// An organisation row as the handlers need it.
struct Organisation {
  std::int64_t id = 0;
  std::string type;
  std::string status;
  std::string township;
  std::optional<sdk::Date> registered_on;
};

class SocialOrgsPlugin : public sdk::Plugin {
 public:
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  void stop() noexcept override;

 private:
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;
  void penaltyIndicators(std::vector<sdk::IndicatorDeclaration>& declared) const;

  void addRoutes();
  // organisation_routes.cpp
  sdk::Response apply(sdk::Request& request);
  sdk::Response decide(sdk::Request& request);
  sdk::Response listOrganisations(sdk::Request& request);
  sdk::Response getOrganisation(sdk::Request& request);
  sdk::Response correctOrganisation(sdk::Request& request);
  // supervision_routes.cpp
  sdk::Response recordInspection(sdk::Request& request);
  sdk::Response listInspections(sdk::Request& request);
  sdk::Response recordRectification(sdk::Request& request);
  sdk::Response correctInspection(sdk::Request& request);
  sdk::Response recordLiquidation(sdk::Request& request);
  sdk::Response deregister(sdk::Request& request);
  sdk::Response overdue(sdk::Request& request);
  // grade_routes.cpp
  sdk::Response decideGrade(sdk::Request& request);
  sdk::Response listGrades(sdk::Request& request);
  sdk::Response correctGrade(sdk::Request& request);
  sdk::Response listOrganisation(sdk::Request& request);
  sdk::Response listListings(sdk::Request& request);
  sdk::Response removeListing(sdk::Request& request);
  sdk::Response correctListing(sdk::Request& request);
  // penalty_routes.cpp
  sdk::Response openPenalty(sdk::Request& request);
  sdk::Response recordHearing(sdk::Request& request);
  sdk::Response decidePenalty(sdk::Request& request);
  sdk::Response listPenalties(sdk::Request& request);
  sdk::Response correctPenalty(sdk::Request& request);
  sdk::Response recordBan(sdk::Request& request);
  sdk::Response listBans(sdk::Request& request);
  sdk::Response correctBan(sdk::Request& request);
  // change_routes.cpp
  sdk::Response applyChange(sdk::Request& request);
  sdk::Response decideChange(sdk::Request& request);
  sdk::Response listChanges(sdk::Request& request);
  sdk::Response correctChange(sdk::Request& request);
  sdk::Response recordFiling(sdk::Request& request);
  sdk::Response listFilings(sdk::Request& request);
  sdk::Response correctFiling(sdk::Request& request);
  /// ValidationError when `changes` would leave the organisation as it is, take a name in use,
  /// or fail the registration conditions (the name and representative rules among them).
  void checkChange(sdk::Request& request, const nlohmann::json& organisation,
                   const nlohmann::json& changes) const;

  /// The organisation a path names (404 when the county has none), in the caller's township.
  Organisation organisationAt(sdk::Request& request) const;
  /// ValidationError naming every registration condition `body` fails on `on`, and the
  /// one-社团-per-representative rule (an organisation `except` is left out of that check).
  void checkRegistration(sdk::Request& request, const nlohmann::json& body, sdk::Date on,
                         std::int64_t except) const;
  nlohmann::json organisationJson(sdk::Request& request, std::int64_t id) const;

  sdk::Context* context_ = nullptr;
  // The lists' statements, one per combination of filters (sdk::ListQuery): made in start(),
  // dropped in stop() before the host closes the database sessions.
  std::unique_ptr<sdk::KeptQueryCache> lists_;
};

}  // namespace civ::plugins::social_orgs
