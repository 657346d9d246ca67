// Who is calling: the authenticated user, their role and their scope.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace civ::sdk {

/// What a route requires. Roles grant permissions (see docs/admin-guide.md):
/// clerk = Read + Edit, reviewer = Read + Review, approver = Read + Approve,
/// auditor = Read + Audit, admin = Read + Administer.
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

}  // namespace civ::sdk
