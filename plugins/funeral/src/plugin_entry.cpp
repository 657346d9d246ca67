// The module's entry point.
#include <civ/sdk/plugin_entry.h>

#include "funeral_plugin.h"

CIV_PLUGIN(civ::plugins::funeral::FuneralPlugin);
