// The two refusals every PATCH correction shares, so a clerk gets the same answer in every module.
//
//   sdk::requireSomeField(body, "name, township");      // before reading the record
//   ... compare, collect changes ...
//   if (changes.empty()) sdk::refuseUnchanged(body);   // nothing would change
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/error.h>

namespace civ::sdk {

/// ValidationError 400 on "(body)", rule "at-least-one", listing the correctable `fields`, when
/// the body names no field at all.
inline void requireSomeField(const nlohmann::json& body, const std::string& fields) {
  if (body.is_object() && !body.empty()) return;
  throw ValidationError("(body)", "at-least-one", "name at least one field to correct: " + fields,
                        400);
}

/// ValidationError 422, rule "unchanged" on each field given: a correction that changes nothing
/// is refused rather than audited as a change.
[[noreturn]] inline void refuseUnchanged(const nlohmann::json& body) {
  std::vector<FieldError> errors;
  for (const auto& item : body.items())
    errors.push_back({item.key(), "unchanged", "the record already holds this value"});
  throw ValidationError(std::move(errors));
}

}  // namespace civ::sdk
