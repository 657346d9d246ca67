#include "host/storage/bulk_writer.h"

#include <libpq-fe.h>
#include <stdexcept>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

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

std::string columnList(const std::vector<std::string>& columns) {
  std::string list;
  for (const auto& column : columns) list += (list.empty() ? "" : ", ") + column;
  return list;
}

void checkRowSize(const std::vector<sdk::BulkValue>& row, std::size_t columns) {
  if (row.size() != columns)
    throw std::invalid_argument("bulk writer: row has " + std::to_string(row.size()) +
                                " values for " + std::to_string(columns) + " columns");
}

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

// COPY ... FROM STDIN in text format, fed in chunks (about 40x SOCI's one round trip per row).
class PostgresqlBulkWriter : public sdk::BulkWriter {
 public:
  PostgresqlBulkWriter(soci::session& session, const std::string& table,
                       const std::vector<std::string>& columns)
      : columns_(columns.size()),
        sql_("COPY " + table + " (" + columnList(columns) + ") FROM STDIN") {
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    conn_ = backend->conn_;
  }
  ~PostgresqlBulkWriter() override {
    if (copying_) PQputCopyEnd(conn_, "bulk writer abandoned");
    if (copying_) drainResults();
  }

  void add(const std::vector<sdk::BulkValue>& row) override {
    checkRowSize(row, columns_);
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) buffer_ += '\t';
      if (const auto* integer = std::get_if<std::int64_t>(&row[i])) {
        buffer_ += std::to_string(*integer);
      } else if (const auto* text = std::get_if<std::string>(&row[i])) {
        appendEscaped(*text);
      } else {
        buffer_ += "\\N";
      }
    }
    buffer_ += '\n';
    ++rows_;
    if (buffer_.size() >= kChunkBytes) flush();
  }

  std::int64_t finish() override {
    flush();
    if (copying_) {
      copying_ = false;
      if (PQputCopyEnd(conn_, nullptr) != 1) fail("ending COPY");
      drainResults(true);
    }
    return rows_;
  }

 private:
  static constexpr std::size_t kChunkBytes = 256 * 1024;

  void appendEscaped(const std::string& text) {
    for (char c : text) {
      switch (c) {
        case '\\':
          buffer_ += "\\\\";
          break;
        case '\t':
          buffer_ += "\\t";
          break;
        case '\n':
          buffer_ += "\\n";
          break;
        case '\r':
          buffer_ += "\\r";
          break;
        default:
          buffer_ += c;
      }
    }
  }

  void start() {
    PGresult* result = PQexec(conn_, sql_.c_str());
    const bool ok = PQresultStatus(result) == PGRES_COPY_IN;
    const std::string message = ok ? "" : PQresultErrorMessage(result);
    PQclear(result);
    if (!ok) throw std::runtime_error("bulk writer: " + message);
    copying_ = true;
  }

  void flush() {
    if (buffer_.empty()) return;
    if (!copying_) start();
    if (PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1)
      fail("sending COPY data");
    buffer_.clear();
  }

  void drainResults(bool throw_on_error = false) {
    std::string message;
    while (PGresult* result = PQgetResult(conn_)) {
      if (PQresultStatus(result) != PGRES_COMMAND_OK && message.empty())
        message = PQresultErrorMessage(result);
      PQclear(result);
    }
    if (throw_on_error && !message.empty()) throw std::runtime_error("bulk writer: " + message);
  }

  [[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("bulk writer: ") + what + ": " + PQerrorMessage(conn_));
  }

  std::size_t columns_;
  std::string sql_;
  PGconn* conn_ = nullptr;
  std::string buffer_;
  bool copying_ = false;
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
  return std::make_unique<PostgresqlBulkWriter>(session, table, columns);
}

}  // namespace civ::host
