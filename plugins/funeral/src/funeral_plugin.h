// The funeral module: facilities and their approvals, death registration (the source of the
// platform's person.deceased event), collection, storage, cremation, ash disposition, plots,
// fee exemptions (惠民殡葬) decided through the coverage directory, violations, indicators.
// Rules: ../shared/domain/rules.md §6 (殡葬管理条例 1997, revised 2012).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/platform_events.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

namespace civ::plugins::funeral {

class Area;

inline constexpr const char* kPersonDeceased = sdk::platform::kPersonDeceased;
inline constexpr const char* kPersonDeathCorrected = sdk::platform::kPersonDeathCorrected;

// How each list pages and sorts (list.h): declared with its route, read by its handler.
inline const sdk::ListSpec kFacilityList{{"code", "name", "kind", "township"}, "code", 50, 200};
inline const sdk::ListSpec kPlotList{{"number"}, "id", 50, 200};
inline const sdk::ListSpec kViolationList{{"found_on"}, "id", 20, 200};
inline const sdk::ListSpec kDeathList{{"death_date", "number"}, "-id", 20, 200};
inline const sdk::ListSpec kExemptionList{{"granted_on"}, "-id", 20, 200};

/// A facility row as the rules need it.
struct Facility {
  std::int64_t id = 0;
  std::string code;
  std::string kind;
  std::string name;
  std::string cemetery_type;
  int furnaces = 0;
  std::string township;  ///< where it stands: a township-scoped caller acts only on its own
};

/// A per-mille share's two counts in one township: of `whole` records, `part` are counted.
struct Share {
  std::int64_t part = 0;
  std::int64_t whole = 0;
};
using SharesByTownship = std::map<std::string, Share>;

class FuneralPlugin : public sdk::Plugin {
 public:
  // sdk::Plugin
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  void stop() noexcept override;

 private:
  // What declare() hands the host (funeral_plugin.cpp).
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;
  std::vector<sdk::EventDeclaration> events() const;
  /// Deaths of the period in a cremation zone on their day (whole) and the cremated among them
  /// (part), by township: the cremation rate.
  SharesByTownship cremationsInZones(soci::session& db, const sdk::IndicatorQuery& query) const;

  void addRoutes();
  // facility_routes.cpp
  sdk::Response createFacility(sdk::Request& request);
  sdk::Response approveFacility(sdk::Request& request);
  sdk::Response listFacilities(sdk::Request& request);
  sdk::Response correctFacility(sdk::Request& request);
  sdk::Response setZone(sdk::Request& request);
  sdk::Response createPlot(sdk::Request& request);
  sdk::Response listPlots(sdk::Request& request);
  sdk::Response correctPlot(sdk::Request& request);
  sdk::Response sellPlot(sdk::Request& request);
  sdk::Response recordViolation(sdk::Request& request);
  sdk::Response updateViolation(sdk::Request& request);
  sdk::Response listViolations(sdk::Request& request);
  // death_routes.cpp
  sdk::Response listDeaths(sdk::Request& request);
  sdk::Response registerDeath(sdk::Request& request);
  sdk::Response getDeath(sdk::Request& request);
  sdk::Response correctDeath(sdk::Request& request);
  sdk::Response recordCollection(sdk::Request& request);
  sdk::Response recordStorage(sdk::Request& request);
  sdk::Response recordCremation(sdk::Request& request);
  /// Collection and storage: an approved facility, a date between the death and today.
  sdk::Response recordBodyService(sdk::Request& request, const char* kind);
  sdk::Response recordDisposition(sdk::Request& request);
  // exemption_routes.cpp
  sdk::Response grantExemption(sdk::Request& request);
  sdk::Response listExemptions(sdk::Request& request);
  sdk::Response settlement(sdk::Request& request);

  std::optional<Facility> findFacility(soci::session& db, const std::string& county,
                                       const std::string& code) const;
  /// The facility a body field names: ValidationError (422) on `facility_code` when the county
  /// has none with `code`.
  Facility facility(soci::session& db, const std::string& county, const std::string& code) const;
  /// The facility a path names: NotFound (404) when the county has none with `code`.
  Facility facilityAt(soci::session& db, const std::string& county, const std::string& code) const;
  /// ValidationError naming `field` (rule: the limit's parameter key) when a plot of `kind` may
  /// not be as large as `area` here today.
  void checkPlotArea(const sdk::Request& request, const std::string& kind, Area area,
                     const std::string& field) const;
  /// ValidationError naming `field` unless the facility holds an approval in force on `on`.
  void requireApproved(soci::session& db, const Facility& facility, sdk::Date on,
                       const std::string& field) const;
  /// Whether `township` is a cremation zone on `on`: a township setting, else the county's.
  bool cremationZone(soci::session& db, const std::string& county, const std::string& township,
                     sdk::Date on) const;
  nlohmann::json deathJson(soci::session& db, std::int64_t id) const;

  sdk::Context* context_ = nullptr;
  // The lists' statements, one per combination of filters (sdk::ListQuery): made in start(),
  // dropped in stop() before the host closes the database sessions.
  std::unique_ptr<sdk::KeptQueryCache> lists_;
};

}  // namespace civ::plugins::funeral
