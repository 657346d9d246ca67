// Entry points written by hand instead of CIV_PLUGIN, to break one thing at a time:
//   TEST_FACTORY      1 = civ_plugin_factory_v1, 2 = civ_plugin_factory_v2, 0 = none
//   TEST_ABI_MINOR    the minor civ_sdk_abi_version() reports
//   TEST_FOREIGN_JSON 1 = claim another nlohmann::json ABI (placed before the real tag; the
//                     first value of a key wins)
#include <boost/dll/alias.hpp>

#include <civ/sdk/build_info.h>
#include <civ/sdk/plugin.h>

#ifndef TEST_FACTORY
#define TEST_FACTORY 1
#endif
#ifndef TEST_ABI_MINOR
#define TEST_ABI_MINOR CIV_SDK_ABI_MINOR
#endif
#if defined(TEST_FOREIGN_JSON)
#define TEST_TAG_OVERRIDE "json=nlohmann::json_abi_v9_9_9;"
#else
#define TEST_TAG_OVERRIDE ""
#endif

namespace civ::plugins::test {
class MinimalPlugin : public sdk::Plugin {
 public:
  void start(sdk::Context&) override {}
};
}  // namespace civ::plugins::test

extern "C" CIV_PLUGIN_EXPORT std::uint32_t civ_sdk_abi_version() noexcept {
  return (static_cast<std::uint32_t>(CIV_SDK_ABI_MAJOR) << 16) | TEST_ABI_MINOR;
}
extern "C" CIV_PLUGIN_EXPORT const char* civ_sdk_build_info() noexcept {
  return "sdk=" CIV_SDK_VERSION_STRING ";id=" CIV_PLUGIN_ID ";version=" CIV_PLUGIN_VERSION
         ";" TEST_TAG_OVERRIDE CIV_SDK_BUILD_TAG;
}
#if TEST_FACTORY == 1
BOOST_DLL_ALIAS(::civ::sdk::detail::createPlugin<civ::plugins::test::MinimalPlugin>,
                civ_plugin_factory_v1)
#elif TEST_FACTORY == 2
BOOST_DLL_ALIAS(::civ::sdk::detail::createPlugin<civ::plugins::test::MinimalPlugin>,
                civ_plugin_factory_v2)
#endif
