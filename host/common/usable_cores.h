// How many cores this process may use: what sizes its concurrency (PostgreSQL's write permits).
// std::thread::hardware_concurrency() counts the machine's cores, so civhost in a container
// limited to two cores of a 64-core machine would size itself for 64.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace civ::host {

/// The cores this process may run on (the calling thread's CPU affinity, which threads inherit, as
/// taskset and cpusets set it), fewer when its cgroup's CPU quota allows less (cgroup v2 cpu.max,
/// v1 cpu.cfs_quota_us; a quota of 1.5 cores counts as 2). At least 1.
unsigned usableCores();

/// The smallest CPU quota, in cores rounded up, of the cgroups that `proc_self_cgroup` (the text
/// of /proc/self/cgroup) names and of their parents up to the mount's root, v2's unified
/// hierarchy under `cgroup_mount` and v1's cpu controller under `cgroup_mount`/cpu: a limit on a
/// parent (a systemd slice's CPUQuota=, a pod's limit) binds the groups below it. In a cgroup
/// namespace the process's own group is the root of what it sees, and the walk ends there.
/// nullopt when none sets a limit.
std::optional<unsigned> cgroupQuotaCores(std::string_view proc_self_cgroup,
                                         const std::string& cgroup_mount);

/// Cores allowed by a cgroup v2 `cpu.max` text ("<quota> <period>" in microseconds, or
/// "max <period>"), rounded up; nullopt when it sets no limit or cannot be read.
std::optional<unsigned> coresOfCpuMax(std::string_view text);

}  // namespace civ::host
