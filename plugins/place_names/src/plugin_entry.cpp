// The module's entry point.
#include <civ/sdk/plugin_entry.h>

#include "place_names_plugin.h"

CIV_PLUGIN(civ::plugins::place_names::PlaceNamesPlugin);
