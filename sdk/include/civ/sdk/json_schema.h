// The JSON Schema subset civ checks request bodies against, before a handler runs.
//
// Keywords: type (one type: a list of types cannot be documented in OpenAPI 3.0 and is refused
// by checkSchema), nullable, properties, required, additionalProperties (bool), items,
// minItems, maxItems, minLength, maxLength (in characters), pattern (ECMAScript), enum,
// minimum, maximum (integers and numbers), format, title, description, examples, default, and
// extensions named "x-..." (ignored by the check, kept in the API document).
// civ formats: "date" (YYYY-MM-DD, a real date in the plausible years below), "month" (YYYY-MM),
// "date-time", "money" (yuan text, two decimals at most), "ratio", "citizen-id" (GB 11643, see
// citizen_id.h), "county-code" (GB/T 2260 county), "division-code" (6, 9 or 12 digits), "uscc" (GB
// 32100). schema.h builds these for you.
//
// Two deliberate departures from JSON Schema, because a government record should not silently
// accept what it will not store:
//  - objects are closed: a field not in `properties` is refused unless additionalProperties
//    is true;
//  - strings are capped at 4096 characters unless maxLength says otherwise, and C0 control
//    characters other than tab and newline are refused.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/date.h>
#include <civ/sdk/error.h>

namespace civ::sdk {

inline constexpr std::size_t kDefaultMaxStringLength = 4096;
/// A "date" outside these years is refused (rule "plausible_date"): no record of a civil-affairs
/// office lies there, and a mistyped year 9999 would hide the record from every period query.
inline constexpr int kFirstPlausibleYear = 1880;
inline constexpr int kLastPlausibleYear = 2100;

/// Every violation of `schema` by `value`, each naming the field path ("members[2].name")
/// and the rule ("required", "type", "maximum", "format", "unknown_field" ...).
/// `today` bounds citizen-id birth dates. An empty result means valid.
CIV_SDK_API std::vector<FieldError> validateJson(const nlohmann::json& schema,
                                                 const nlohmann::json& value, Date today);

/// Problems in a schema itself (unknown keyword, bad pattern, a list of types), checked when a
/// route or event is declared; each names the place in the schema and the fix.
CIV_SDK_API std::vector<std::string> checkSchema(const nlohmann::json& schema);

}  // namespace civ::sdk
