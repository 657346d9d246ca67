#include "tests/support/test_database.h"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <unistd.h>

#include <gtest/gtest.h>
#include <soci/soci.h>

#include "host/storage/database.h"

namespace civ::testing {

namespace fs = std::filesystem;

namespace {
std::atomic<int> g_counter{0};

std::string adminConnection() {
  const char* admin = std::getenv("CIV_TEST_POSTGRES");
  if (admin == nullptr || *admin == '\0') {
    ADD_FAILURE() << "CIV_TEST_POSTGRES is not set: run the suite with scripts/test, which starts "
                     "a PostgreSQL server for it";
    throw std::runtime_error("CIV_TEST_POSTGRES is not set");
  }
  return admin;
}
}  // namespace

fs::path makeTempDirectory(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string dialectName(sdk::Dialect dialect) {
  return dialect == sdk::Dialect::Sqlite ? "Sqlite" : "Postgresql";
}

TestDatabase::TestDatabase(sdk::Dialect dialect) {
  if (dialect == sdk::Dialect::Sqlite) {
    directory_ = makeTempDirectory("civ-test-db");
    url_ = {sdk::Dialect::Sqlite, (directory_ / "civ.db").string()};
    return;
  }
  const std::string admin = adminConnection();
  postgres_name_ = "civ_test_" + std::to_string(getpid()) + "_" + std::to_string(g_counter++);
  soci::session session;
  host::openSession(session, host::DatabaseUrl{sdk::Dialect::Postgresql, admin});
  session << "DROP DATABASE IF EXISTS " + postgres_name_;
  session << "CREATE DATABASE " + postgres_name_;
  // In a libpq connection string the last value of a repeated keyword wins.
  url_ = {sdk::Dialect::Postgresql, admin + " dbname=" + postgres_name_};
}

TestDatabase::~TestDatabase() {
  std::error_code ignored;
  if (!directory_.empty()) fs::remove_all(directory_, ignored);
  if (postgres_name_.empty()) return;
  try {
    soci::session session;
    host::openSession(
        session, host::DatabaseUrl{sdk::Dialect::Postgresql, std::getenv("CIV_TEST_POSTGRES")});
    session << "DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)";
  } catch (const std::exception&) {
    // The server goes away with scripts/test anyway.
  }
}

}  // namespace civ::testing
