// The module's entry point.
#include <civ/sdk/plugin_entry.h>

#include "social_orgs_plugin.h"

CIV_PLUGIN(civ::plugins::social_orgs::SocialOrgsPlugin);
