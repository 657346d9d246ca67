// Reading soci::row values portably. SOCI reports an SQLite INTEGER column as int and a
// PostgreSQL BIGINT as long long, and row.get<T> throws std::bad_cast unless T matches
// exactly; these helpers accept any integer or text representation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include <civ/sdk/abi.h>

namespace soci {
class row;
}

namespace civ::sdk::sql {

/// The integer in column `index`; std::invalid_argument when it is NULL or not a number.
CIV_SDK_API std::int64_t int64At(const soci::row& row, std::size_t index);
/// The integer in column `index`, or nullopt when NULL.
CIV_SDK_API std::optional<std::int64_t> optionalInt64At(const soci::row& row, std::size_t index);
/// The text in column `index` (numbers are formatted); "" when NULL.
CIV_SDK_API std::string textAt(const soci::row& row, std::size_t index);
/// The text in column `index`, or nullopt when NULL.
CIV_SDK_API std::optional<std::string> optionalTextAt(const soci::row& row, std::size_t index);

}  // namespace civ::sdk::sql
