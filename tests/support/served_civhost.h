// A civhost process serving the demo configuration over a fresh database, for end-to-end tests.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "tests/support/civhost_process.h"
#include "tests/support/test_database.h"

namespace civ::testing {

class ServedCivhost {
 public:
  /// `test_clock` starts civhost with CIV_TEST_CLOCK=1 (POST /api/v1/admin/clock exists).
  explicit ServedCivhost(sdk::Dialect dialect, bool test_clock = false);

  std::string url() const { return database_.url().connection; }
  int port() const { return civhost_->port(); }
  CivhostProcess& process() { return *civhost_; }
  std::string token(const std::string& user, const std::string& role,
                    const std::string& counties = "610902", const std::string& modules = "") {
    return issueToken(url(), user, role, counties, modules);
  }
  /// Moves the host's date (needs test_clock and an admin token); false when refused.
  bool setToday(const std::string& admin_token, const std::string& date);

 private:
  TestDatabase database_;
  std::unique_ptr<CivhostProcess> civhost_;
};

}  // namespace civ::testing
