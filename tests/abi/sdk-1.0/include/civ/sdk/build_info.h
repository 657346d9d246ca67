// The build tag: versions of every third-party type that crosses the plugin boundary.
// Host and plugin each compile this tag; the host refuses a plugin whose tag differs.
#pragma once

#include <fmt/core.h>             // FMT_VERSION
#include <nlohmann/json_fwd.hpp>  // NLOHMANN_JSON_NAMESPACE: the inline ABI namespace of json
#include <soci/version.h>
#include <spdlog/version.h>

#define CIV_SDK_STRINGIFY_(x) #x
#define CIV_SDK_STRINGIFY(x) CIV_SDK_STRINGIFY_(x)

#if defined(__x86_64__)
#define CIV_SDK_PLATFORM "linux-x86_64"
#elif defined(__aarch64__)
#define CIV_SDK_PLATFORM "linux-aarch64"
#else
#error "civ supports linux-x86_64 and linux-aarch64"
#endif

#ifdef _GLIBCXX_DEBUG
#define CIV_SDK_GLIBCXX_DEBUG "1"
#else
#define CIV_SDK_GLIBCXX_DEBUG "0"
#endif

/// Everything in the build info that must equal the host's exactly ("key=value;" pairs).
// clang-format off
#define CIV_SDK_BUILD_TAG                                                   \
  "os=" CIV_SDK_PLATFORM                                                    \
  ";stdlib=libstdc++"                                                       \
  ";cxx11abi=" CIV_SDK_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)                    \
  ";glibcxx_debug=" CIV_SDK_GLIBCXX_DEBUG                                   \
  ";json=" CIV_SDK_STRINGIFY(NLOHMANN_JSON_NAMESPACE)                       \
  ";soci=" SOCI_LIB_VERSION                                                 \
  ";spdlog=" CIV_SDK_STRINGIFY(SPDLOG_VER_MAJOR) "." CIV_SDK_STRINGIFY(SPDLOG_VER_MINOR) \
  ";fmt=" CIV_SDK_STRINGIFY(FMT_VERSION)
// clang-format on
