// The place_names module (地名/区划): the county's administrative divisions over time (codes
// never reused, adjustments as dated change sets, any read "as of" a date, old codes mapped to
// today's divisions), standard place names with their romanisation in 汉语拼音, the naming and
// renaming workflow with its 15-day filing and announcement limits, the duplicate, homophone,
// forbidden-content and rare-character checks, name signs, the county's boundary lines with
// their markers (界桩) and joint inspections (平安边界联检), the import of an existing gazetteer,
// and indicators.
// Rules: ../shared/domain/rules.md §5 (地名管理条例 2022, 实施办法 2024, 行政区划管理条例 2018)
// and §8.2 (division codes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>
#include <civ/sdk/divisions.h>
#include <civ/sdk/kept_query.h>
#include <civ/sdk/list.h>
#include <civ/sdk/plugin.h>
#include <civ/sdk/request.h>
#include <civ/sdk/response.h>

#include "romanisation.h"

namespace soci {
class session;
}

namespace civ::plugins::place_names {

// How each list pages and sorts (list.h): declared with its route, read by its handler.
inline const sdk::ListSpec kDivisionList{{"code", "name"}, "code", 100, 500};
inline const sdk::ListSpec kAdjustmentList{{"effective_on"}, "-id", 20, 200};
inline const sdk::ListSpec kNameList{{"name", "pinyin", "applied_on"}, "-id", 20, 200};
inline const sdk::ListSpec kOverdueList{{"approved_on"}, "id", 50, 200};
inline const sdk::ListSpec kWordList{{"word"}, "id", 50, 200};
inline const sdk::ListSpec kSignList{{"installed_on"}, "-id", 20, 200};
inline const sdk::ListSpec kBoundaryLineList{{"neighbour_code"}, "id", 50, 200};
inline const sdk::ListSpec kMarkerList{{"number"}, "number", 50, 500};
inline const sdk::ListSpec kBoundaryInspectionList{{"inspected_on"}, "-id", 20, 200};
inline const sdk::ListSpec kRectificationOverdueList{{"rectification_due"}, "id", 50, 200};

/// One version of a division: what the code named from valid_from until valid_to (exclusive).
struct Division {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  std::string level;  ///< "county", "township", "village"
  std::string kind;   ///< 区, 县, 街道, 镇, 乡, 民族乡, 其他, 村, 社区
  std::string parent_code;
  std::string valid_from;
  std::optional<std::string> valid_to;
};

/// A place name row as the rules need it.
struct PlaceName {
  std::int64_t id = 0;
  std::string specific;
  std::string generic;
  std::string category;
  std::string status;
  std::string township;
  std::string built_up_area;
  bool is_protected = false;
  std::optional<std::string> specific_pinyin;
  std::optional<std::string> approved_on;
  std::optional<std::string> authority;
  std::optional<std::string> filed_on;
  std::optional<std::int64_t> renames;
  std::string applied_on;
};

/// Also the register other modules ask for today's divisions (sdk::Divisions, through the host).
class PlaceNamesPlugin : public sdk::Plugin, public sdk::Divisions {
 public:
  // sdk::Plugin
  void declare(sdk::Declarations& declarations) const override;
  void start(sdk::Context& context) override;
  void stop() noexcept override;
  void* capability(std::string_view interface_id) noexcept override;

  // sdk::Divisions
  std::vector<sdk::CurrentDivision> currentOf(soci::session& db, const std::string& county,
                                              const std::string& recorded,
                                              sdk::Date on) const override;

 private:
  std::vector<sdk::Migration> migrations() const;
  std::vector<sdk::IndicatorDeclaration> indicators() const;

