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
#include <civ/sdk/list.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace civ::plugins::social_orgs {

inline const sdk::ListSpec kOrganisationList{{"name", "township", "type", "status"}, "id", 50, 200};
inline const sdk::ListSpec kInspectionList{{"year"}, "-id", 50, 200};
inline const sdk::ListSpec kGradeList{{"decided_on"}, "-id", 50, 200};
inline const sdk::ListSpec kListingList{{"listed_on"}, "-id", 50, 200};

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

 private:
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;

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
  sdk::Response recordLiquidation(sdk::Request& request);
  sdk::Response deregister(sdk::Request& request);
  sdk::Response overdue(sdk::Request& request);
  // grade_routes.cpp
  sdk::Response decideGrade(sdk::Request& request);
  sdk::Response listGrades(sdk::Request& request);
  sdk::Response listOrganisation(sdk::Request& request);
  sdk::Response listListings(sdk::Request& request);

  /// The organisation a path names (404 when the county has none), in the caller's township.
  Organisation organisationAt(sdk::Request& request) const;
  /// ValidationError naming every registration condition `body` fails on `on`, and the
  /// one-社团-per-representative rule (an organisation `except` is left out of that check).
  void checkRegistration(sdk::Request& request, const nlohmann::json& body, sdk::Date on,
                         std::int64_t except) const;
  nlohmann::json organisationJson(sdk::Request& request, std::int64_t id) const;

  sdk::Context* context_ = nullptr;
};

}  // namespace civ::plugins::social_orgs
