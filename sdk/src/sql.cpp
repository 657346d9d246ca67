#include <charconv>
#include <stdexcept>

#include <soci/soci.h>

#include <civ/sdk/sql.h>

namespace civ::sdk::sql {

std::optional<std::int64_t> optionalInt64At(const soci::row& row, std::size_t index) {
  if (row.get_indicator(index) == soci::i_null) return std::nullopt;
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(index);
    case soci::dt_long_long:
      return row.get<long long>(index);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(index));
    case soci::dt_double:
      return static_cast<std::int64_t>(row.get<double>(index));
    case soci::dt_string: {
      const std::string text = row.get<std::string>(index);
      std::int64_t value = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error != std::errc() || end != text.data() + text.size())
        throw std::invalid_argument("column " + row.get_properties(index).get_name() + " holds '" +
                                    text + "', not an integer");
      return value;
    }
    default:
      throw std::invalid_argument("column " + row.get_properties(index).get_name() +
                                  " is not an integer");
  }
}

std::int64_t int64At(const soci::row& row, std::size_t index) {
  auto value = optionalInt64At(row, index);
  if (!value)
    throw std::invalid_argument("column " + row.get_properties(index).get_name() + " is NULL");
  return *value;
}

std::optional<std::string> optionalTextAt(const soci::row& row, std::size_t index) {
  if (row.get_indicator(index) == soci::i_null) return std::nullopt;
  switch (row.get_properties(index).get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(index);
    case soci::dt_double:
      return std::to_string(row.get<double>(index));
    default:
      return std::to_string(int64At(row, index));
  }
}

std::string textAt(const soci::row& row, std::size_t index) {
  return optionalTextAt(row, index).value_or(std::string());
}

}  // namespace civ::sdk::sql
