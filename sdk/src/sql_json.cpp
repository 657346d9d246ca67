#include <civ/sdk/sql.h>
#include <civ/sdk/sql_json.h>

namespace civ::sdk::sql {

nlohmann::json textOrNullAt(const soci::row& row, std::size_t index) {
  auto value = optionalTextAt(row, index);
  return value ? nlohmann::json(std::move(*value)) : nlohmann::json(nullptr);
}

nlohmann::json int64OrNullAt(const soci::row& row, std::size_t index) {
  const auto value = optionalInt64At(row, index);
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace civ::sdk::sql
