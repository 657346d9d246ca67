// libFuzzer: whole API requests through the host's dispatcher: routing, authentication, query
// parsing, JSON body validation and the modules' handlers, with every demo module loaded.
// Input: "<role> <METHOD> <target>\n<body>", role one of clerk, reviewer, approver, admin, none
// (anything else is sent as a token). Any 5xx, or a 4xx that is not problem+json, is a finding.
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_host.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto line_end = input.find('\n');
  const std::string line = input.substr(0, line_end);
  const std::string body = line_end == std::string::npos ? "" : input.substr(line_end + 1);
  const auto first_space = line.find(' ');
  if (first_space == std::string::npos) return 0;
  const auto second_space = line.find(' ', first_space + 1);
  if (second_space == std::string::npos) return 0;
  const std::string role = line.substr(0, first_space);
  const std::string method = line.substr(first_space + 1, second_space - first_space - 1);
  const std::string target = line.substr(second_space + 1);
  auto& fuzz = civ::fuzz::fuzzHost();
  const auto reply = fuzz.host.call(fuzz.tokenFor(role), method, target, body);
  civ::fuzz::requireNoServerError(reply, line);
  return 0;
}
