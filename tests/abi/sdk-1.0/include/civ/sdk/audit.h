// What a plugin tells the audit trail about a change it made. The host writes the row, in the
// request's transaction, with time, user, role, county and module, hash-chained to the previous
// row; citizen ID numbers in the change summary are masked.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>

namespace civ::sdk {

/// One audited change. Append-only.
struct AuditRecord {
  std::uint32_t struct_size = sizeof(AuditRecord);
  std::string action;       ///< what was done, dotted: "note.create", "dibao.approve"
  std::string entity_type;  ///< "note", "household", "marriage"
  std::string entity_id;    ///< the entity's id as text
  /// What changed: {"field": {"old": value-or-null, "new": value-or-null}, ...}; see
  /// changedFields().
  nlohmann::json changes = nlohmann::json::object();
};

/// The fields of `after` that differ from `before` (objects; a missing side counts as null),
/// as {"field": {"old": ..., "new": ...}}.
CIV_SDK_API nlohmann::json changedFields(const nlohmann::json& before, const nlohmann::json& after);

}  // namespace civ::sdk
