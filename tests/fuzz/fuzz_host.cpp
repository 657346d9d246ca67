#include "tests/fuzz/fuzz_host.h"

#include <cstdio>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "host/config/host_config.h"
#include "host/config/policy_validation.h"

namespace civ::fuzz {

namespace {

host::Config demoConfig() {
  auto config = host::loadConfig(std::string(CIV_SOURCE_DIR) + "/config");
  if (!config.problems.empty()) {
    std::fprintf(stderr, "fuzz host: the demo configuration has problems\n");
    std::abort();
  }
  return config;
}

/// Every demo module: the modules added since (elderly care, place names, social organisations,
/// veterans) take requests too.
const std::set<std::string>& demoModules() {
  static const std::set<std::string> modules = {"example",     "marriage",     "social_assistance",
                                                "funeral",     "elderly_care", "place_names",
                                                "social_orgs", "veterans"};
  return modules;
}

}  // namespace

FuzzHost::FuzzHost() : host(demoConfig(), demoModules()) {
  // The demo counties' policy values and working-day calendar, as civhost serve loads them.
  const auto config = demoConfig();
  const auto problems = host::applyConfiguredPolicy(config, host.services().policy, demoModules());
  if (!problems.empty()) {
    std::fprintf(stderr, "fuzz host: config/policy: %s\n", problems.front().describe().c_str());
    std::abort();
  }
  host.services().calendar = config.calendar;
  const std::vector<std::string> counties = {"610902", "350502"};
  clerk_ = host.token({"wang", "clerk", counties, {}});
  reviewer_ = host.token({"li", "reviewer", counties, {}});
  approver_ = host.token({"zhao", "approver", counties, {}});
  admin_ = host.token({"root", "admin", counties, {}});
}

std::string FuzzHost::tokenFor(const std::string& role) const {
  if (role == "clerk") return clerk_;
  if (role == "reviewer") return reviewer_;
  if (role == "approver") return approver_;
  if (role == "admin") return admin_;
  return role == "none" ? "" : role;  // anything else is sent as a (bad) token
}

FuzzHost& fuzzHost() {
  static FuzzHost instance;
  return instance;
}

void requireNoServerError(const host::HttpReply& reply, const std::string& request) {
  bool fine = reply.status >= 200 && reply.status < 500;
  if (fine && reply.status >= 400) {
    const auto problem = nlohmann::json::parse(reply.body, nullptr, false);
    fine = reply.content_type == "application/problem+json" && problem.is_object() &&
           problem.value("status", 0) == reply.status && problem.contains("type");
  }
  if (!fine) {
    std::fprintf(stderr, "fuzz finding: %s\n-> %d %s\n%s\n", request.c_str(), reply.status,
                 reply.content_type.c_str(), reply.body.c_str());
    std::abort();
  }
}

}  // namespace civ::fuzz
