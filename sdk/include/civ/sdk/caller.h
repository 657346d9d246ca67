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
  /// SDK 1.1: townships (乡镇/街道) the caller is confined to, by the name the records hold
  /// ("关庙镇"); empty = the whole of each county in scope. A township-scoped caller sees and
  /// acts on only those townships' records: use coversTownship / requireTownship /
  /// townshipCondition wherever a record has a township.
  std::vector<std::string> townships{};  // initialised: older aggregate initialisers stay quiet
};

/// Whether a role grants a permission (the table above). Unknown roles grant nothing.
CIV_SDK_API bool roleGrants(std::string_view role, Permission permission);

/// Whether `caller` may see and act on a record of `township` (always, when the caller is not
/// confined to townships).
CIV_SDK_API bool coversTownship(const Caller& caller, std::string_view township);

/// Throws sdk::Error (403, type "out-of-scope", as for another county) naming the township
/// when coversTownship is false.
/// `what` names the record for the message, e.g. "household 42".
CIV_SDK_API void requireTownship(const Caller& caller, std::string_view township,
                                 std::string_view what);

/// Throws sdk::Error (403, "out-of-scope") when the caller is confined to townships: for work
/// that is the county's as a whole (a payment run, the bank roll, the annual re-review).
/// `what` names it for the message.
CIV_SDK_API void requireCountyWide(const Caller& caller, std::string_view what);

/// An SQL condition that keeps the rows of the caller's townships: "1=1" when the caller is not
/// confined, otherwise "<column> IN ('关庙镇', ...)" with the names quoted as SQL literals.
/// For lists and counts: splice it into the WHERE clause.
CIV_SDK_API std::string townshipCondition(const Caller& caller, std::string_view column);

/// Whether two user names are the same user: names are unique without regard to case
/// ("Clerk1" and "clerk1" are one user).
CIV_SDK_API bool sameUser(std::string_view a, std::string_view b);

/// The four-eyes rule: throws Forbidden (403, naming the rule) when `caller` is the user who
/// submitted what they are now deciding (sameUser). `what` names it for the message, e.g. "dibao
/// case 42".
CIV_SDK_API void requireFourEyes(const Caller& caller, std::string_view submitted_by,
                                 std::string_view what);

}  // namespace civ::sdk
