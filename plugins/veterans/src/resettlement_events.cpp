// person.deceased: a soldier who dies before being resettled has no reception left to finish.
// Every reception of the person still open ends on the date of death (status "deceased"); one
// already resettled keeps its status and records the date, which ends the living allowance.
// Each change is audited in the reception's county (the death may be registered elsewhere).
#include <string>
#include <tuple>
#include <vector>

#include <soci/soci.h>

#include <civ/sdk/audit.h>
#include <civ/sdk/context.h>
#include <civ/sdk/events.h>
#include <civ/sdk/platform_events.h>
#include <civ/sdk/sql.h>

#include "resettlement_shared.h"

namespace civ::plugins::veterans::resettlement {

namespace {

/// A reception in one of these states ends with the death.
bool open(const std::string& status) {
  return status == "awaiting_report" || status == "reason_pending" || status == "reported" ||
         status == "awaiting_placement";
}

}  // namespace

void subscribeResettlementToDeaths(sdk::Context& context) {
  sdk::Context* owner = &context;
  context.events().subscribe(
      sdk::platform::kPersonDeceased, "resettlement_on_death",
      [owner](soci::session& db, const sdk::Event& event) {
        const long long person = event.payload.at("person_id").get<std::int64_t>();
        const std::string death = event.payload.at("death_date").get<std::string>();
        soci::rowset<soci::row> rows =
            (db.prepare << "SELECT id, county_code, status FROM vt_receptions WHERE person_id ="
                           " :p AND deceased_on IS NULL",
             soci::use(person));
        std::vector<std::tuple<long long, std::string, std::string>> receptions;
        for (const auto& row : rows)
          receptions.emplace_back(sdk::sql::int64At(row, 0), sdk::sql::textAt(row, 1),
                                  sdk::sql::textAt(row, 2));
        for (const auto& [id, county, status] : receptions) {
          const std::string next = open(status) ? "deceased" : status;
          long long key = id;
          db << "UPDATE vt_receptions SET deceased_on = :d, status = :s WHERE id = :id",
              soci::use(death), soci::use(next), soci::use(key);
          nlohmann::json changes = {{"deceased_on", {{"old", nullptr}, {"new", death}}}};
          if (next != status) changes["status"] = {{"old", status}, {"new", next}};
          owner->events().audit(db, event, county,
                                {sizeof(sdk::AuditRecord), "reception.death", "reception",
                                 std::to_string(id), changes});
        }
      });
}

}  // namespace civ::plugins::veterans::resettlement
