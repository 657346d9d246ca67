#include <civ/sdk/caller.h>
#include <civ/sdk/error.h>

namespace civ::sdk {

bool roleGrants(std::string_view role, Permission permission) {
  if (permission == Permission::Read)
    return role == "clerk" || role == "reviewer" || role == "approver" || role == "auditor" ||
           role == "admin";
  switch (permission) {
    case Permission::Edit:
      return role == "clerk";
    case Permission::Review:
      return role == "reviewer";
    case Permission::Approve:
      return role == "approver";
    case Permission::Audit:
      return role == "auditor" || role == "admin";
    case Permission::Administer:
      return role == "admin";
    case Permission::Read:
      return true;
  }
  return false;
}

void requireFourEyes(const Caller& caller, std::string_view submitted_by, std::string_view what) {
  if (caller.user == submitted_by)
    throw Forbidden("four-eyes rule: " + caller.user + " submitted " + std::string(what) +
                    " and may not also decide it; another user with the approver role must");
}

}  // namespace civ::sdk
