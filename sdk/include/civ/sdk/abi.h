// The ABI gate: version numbers and export macros shared by the host and every plugin.
// This header is included by plugin entry points; it has no third-party includes.
#pragma once

#include <cstdint>

/// Bumped on any vtable or layout break of an SDK type; also renames the factory symbol
/// (civ_plugin_factory_v<MAJOR>), so a plugin of another major is refused without loading it.
#define CIV_SDK_ABI_MAJOR 1
/// Bumped on additive host-side changes (appended virtuals on host-implemented interfaces, or
/// libciv_sdk behaviour a plugin may rely on: 1.7 binds NULL in a KeptQuery; 1.8 appends
/// EventBus::publishAll).
/// A plugin built with minor m is refused by a host whose minor is lower than m.
#define CIV_SDK_ABI_MINOR 8
#define CIV_SDK_VERSION_PATCH 0
#define CIV_SDK_VERSION_STRING "1.8.0"

/// Marks SDK classes and functions exported from libciv_sdk.so (one typeinfo for all plugins).
#define CIV_SDK_API __attribute__((visibility("default")))
/// Marks what libciv_sdk_testing.so exports (the fake Context); the host code inside it is hidden.
#define CIV_SDK_TESTING_API __attribute__((visibility("default")))
/// Marks the few C symbols a plugin exports (plugins are built with hidden visibility).
#define CIV_PLUGIN_EXPORT __attribute__((visibility("default")))

namespace civ::sdk {

/// The value civ_sdk_abi_version() returns: MAJOR << 16 | MINOR.
inline constexpr std::uint32_t kAbiVersion =
    (static_cast<std::uint32_t>(CIV_SDK_ABI_MAJOR) << 16) | CIV_SDK_ABI_MINOR;

}  // namespace civ::sdk
