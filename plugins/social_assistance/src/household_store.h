// Households and members: the rows the routes, the workflow and the event handlers share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace soci {
class session;
}

namespace civ::plugins::social_assistance {

/// NotFound unless the household exists in `county`.
void requireHouseholdInCounty(soci::session& db, std::int64_t household_id,
                              const std::string& county);

/// The open 低保 case or application (number) another household holds for this person, if any:
/// a person may belong to one active 低保 household only.
std::optional<std::string> otherDibaoHousehold(soci::session& db, std::int64_t person_id,
                                               std::int64_t household_id);

/// Money from a validated body field ("1234.50"); the schema has already checked the form.
std::int64_t fenOf(const nlohmann::json& value);

}  // namespace civ::plugins::social_assistance
