// libFuzzer: the citizen ID and region-code parsers on any bytes. Whatever parses must be a
// canonical, checksummed ID of a known province, born by today; whatever does not must be
// refused with one of the documented rules.
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>

#include <civ/sdk/citizen_id.h>
#include <civ/sdk/error.h>

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using civ::sdk::CitizenId;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto today = *civ::sdk::Date::parse("2026-11-23");
  static const std::set<std::string> rules = {"length", "characters", "region_code", "birth_date",
                                              "checksum"};
  (void)civ::sdk::isRegionPrefix(text);
  (void)civ::sdk::isCountyCode(text);
  (void)civ::sdk::maskCitizenIds(text);
  require(CitizenId::mask(text).size() == (text.size() == 18 ? 18u : 3u));
  const auto problem = CitizenId::check(text, today);
  if (problem) {
    require(rules.count(problem->rule) == 1 && !problem->message.empty());
    try {
      (void)CitizenId::parse(text, today);
      std::abort();  // check() refused what parse() accepted
    } catch (const civ::sdk::ValidationError&) {
    }
    return 0;
  }
  const auto id = CitizenId::parse(text, today);
  require(id.str() == text);
  require(CitizenId::checkCharacter(text.substr(0, 17)) == text[17]);
  require(civ::sdk::isRegionPrefix(id.regionCode().substr(0, 2)));  // a province, at least
  require(!(today < id.birthDate()));
  require(id.masked() ==
          std::string(text.substr(0, 6)) + "********" + std::string(text.substr(14)));
  return 0;
}
