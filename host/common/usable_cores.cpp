#include "host/common/usable_cores.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <iterator>
#include <sched.h>
#include <sstream>
#include <string>
#include <thread>

namespace civ::host {

namespace {

std::optional<long long> numberAt(std::string_view text) {
  long long value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<unsigned> coresOfQuota(long long quota, long long period) {
  if (quota <= 0 || period <= 0) return std::nullopt;  // v1 says -1 for no limit
  return static_cast<unsigned>(std::max(1LL, (quota + period - 1) / period));
}

std::string firstLineOf(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return line;
}

/// The smallest of `quota` over the groups from `path` up to the mount's root: a limit set on
/// a parent (a systemd slice's CPUQuota=, a pod's limit) binds the groups below it.
template <typename Quota>
std::optional<unsigned> smallestUpFrom(const std::string& mount, std::string path, Quota quota) {
  std::optional<unsigned> smallest;
  for (;;) {
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    if (const auto cores = quota(mount + (path == "/" ? "" : path)))
      smallest = smallest ? std::min(*smallest, *cores) : *cores;
    if (path.empty() || path == "/") break;
    const auto slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return smallest;
}

}  // namespace

std::optional<unsigned> coresOfCpuMax(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  const auto space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto quota = numberAt(text.substr(0, space));  // "max" is no number: no limit
  const auto period = numberAt(text.substr(space + 1));
  if (!quota || !period) return std::nullopt;
  return coresOfQuota(*quota, *period);
}

std::optional<unsigned> cgroupQuotaCores(std::string_view proc_self_cgroup,
                                         const std::string& cgroup_mount) {
  const auto v2 = [](const std::string& group) {
    return coresOfCpuMax(firstLineOf(group + "/cpu.max"));
  };
  const auto v1 = [](const std::string& group) -> std::optional<unsigned> {
    const auto quota = numberAt(firstLineOf(group + "/cpu.cfs_quota_us"));
    const auto period = numberAt(firstLineOf(group + "/cpu.cfs_period_us"));
    if (!quota || !period) return std::nullopt;
    return coresOfQuota(*quota, *period);
  };
  std::istringstream cgroups{std::string(proc_self_cgroup)};
  std::string line;
  std::optional<unsigned> smallest;
  const auto take = [&](std::optional<unsigned> cores) {
    if (cores) smallest = smallest ? std::min(*smallest, *cores) : *cores;
  };
  while (std::getline(cgroups, line)) {
    // "0::/system.slice/civhost.service" on v2; "4:cpu,cpuacct:/docker/abc" on v1.
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty())
      take(smallestUpFrom(cgroup_mount, path, v2));
    else if (("," + controllers + ",").find(",cpu,") != std::string::npos)
      take(smallestUpFrom(cgroup_mount + "/cpu", path, v1));
  }
  return smallest;
}

unsigned usableCores() {
  unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
    cores = std::max(1, CPU_COUNT(&allowed));
  std::ifstream file("/proc/self/cgroup");
  const std::string groups{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
  if (const auto quota = cgroupQuotaCores(groups, "/sys/fs/cgroup"))
    cores = std::min(cores, *quota);
  return cores;
}

}  // namespace civ::host
