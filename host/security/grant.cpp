#include "host/security/grant.h"

#include <algorithm>
#include <regex>
#include <stdexcept>

#include <civ/sdk/citizen_id.h>

#include "host/security/token_store.h"

namespace civ::host {

void checkGrant(const sdk::Caller& grant) {
  static const std::regex module_pattern("[a-z][a-z0-9_]*");
  const auto& roles = TokenStore::roles();
  if (std::find(roles.begin(), roles.end(), grant.role) == roles.end())
    throw std::invalid_argument(
        "role must be one of clerk, reviewer, approver, auditor, admin; got '" + grant.role + "'");
  if (grant.counties.empty()) throw std::invalid_argument("counties: name at least one county");
  for (const auto& county : grant.counties)
    if (!sdk::isCountyCode(county))
      throw std::invalid_argument("counties: '" + county +
                                  "' is not a six-digit GB/T 2260 county code");
  for (const auto& module : grant.modules)
    if (!std::regex_match(module, module_pattern))
      throw std::invalid_argument("modules: '" + module + "' is not a plugin id");
  for (const auto& township : grant.townships)
    if (township.empty() || township.size() > 100 ||
        township.find_first_of("',;\"\\") != std::string::npos)
      throw std::invalid_argument("townships: '" + township +
                                  "' is not a township name as the records hold it");
}

}  // namespace civ::host
