// Households and members: the rows the routes, the workflow and the event handlers share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <civ/sdk/date.h>

namespace soci {
class session;
}

namespace civ::sdk {
class Context;
class Request;
}  // namespace civ::sdk

namespace civ::plugins::social_assistance {

struct KeptQueries;

/// NotFound unless the household exists in the request's county; Forbidden when it lies outside
/// the caller's township scope. Returns its township. (Every write to a household asks first:
/// its statement is kept, `queries.household_scope`.)
std::string requireHouseholdInScope(sdk::Request& request, KeptQueries& queries,
                                    std::int64_t household_id);

/// The open 低保 case or application (number) another household holds for this person, if any:
/// a person may belong to one active 低保 household only.
struct OtherHousehold {
  std::string number;
  std::string county;
};
std::optional<OtherHousehold> otherDibaoHousehold(soci::session& db, std::int64_t person_id,
                                                  std::int64_t household_id);

/// Publishes assistance.changed for the household's active 低保 case, effective next month
/// (`change` names what changed: "member_added", "member_corrected" ...).
void householdChanged(sdk::Context& context, soci::session& db, std::int64_t household_id,
                      const std::string& county, sdk::Date today, const std::string& change);

/// Money from a validated body field ("1234.50"); the schema has already checked the form.
std::int64_t fenOf(const nlohmann::json& value);

}  // namespace civ::plugins::social_assistance
