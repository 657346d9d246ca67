// The module's entry point: the only file that includes plugin_entry.h.
#include <civ/sdk/plugin_entry.h>

#include "example_plugin.h"

CIV_PLUGIN(civ::plugins::example::ExamplePlugin);
