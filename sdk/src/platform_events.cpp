#include <civ/sdk/platform_events.h>
#include <civ/sdk/schema.h>

namespace civ::sdk::platform {

using namespace schema;

EventDeclaration personDeceased() {
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

EventDeclaration personDeathCorrected() {
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
