#include <algorithm>
#include <cctype>

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

bool coversTownship(const Caller& caller, std::string_view township) {
  if (caller.townships.empty()) return true;
  return std::find(caller.townships.begin(), caller.townships.end(), township) !=
         caller.townships.end();
}

void requireTownship(const Caller& caller, std::string_view township, std::string_view what) {
  if (coversTownship(caller, township)) return;
  std::string scope;
  for (const auto& name : caller.townships) scope += (scope.empty() ? "" : ", ") + name;
  throw Error(403, "out-of-scope", "Out of scope",
              std::string(what) + " belongs to township " + std::string(township) + "; " +
                  caller.user + " acts only for " + scope);
}

void requireCountyWide(const Caller& caller, std::string_view what) {
  if (caller.townships.empty()) return;
  throw Error(403, "out-of-scope", "Out of scope",
              std::string(what) + " is the county's as a whole; " + caller.user +
                  " acts only for some townships");
}

std::string townshipCondition(const Caller& caller, std::string_view column) {
  if (caller.townships.empty()) return "1=1";
  std::string condition = std::string(column) + " IN (";
  for (std::size_t i = 0; i < caller.townships.size(); ++i) {
    condition += i == 0 ? "'" : ", '";
    for (char c : caller.townships[i])
      condition += c == '\'' ? std::string("''") : std::string(1, c);
    condition += "'";
  }
  return condition + ")";
}

bool sameUser(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

void requireFourEyes(const Caller& caller, std::string_view submitted_by, std::string_view what) {
  if (sameUser(caller.user, submitted_by))
    throw Forbidden("four-eyes rule: " + caller.user + " submitted " + std::string(what) +
                    " and may not also decide it; another user with the approver role must");
}

}  // namespace civ::sdk
