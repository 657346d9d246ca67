// CIV_PLUGIN(Class): a plugin's entry point. Include in exactly one file of the plugin.
//
// A plugin is a MODULE library built with civ_add_plugin() (see CivAddPlugin.cmake), which
// defines CIV_PLUGIN_ID and CIV_PLUGIN_VERSION. The library exports exactly three symbols, all
// emitted here: civ_sdk_abi_version(), civ_sdk_build_info() (SDK version, id, version and the
// build tag of build_info.h) and the factory alias civ_plugin_factory_v1 (ABI major in the name).
#pragma once

#include <boost/dll/alias.hpp>

#include <civ/sdk/abi.h>
#include <civ/sdk/build_info.h>
#include <civ/sdk/plugin.h>

#ifndef CIV_PLUGIN_ID
#error "CIV_PLUGIN_ID is undefined: build the plugin with civ_add_plugin() from CivSdk"
#endif

/// Emits the plugin's entry points. Use once, in the plugin's registration file:
///   CIV_PLUGIN(civ::plugins::marriage::MarriagePlugin);
#define CIV_PLUGIN(Class)                                                                    \
  extern "C" CIV_PLUGIN_EXPORT std::uint32_t civ_sdk_abi_version() noexcept {                \
    return ::civ::sdk::kAbiVersion;                                                          \
  }                                                                                          \
  extern "C" CIV_PLUGIN_EXPORT const char* civ_sdk_build_info() noexcept {                   \
    return "sdk=" CIV_SDK_VERSION_STRING ";id=" CIV_PLUGIN_ID ";version=" CIV_PLUGIN_VERSION \
           ";" CIV_SDK_BUILD_TAG;                                                            \
  }                                                                                          \
  BOOST_DLL_ALIAS(::civ::sdk::detail::createPlugin<Class>, civ_plugin_factory_v1)            \
  static_assert(true, "CIV_PLUGIN(Class) is written with a trailing semicolon")

#ifndef CIV_PLUGIN_VERSION
#error "CIV_PLUGIN_VERSION is undefined: build the plugin with civ_add_plugin() from CivSdk"
#endif
