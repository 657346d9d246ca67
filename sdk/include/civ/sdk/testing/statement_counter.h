// Counts the SQL statements a test's SQLite session runs: for tests that hold a read or a list
// to a fixed number of statements whatever the number of rows (no N+1 query per row).
#pragma once

#include <string>
#include <vector>

#include <civ/sdk/abi.h>

namespace soci {
class session;
}

namespace civ::sdk::testing {

/// Counts every statement `db` (a FakeContext's SQLite session) starts while the counter lives,
/// with its text for the failure message. Throws std::runtime_error on another engine.
class CIV_SDK_TESTING_API StatementCounter {
 public:
  explicit StatementCounter(soci::session& db);
  ~StatementCounter();
  StatementCounter(const StatementCounter&) = delete;
  StatementCounter& operator=(const StatementCounter&) = delete;

  int count() const { return static_cast<int>(statements_.size()); }
  const std::vector<std::string>& statements() const { return statements_; }
  /// The statements one per line, for a failure message.
  std::string listing() const;

 private:
  static int onStatement(unsigned, void* self, void*, void* text);
  void* connection_;  // sqlite3*, kept opaque so this header needs no SQLite headers
  std::vector<std::string> statements_;
};

}  // namespace civ::sdk::testing
