// The module's entry point.
#include <civ/sdk/plugin_entry.h>

#include "veterans_plugin.h"

CIV_PLUGIN(civ::plugins::veterans::VeteransPlugin);
