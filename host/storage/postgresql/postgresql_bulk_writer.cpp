// COPY ... FROM STDIN for the bulk writer on PostgreSQL (bulk_writer.h), in the module.
#include "host/storage/postgresql/postgresql_bulk_writer.h"

#include <libpq-fe.h>
#include <stdexcept>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/session.h>

#include "host/storage/bulk_rows.h"

namespace civ::host {

namespace {

// COPY ... FROM STDIN in text format, fed in chunks (about 40x SOCI's one round trip per row).
class PostgresqlBulkWriter : public sdk::BulkWriter {
 public:
  PostgresqlBulkWriter(soci::session& session, const std::string& table,
                       const std::vector<std::string>& columns)
      : columns_(columns.size()),
        sql_("COPY " + table + " (" + bulk_rows::columnList(columns) + ") FROM STDIN") {
    auto* backend = static_cast<soci::postgresql_session_backend*>(session.get_backend());
    conn_ = backend->conn_;
  }
  ~PostgresqlBulkWriter() override {
    if (copying_) PQputCopyEnd(conn_, "bulk writer abandoned");
    if (copying_) drainResults();
  }

  void add(const std::vector<sdk::BulkValue>& row) override {
    bulk_rows::checkRowSize(row, columns_);
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

std::unique_ptr<sdk::BulkWriter> makePostgresqlBulkWriter(soci::session& session,
                                                          const std::string& table,
                                                          const std::vector<std::string>& columns) {
  return std::make_unique<PostgresqlBulkWriter>(session, table, columns);
}

}  // namespace civ::host
