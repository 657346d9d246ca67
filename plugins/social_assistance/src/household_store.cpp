#include "household_store.h"

#include <soci/soci.h>

#include <civ/sdk/error.h>
#include <civ/sdk/money.h>
#include <civ/sdk/request.h>
#include <civ/sdk/sql.h>

#include "kept_queries.h"

namespace civ::plugins::social_assistance {

std::string requireHouseholdInScope(sdk::Request& request, KeptQueries& queries,
                                    std::int64_t household_id) {
  std::optional<std::string> found_county;
  std::string township;
  queries.household_scope.forEach(request.db(), {household_id}, [&](const soci::row& row) {
    found_county = sdk::sql::textAt(row, 0);
    township = sdk::sql::textAt(row, 1);
  });
  if (found_county != request.county())
    throw sdk::NotFound("no household " + std::to_string(household_id) + " in county " +
                        request.county());
  sdk::requireTownship(request.caller(), township, "household " + std::to_string(household_id));
  return township;
}

std::optional<OtherHousehold> otherDibaoHousehold(soci::session& db, std::int64_t person_id,
                                                  std::int64_t household_id) {
  const long long person = person_id;
  const long long household = household_id;
  OtherHousehold other;
  db << "SELECT h.number, h.county_code FROM sa_members m JOIN sa_households h ON h.id = "
        "m.household_id"
        " WHERE m.person_id = :p AND m.left_on IS NULL AND m.household_id <> :h AND ("
        " EXISTS (SELECT 1 FROM sa_cases c WHERE c.household_id = m.household_id AND c.program "
        "= 'dibao' AND c.status = 'active')"
        " OR EXISTS (SELECT 1 FROM sa_applications a WHERE a.household_id = m.household_id AND "
        "a.program = 'dibao' AND a.status NOT IN ('approved', 'refused', 'discontinued')))"
        " LIMIT 1",
      soci::into(other.number), soci::into(other.county), soci::use(person), soci::use(household);
  if (!db.got_data()) return std::nullopt;
  return other;
}

std::int64_t fenOf(const nlohmann::json& value) {
  const auto parsed = sdk::Money::parse(value.get<std::string>());
  if (!parsed) throw sdk::ValidationError("amount", "format", "not an amount in yuan");
  return parsed->fen();
}

}  // namespace civ::plugins::social_assistance
