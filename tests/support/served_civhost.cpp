#include "tests/support/served_civhost.h"

#include <cstdlib>

#include "tests/support/http_client.h"

namespace civ::testing {

ServedCivhost::ServedCivhost(sdk::Dialect dialect, bool test_clock) : database_(dialect) {
  if (test_clock) setenv("CIV_TEST_CLOCK", "1", 1);  // inherited by the child only
  civhost_ = std::make_unique<CivhostProcess>(std::vector<std::string>{
      "serve", "--config", std::string(CIV_SOURCE_DIR) + "/config", "--database", url(),
      "--plugin-dir", CIV_PLUGIN_DIR, "--listen", "127.0.0.1:0"});
  unsetenv("CIV_TEST_CLOCK");
  if (!civhost_->waitUntilListening())
    throw std::runtime_error("civhost did not start: " + civhost_->stderrText());
}

bool ServedCivhost::setToday(const std::string& admin_token, const std::string& date) {
  return httpRequest(port(), "POST", "/api/v1/admin/clock", "{\"today\":\"" + date + "\"}",
                     admin_token)
             .status == 200;
}

}  // namespace civ::testing
