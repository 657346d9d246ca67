// A soci::row column as a value of a JSON answer, where SQL NULL is JSON null: the optional
// fields of a record ("closed_on", "review_flag", "remarriage_of") read the same way in every
// module. Built on the portable readers of sql.h.
#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include <civ/sdk/abi.h>

namespace soci {
class row;
}

namespace civ::sdk::sql {

/// The text in column `index` (numbers are formatted, as textAt), or null when it is NULL.
CIV_SDK_API nlohmann::json textOrNullAt(const soci::row& row, std::size_t index);
/// The integer in column `index`, or null when it is NULL; std::invalid_argument when it holds
/// something that is not an integer (as int64At).
CIV_SDK_API nlohmann::json int64OrNullAt(const soci::row& row, std::size_t index);

}  // namespace civ::sdk::sql
