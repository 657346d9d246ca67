// Logging: one spdlog logger per plugin plus "civhost" and "http", all writing through one
// sink that masks citizen ID numbers, on the compiled shared spdlog (one registry for host and
// plugins).
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

namespace civ::host {

/// Sets the level and the shared sink (stderr, citizen IDs masked). Call once, first.
void setupLogging(const std::string& level);
/// A logger named `name` writing to the shared sink; the same logger on a second call.
std::shared_ptr<spdlog::logger> namedLogger(const std::string& name);
/// Wraps `inner` so that every message is masked before it reaches it.
std::shared_ptr<spdlog::sinks::sink> maskingSink(std::shared_ptr<spdlog::sinks::sink> inner);

}  // namespace civ::host
