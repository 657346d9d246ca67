// Chinese and English labels for the field names the modules share (id, township, citizen_id,
// decided_on, ...), so that the console labels a field its module left without a `title`. A
// module's own title always wins; a name not listed here stays as it is. The host adds these
// to the API document only (never to the schemas requests are validated against).
#pragma once

#include <nlohmann/json.hpp>

namespace civ::host {

/// Adds "title" (Chinese) and, where missing, "description" (English) to every property and
/// array item of `schema` whose name the glossary knows and that has no title of its own.
void labelSharedFields(nlohmann::json& schema);

/// The same for a parameter document ({"name", "schema", ...}).
void labelSharedParameter(nlohmann::json& parameter);

}  // namespace civ::host
