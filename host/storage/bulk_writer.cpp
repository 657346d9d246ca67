#include "host/storage/bulk_writer.h"

#include <stdexcept>

#include <soci/sqlite3/soci-sqlite3.h>

#include "host/storage/bulk_rows.h"
#include "host/storage/postgresql_driver.h"

namespace civ::host {

namespace {

// soci-sqlite3.h declares the SQLite C API inside namespace sqlite_api.
using namespace sqlite_api;

void checkIdentifier(const std::string& name) {
  bool ok = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    throw std::invalid_argument("bulk writer: '" + name + "' is not a plain snake_case identifier");
}

using bulk_rows::checkRowSize;
using bulk_rows::columnList;

// One prepared INSERT stepped per row, on the raw handle: SOCI's per-row cost is what the
// bulk path exists to avoid. The caller's transaction makes it one commit.
class SqliteBulkWriter : public sdk::BulkWriter {
 public:
  SqliteBulkWriter(soci::session& session, const std::string& table,
                   const std::vector<std::string>& columns)
      : columns_(columns.size()) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    db_ = backend->conn_;
    std::string placeholders;
    for (std::size_t i = 0; i < columns.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
    const std::string sql =
        "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES (" + placeholders + ")";
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK)
      throw std::runtime_error("bulk writer: " + std::string(sqlite3_errmsg(db_)));
  }
  ~SqliteBulkWriter() override { sqlite3_finalize(statement_); }

  void add(const std::vector<sdk::BulkValue>& row) override {
    checkRowSize(row, columns_);
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      if (const auto* integer = std::get_if<std::int64_t>(&row[i])) {
        sqlite3_bind_int64(statement_, index, *integer);
      } else if (const auto* text = std::get_if<std::string>(&row[i])) {
        sqlite3_bind_text(statement_, index, text->data(), static_cast<int>(text->size()),
                          SQLITE_TRANSIENT);
      } else {
        sqlite3_bind_null(statement_, index);
      }
    }
    const int rc = sqlite3_step(statement_);
    sqlite3_reset(statement_);
    if (rc != SQLITE_DONE)
      throw std::runtime_error("bulk writer: " + std::string(sqlite3_errmsg(db_)));
    ++rows_;
  }

  std::int64_t finish() override { return rows_; }

 private:
  std::size_t columns_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* statement_ = nullptr;
  std::int64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<sdk::BulkWriter> makeBulkWriter(soci::session& session, sdk::Dialect dialect,
                                                const std::string& table,
                                                const std::vector<std::string>& columns) {
  checkIdentifier(table);
  if (columns.empty()) throw std::invalid_argument("bulk writer: no columns");
  for (const auto& column : columns) checkIdentifier(column);
  if (dialect == sdk::Dialect::Sqlite)
    return std::make_unique<SqliteBulkWriter>(session, table, columns);
  return postgresqlDriver().bulkWriter(session, table, columns);
}

}  // namespace civ::host
