// Configured policy values checked against the plugins' declarations.
#pragma once

#include <set>
#include <string>

#include "host/config/host_config.h"
#include "host/policy/policy_store.h"

namespace civ::host {

/// Adds every configured value of a loaded plugin to `store`, in canonical form. A key the
/// plugin does not declare, a wrong type or a value out of bounds is a problem naming file,
/// key and reason (and is not added). Values of plugins that are not loaded are skipped.
ConfigProblems applyConfiguredPolicy(const Config& config, PolicyStore& store,
                                     const std::set<std::string>& loaded_plugins);

}  // namespace civ::host
