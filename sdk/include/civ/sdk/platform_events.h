// Platform events: events that several modules publish or subscribe to, named without a module
// prefix, with their payloads fixed here so that a publisher and a subscriber written by different
// vendors agree. Whichever module a county runs for the line of business (today funeral for
// deaths) declares and publishes them with these declarations; any module subscribes by name.
//
//   declarations.event(sdk::platform::personDeceased());             // the publisher
//   context.events().subscribe(sdk::platform::kPersonDeceased, ...)  // a subscriber
#pragma once

#include <civ/sdk/abi.h>
#include <civ/sdk/events.h>
#include <civ/sdk/schema.h>

namespace civ::sdk::platform {

/// A person's death was registered. Payload:
///   death_id      integer >= 1   the publisher's death record
///   person_id     integer >= 1   the persons registry id
///   death_date    "YYYY-MM-DD"
///   death_number  text, optional  the death certificate or record number
inline constexpr const char* kPersonDeceased = "person.deceased";

/// A death record was corrected. Payload:
///   death_id, person_id  as above
///   death_date           "YYYY-MM-DD", or null when the wrong person had been recorded dead
///                        (that person is alive again)
///   previous_death_date  "YYYY-MM-DD"
///   kind                 "wrong_date" | "wrong_person"
inline constexpr const char* kPersonDeathCorrected = "person.death_corrected";

/// The declarations (name, description, payload schema) a publisher hands to
/// Declarations::event, so every publisher declares the same payload. Inline: an
/// EventDeclaration may grow, so it is built in the plugin with the plugin's own layout.
inline EventDeclaration personDeceased() {
  using namespace schema;
  EventDeclaration declaration;
  declaration.name = kPersonDeceased;
  declaration.description = {"死亡登记",
                             "A person's death was registered; modules stop what depends on the "
                             "person being alive"};
  declaration.payload_schema = object({{"death_id", id()},
                                       {"person_id", id()},
                                       {"death_date", date()},
                                       {"death_number", optional({{"type", "string"}})}});
  return declaration;
}

inline EventDeclaration personDeathCorrected() {
  using namespace schema;
  EventDeclaration declaration;
  declaration.name = kPersonDeathCorrected;
  declaration.description = {"死亡登记更正",
                             "A death record was corrected: `death_date` is the new date, or null "
                             "when the person was recorded dead by mistake and is alive"};
  declaration.payload_schema =
      object({{"death_id", id()},
              {"person_id", id()},
              {"death_date", nullable(date())},
              {"previous_death_date", date()},
              {"kind", enumOf({{"wrong_date", {"日期有误", "the date was wrong"}},
                               {"wrong_person", {"人员有误", "the wrong person was recorded"}}})}});
  return declaration;
}

}  // namespace civ::sdk::platform
