// Timestamps as stored and shown: ISO-8601 in China Standard Time, "2026-11-23T12:30:05+08:00".
#pragma once

#include <chrono>
#include <string>

namespace civ::host {

std::string isoTimestamp(std::chrono::system_clock::time_point time);

}  // namespace civ::host
