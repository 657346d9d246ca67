// Who is calling: the authenticated user, their role and their scope.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <civ/sdk/abi.h>

namespace civ::sdk {

/// What a route requires. Roles grant permissions (see docs/admin-guide.md):
/// clerk = Read + Edit, reviewer = Read + Review, approver = Read + Approve,
/// auditor = Read + Audit, admin = Read + Audit + Administer.
enum class Permission : std::int32_t {
  Read,        ///< look at records in scope
  Edit,        ///< create and edit cases
  Review,      ///< township review, investigation sign-off
  Approve,     ///< county decisions
  Audit,       ///< read the audit trail
  Administer,  ///< counties, parameters, tokens
};

/// The caller of a request, as the host authenticated it.
struct Caller {
  std::string user;                   ///< stable user name, recorded in the audit trail
  std::string role;                   ///< "clerk", "reviewer", "approver", "auditor", "admin"
  std::vector<std::string> counties;  ///< county codes in scope
  std::vector<std::string> modules;   ///< plugin ids in scope; empty = all modules
};

/// Whether a role grants a permission (the table above). Unknown roles grant nothing.
CIV_SDK_API bool roleGrants(std::string_view role, Permission permission);

/// The four-eyes rule: throws Forbidden (403, naming the rule) when `caller` is the user who
/// submitted what they are now deciding. `what` names it for the message, e.g. "dibao case 42".
CIV_SDK_API void requireFourEyes(const Caller& caller, std::string_view submitted_by,
                                 std::string_view what);

}  // namespace civ::sdk
