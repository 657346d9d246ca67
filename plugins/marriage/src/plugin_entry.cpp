// The module's entry point.
#include <civ/sdk/plugin_entry.h>

#include "marriage_plugin.h"

CIV_PLUGIN(civ::plugins::marriage::MarriagePlugin);
