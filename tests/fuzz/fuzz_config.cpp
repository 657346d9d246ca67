// libFuzzer: the YAML configuration and policy loader. The input replaces one file of a copy of
// the demo configuration (even first byte: the county file of 610902; odd: the policy file of
// province 61); loading it must never throw or crash, and its policy values must be checked
// against the loaded modules' declarations as at start-up, answering problems, not crashing.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "host/config/host_config.h"
#include "host/config/policy_validation.h"
#include "tests/fuzz/fuzz_host.h"
#include "tests/support/test_database.h"

namespace fs = std::filesystem;

namespace {

const fs::path& configCopy() {
  static const fs::path directory = [] {
    const auto root = civ::testing::makeTempDirectory("civ-fuzz-config");
    fs::copy(fs::path(CIV_SOURCE_DIR) / "config", root / "config", fs::copy_options::recursive);
    return root / "config";
  }();
  return directory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto& fuzz = civ::fuzz::fuzzHost();
  const fs::path& directory = configCopy();
  const fs::path file =
      (data[0] % 2 == 0) ? directory / "counties/610902.yaml" : directory / "policy/6109.yaml";
  const std::string original = [&] {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  std::ofstream(file, std::ios::trunc)
      .write(reinterpret_cast<const char*>(data) + 1, static_cast<std::streamsize>(size - 1));
  const auto config = civ::host::loadConfig(directory);
  // A fresh store with the loaded modules' declarations, as civhost builds at start-up.
  civ::host::PolicyStore store;
  const auto& declared = fuzz.host.services().policy;
  for (const auto& key : declared.keys())
    store.declare(key.substr(0, key.find('.')), *declared.declaration(key));
  (void)civ::host::applyConfiguredPolicy(config, store,
                                         {"example", "marriage", "social_assistance", "funeral"});
  std::ofstream(file, std::ios::trunc) << original;
  return 0;
}
