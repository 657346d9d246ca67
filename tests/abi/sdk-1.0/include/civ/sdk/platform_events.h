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
/// Declarations::event, so every publisher declares the same payload.
CIV_SDK_API EventDeclaration personDeceased();
CIV_SDK_API EventDeclaration personDeathCorrected();

}  // namespace civ::sdk::platform
