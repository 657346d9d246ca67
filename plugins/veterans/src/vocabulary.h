// The module's codes with their Chinese and English labels (rules.md §3's terms), as the
// schemas of its routes: one place, so every route, answer and filter says the same.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/localized_text.h>

namespace civ::plugins::veterans {

nlohmann::json categorySchema();      ///< 抚恤优待对象 categories (§2)
nlohmann::json subsidyGroupSchema();  ///< 定期生活补助 groups (§62)
nlohmann::json visitGroupSchema();    ///< a category or a §62 group (a visit's groups)
nlohmann::json hukouSchema();         ///< rural, urban
nlohmann::json rankTypeSchema();      ///< 军官, 军士, 义务兵
nlohmann::json honourLevelSchema();   ///< §16 levels
nlohmann::json natureSchema();        ///< 因战, 因公, 因病
nlohmann::json deathKindSchema();     ///< 烈士, 因公牺牲, 病故
nlohmann::json relationshipSchema();  ///< a survivor's relationship to the fallen
nlohmann::json documentSchema();      ///< the documents checklist
nlohmann::json beneficiaryStatusSchema();
nlohmann::json entitlementTypeSchema();
nlohmann::json periodicTypeSchema();
nlohmann::json entitlementStatusSchema();
nlohmann::json endReasonSchema();
nlohmann::json endReasonBodySchema();  ///< the reasons a clerk gives (not death: the event's)
nlohmann::json suspensionReasonSchema();
nlohmann::json dueKindSchema();
nlohmann::json standardItemSchema();
nlohmann::json seasonSchema();
nlohmann::json computationSchema();  ///< how a one-time payment was computed

/// The codes of a vocabulary with their labels, for files a clerk reads and writes (the
/// roster): "category", "subsidy_group", "hukou", "rank_type", "nature", "relationship".
std::vector<std::pair<std::string, sdk::LocalizedText>> labelsOf(const std::string& vocabulary);

}  // namespace civ::plugins::veterans
