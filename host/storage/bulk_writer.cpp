#include "host/storage/bulk_writer.h"

#include <algorithm>
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

// Rows go in batches, one multi-row INSERT per batch, on the raw handle: SOCI's per-row cost is
// what the bulk path exists to avoid, and a statement per row pays SQLite's per-statement work for
// every row: with a trigger on the table (sa_households' township tally) each statement also
// opens a statement journal and copies every page it first touches into it (100,000 rows into
// sa_households with the trigger: 2.4 s a statement each, 0.8 s in batches of 100, 0.4 s without
// it). The caller's transaction makes it one commit.
class SqliteBulkWriter : public sdk::BulkWriter {
 public:
  SqliteBulkWriter(soci::session& session, const std::string& table,
                   const std::vector<std::string>& columns)
      : table_(table),
        columns_(columns),
        // SQLite's historical limit of 999 parameters per statement bounds a batch.
        batch_rows_(std::max<std::size_t>(1, std::min<std::size_t>(64, 999 / columns.size()))) {
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    db_ = backend->conn_;
    batch_ = prepare(batch_rows_);
    pending_.resize(batch_rows_ * columns_.size());
  }
  ~SqliteBulkWriter() override { sqlite3_finalize(batch_); }

  void add(const std::vector<sdk::BulkValue>& row) override {
    checkRowSize(row, columns_.size());
    // Assigned into the batch's slots: a text reuses the slot's buffer from the batch before.
    std::copy(row.begin(), row.end(), pending_.begin() + pending_rows_ * columns_.size());
    if (++pending_rows_ == batch_rows_) write(batch_);
  }

  std::int64_t finish() override {
    if (pending_rows_ > 0) {
      sqlite3_stmt* rest = prepare(pending_rows_);
      try {
        write(rest);
      } catch (...) {
        sqlite3_finalize(rest);
        throw;
      }
      sqlite3_finalize(rest);
    }
    return rows_;
  }

 private:
  /// INSERT INTO table (columns) VALUES (?, ...), ... for `rows` rows.
  sqlite3_stmt* prepare(std::size_t rows) const {
    std::string values = "(";
    for (std::size_t i = 0; i < columns_.size(); ++i) values += i == 0 ? "?" : ", ?";
    values += ")";
    std::string sql = "INSERT INTO " + table_ + " (" + columnList(columns_) + ") VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += (r == 0 ? "" : ", ") + values;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK)
      throw std::runtime_error("bulk writer: " + std::string(sqlite3_errmsg(db_)));
    return statement;
  }

  /// Binds the pending rows to `statement` (which has as many) and steps it once. The texts are
  /// bound without a copy: pending_ holds them until the step is done.
  void write(sqlite3_stmt* statement) {
    const std::size_t rows = pending_rows_;
    pending_rows_ = 0;  // a batch that fails is not written again, nor written past
    for (std::size_t i = 0; i < rows * columns_.size(); ++i) {
      const sdk::BulkValue& value = pending_[i];
      const int index = static_cast<int>(i) + 1;
      if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        sqlite3_bind_int64(statement, index, *integer);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        sqlite3_bind_text(statement, index, text->data(), static_cast<int>(text->size()),
                          SQLITE_STATIC);
      } else {
        sqlite3_bind_null(statement, index);
      }
    }
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (rc != SQLITE_DONE)
      throw std::runtime_error("bulk writer: " + std::string(sqlite3_errmsg(db_)));
    rows_ += static_cast<std::int64_t>(rows);
  }

  std::string table_;
  std::vector<std::string> columns_;
  std::size_t batch_rows_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* batch_ = nullptr;
  std::vector<sdk::BulkValue> pending_;  // batch_rows_ rows of columns_ values, row after row
  std::size_t pending_rows_ = 0;
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
