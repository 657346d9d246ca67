// What a person or machine may do: a role and a scope (counties, optionally townships and
// modules). Tokens carry a grant; so do the accounts people sign in with. One check for both.
#pragma once

#include <civ/sdk/caller.h>

namespace civ::host {

/// Throws std::invalid_argument naming the part of `grant` that is wrong: the role is not one of
/// clerk, reviewer, approver, auditor, admin; no county or a malformed county code; a module
/// that is not a plugin id; a township that is not a name as the records hold it. The `user`
/// is not checked here (UserStore::checkName).
void checkGrant(const sdk::Caller& grant);

}  // namespace civ::host
