// libFuzzer: the household CSV import (docs/import-layout.md) on any bytes, through the API as a
// clerk would send a file. A refused file must change nothing: the counts of persons, households
// and members are the same after it.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "host/storage/database.h"
#include "tests/fuzz/fuzz_host.h"

namespace {

long long rows(civ::fuzz::FuzzHost& fuzz) {
  civ::host::PooledSession lease(*fuzz.host.services().database);
  long long persons = 0, households = 0, members = 0;
  lease.session() << "SELECT (SELECT COUNT(*) FROM civ_persons), (SELECT COUNT(*) FROM"
                     " sa_households), (SELECT COUNT(*) FROM sa_members)",
      soci::into(persons), soci::into(households), soci::into(members);
  return persons * 1000003 + households * 1009 + members;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto& fuzz = civ::fuzz::fuzzHost();
  const std::string content(reinterpret_cast<const char*>(data), size);
  // Not valid UTF-8 cannot be a JSON string; send the bytes as the body's raw content anyway.
  const auto body = nlohmann::json{{"format", "csv"}, {"content", content}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  const long long before = rows(fuzz);
  const auto reply =
      fuzz.host.call(fuzz.tokenFor("clerk"), "POST",
                     "/api/v1/counties/610902/social_assistance/imports/households", body);
  civ::fuzz::requireNoServerError(reply, "POST imports/households");
  if (reply.status >= 400 && rows(fuzz) != before) std::abort();  // refused, yet written
  return 0;
}
