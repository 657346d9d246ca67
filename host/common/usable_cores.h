// How many cores this process may use: what sizes its concurrency (PostgreSQL's write permits).
// std::thread::hardware_concurrency() counts the machine's cores, so civhost in a container
// limited to two cores of a 64-core machine would size itself for 64.
#pragma once

#include <optional>
#include <string_view>

namespace civ::host {

/// The cores this process may run on (its CPU affinity, as taskset and cpusets set it), fewer
/// when its cgroup's CPU quota allows less (cgroup v2 cpu.max, v1 cpu.cfs_quota_us; a quota of
/// 1.5 cores counts as 2). At least 1.
unsigned usableCores();

/// Cores allowed by a cgroup v2 `cpu.max` text ("<quota> <period>" in microseconds, or
/// "max <period>"), rounded up; nullopt when it sets no limit or cannot be read.
std::optional<unsigned> coresOfCpuMax(std::string_view text);

}  // namespace civ::host
