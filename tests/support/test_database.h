// Fresh empty databases for tests, on SQLite and on the PostgreSQL server of scripts/test.
#pragma once

#include <filesystem>
#include <string>

#include <civ/sdk/storage.h>

#include "host/storage/database_url.h"

namespace civ::testing {

/// A new database, removed when this object goes. For PostgreSQL it needs CIV_TEST_POSTGRES
/// (an admin connection string); without it the constructor fails the current test: a suite
/// that was asked to run on PostgreSQL must not pass by skipping.
class TestDatabase {
 public:
  explicit TestDatabase(sdk::Dialect dialect);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const host::DatabaseUrl& url() const { return url_; }

 private:
  host::DatabaseUrl url_;
  std::filesystem::path directory_;
  std::string postgres_name_;
};

std::string dialectName(sdk::Dialect dialect);

/// A new empty directory under the system's temporary directory, removed by the caller.
std::filesystem::path makeTempDirectory(const std::string& prefix);

}  // namespace civ::testing
