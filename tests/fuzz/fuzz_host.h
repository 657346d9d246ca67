// The in-process civhost the API fuzz targets talk to, and the oracle they share.
#pragma once

#include <string>

#include "host/http/http_exchange.h"
#include "tests/support/in_process_host.h"

namespace civ::fuzz {

/// The demo counties' configuration with every module loaded, over a temporary SQLite database,
/// built on first use and kept for the whole run; with a token for each role of county 610902.
struct FuzzHost {
  FuzzHost();
  testing::InProcessHost host;
  std::string tokenFor(const std::string& role) const;

 private:
  std::string clerk_, reviewer_, approver_, admin_;
};

FuzzHost& fuzzHost();

/// A finding (abort) unless the reply is a success, or a 4xx problem+json whose status matches.
/// A 5xx on user input is a bug however the input looks.
void requireNoServerError(const host::HttpReply& reply, const std::string& request);

}  // namespace civ::fuzz