  void addRoutes();
  // division_routes.cpp
  sdk::Response listDivisions(sdk::Request& request);
  sdk::Response getDivision(sdk::Request& request);
  sdk::Response correctDivision(sdk::Request& request);
  sdk::Response adjust(sdk::Request& request);
  sdk::Response listAdjustments(sdk::Request& request);
  // name_routes.cpp
  sdk::Response romanisation(sdk::Request& request);
  sdk::Response applyName(sdk::Request& request);
  sdk::Response listNames(sdk::Request& request);
  sdk::Response getName(sdk::Request& request);
  sdk::Response correctName(sdk::Request& request);
  sdk::Response addReport(sdk::Request& request);
  sdk::Response approveName(sdk::Request& request);
  sdk::Response fileName(sdk::Request& request);
  sdk::Response announceName(sdk::Request& request);
  sdk::Response retireName(sdk::Request& request);
  sdk::Response listOverdue(sdk::Request& request);
  sdk::Response listWords(sdk::Request& request);
  sdk::Response addWord(sdk::Request& request);
  sdk::Response removeWord(sdk::Request& request);
  // sign_routes.cpp
  sdk::Response addSign(sdk::Request& request);
  sdk::Response listSigns(sdk::Request& request);
  sdk::Response correctSign(sdk::Request& request);
  sdk::Response inspectSign(sdk::Request& request);
  nlohmann::json signJson(soci::session& db, std::int64_t id) const;
  // name_import.cpp
  sdk::Response importNames(sdk::Request& request);
  // boundary_routes.cpp
  sdk::Response addBoundaryLine(sdk::Request& request);
  sdk::Response listBoundaryLines(sdk::Request& request);
  sdk::Response correctBoundaryLine(sdk::Request& request);
  sdk::Response addMarker(sdk::Request& request);
  sdk::Response listMarkers(sdk::Request& request);
  sdk::Response correctMarker(sdk::Request& request);
  sdk::Response addBoundaryInspection(sdk::Request& request);
  sdk::Response listBoundaryInspections(sdk::Request& request);
  sdk::Response correctBoundaryInspection(sdk::Request& request);
  sdk::Response rectifyBoundaryInspection(sdk::Request& request);
  sdk::Response listRectificationsOverdue(sdk::Request& request);
  // export_routes.cpp
  sdk::Response exportNamesGeoJson(sdk::Request& request);
  sdk::Response exportNamesCsv(sdk::Request& request);
  sdk::Response exportDivisionsCsv(sdk::Request& request);

  /// The version of `code` in force on `on` in `county`, if any.
  std::optional<Division> divisionOn(soci::session& db, const std::string& county,
                                     const std::string& code, sdk::Date on) const;
  /// Today's divisions that `code` became (itself when still in force), following the
  /// successors of every adjustment; empty when it ended without one.
  std::vector<Division> todayOf(soci::session& db, const std::string& county,
                                const std::string& code, sdk::Date today) const;
  nlohmann::json nameJson(soci::session& db, std::int64_t id, bool with_reports) const;
  PlaceName nameAt(sdk::Request& request) const;
  /// ValidationError naming the field and rule when the name breaks a content or uniqueness
  /// rule: forbidden words, rare characters, duplicates and homophones in its scope.
  void checkName(sdk::Request& request, const std::string& specific, const std::string& generic,
                 const std::string& category, const std::string& built_up_area,
                 const std::string& key, std::int64_t self,
                 std::optional<std::int64_t> renames) const;

  sdk::Context* context_ = nullptr;
  // The lists' statements, one per combination of filters (sdk::ListQuery): made in start(),
  // dropped in stop() before the host closes the database sessions.
  std::unique_ptr<sdk::KeptQueryCache> lists_;
};

// name_routes.cpp, shared with the gazetteer import (name_import.cpp).

/// The name's romanisation; ValidationError on `field` when the correction does not give one
/// syllable per character or a character has no pinyin reading.
Romanised romaniseName(const std::string& specific, const std::string& generic,
                       const std::string& category, const std::optional<std::string>& correction,
                       const std::string& field);
/// Rare characters (§9: avoid 生僻字): ValidationError on "specific" or "generic".
void checkCharacters(const std::string& specific, const std::string& generic);

}  // namespace civ::plugins::place_names
