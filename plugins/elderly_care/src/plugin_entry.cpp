// The module's entry point.
#include <civ/sdk/plugin_entry.h>

#include "elderly_care_plugin.h"

CIV_PLUGIN(civ::plugins::elderly_care::ElderlyCarePlugin);
