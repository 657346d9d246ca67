#include <civ/sdk/audit.h>

namespace civ::sdk {

nlohmann::json changedFields(const nlohmann::json& before, const nlohmann::json& after) {
  nlohmann::json changes = nlohmann::json::object();
  const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& old_side = before.is_object() ? before : empty;
  const nlohmann::json& new_side = after.is_object() ? after : empty;
  for (const auto& [key, value] : new_side.items()) {
    auto old_value = old_side.find(key);
    if (old_value == old_side.end() || *old_value != value)
      changes[key] = {{"old", old_value == old_side.end() ? nlohmann::json() : *old_value},
                      {"new", value}};
  }
  for (const auto& [key, value] : old_side.items())
    if (!new_side.contains(key)) changes[key] = {{"old", value}, {"new", nullptr}};
  return changes;
}

}  // namespace civ::sdk
