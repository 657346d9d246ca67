// What both bulk writers (bulk_writer.cpp, postgresql/postgresql_bulk_writer.cpp) check and
// build from a table's column list. Inline: the PostgreSQL module is built apart from the host.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <civ/sdk/storage.h>

namespace civ::host::bulk_rows {

inline std::string columnList(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + column;
  return list;
}

inline void checkRowSize(const std::vector<sdk::BulkValue>& row, std::size_t columns) {
  if (row.size() != columns)
    throw std::invalid_argument("bulk writer: row has " + std::to_string(row.size()) +
                                " values for " + std::to_string(columns) + " columns");
}

}  // namespace civ::host::bulk_rows
