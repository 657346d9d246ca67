#include <stdexcept>

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <civ/sdk/testing/statement_counter.h>

namespace civ::sdk::testing {

StatementCounter::StatementCounter(soci::session& db) {
  if (db.get_backend_name() != "sqlite3")
    throw std::runtime_error("StatementCounter counts SQLite statements only");
  connection_ = static_cast<soci::sqlite3_session_backend*>(db.get_backend())->conn_;
  sqlite_api::sqlite3_trace_v2(static_cast<sqlite_api::sqlite3*>(connection_), SQLITE_TRACE_STMT,
                               &StatementCounter::onStatement, this);
}

StatementCounter::~StatementCounter() {
  sqlite_api::sqlite3_trace_v2(static_cast<sqlite_api::sqlite3*>(connection_), 0, nullptr, nullptr);
}

std::string StatementCounter::listing() const {
  std::string all;
  for (const auto& statement : statements_) all += statement + "\n";
  return all;
}

int StatementCounter::onStatement(unsigned, void* self, void*, void* text) {
  static_cast<StatementCounter*>(self)->statements_.emplace_back(static_cast<const char*>(text));
  return 0;
}

}  // namespace civ::sdk::testing
