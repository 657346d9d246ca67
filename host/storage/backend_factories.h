// The SOCI backend for a dialect.
#pragma once

#include <soci/soci-backend.h>

#include <civ/sdk/storage.h>

namespace civ::host {

const soci::backend_factory& backendFactory(sdk::Dialect dialect);

}  // namespace civ::host
