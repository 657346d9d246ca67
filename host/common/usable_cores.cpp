#include "host/common/usable_cores.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sched.h>
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

/// The process's own cgroup quota (v2 unified hierarchy first, then v1's cpu controller).
std::optional<unsigned> cgroupQuotaCores() {
  std::ifstream cgroups("/proc/self/cgroup");
  std::string line;
  while (std::getline(cgroups, line)) {
    // "0::/system.slice/civhost.service" on v2; "4:cpu,cpuacct:/..." on v1.
    const auto first = line.find(':');
    const auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      if (auto cores = coresOfCpuMax(firstLineOf("/sys/fs/cgroup" + path + "/cpu.max")))
        return cores;
      // In a cgroup namespace the process's own group is the root of what it sees.
      if (auto cores = coresOfCpuMax(firstLineOf("/sys/fs/cgroup/cpu.max"))) return cores;
    } else if (("," + controllers + ",").find(",cpu,") != std::string::npos) {
      for (const std::string& base :
           {"/sys/fs/cgroup/cpu" + path, std::string("/sys/fs/cgroup/cpu")}) {
        const auto quota = numberAt(firstLineOf(base + "/cpu.cfs_quota_us"));
        const auto period = numberAt(firstLineOf(base + "/cpu.cfs_period_us"));
        if (quota && period) return coresOfQuota(*quota, *period);
      }
    }
  }
  return std::nullopt;
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

unsigned usableCores() {
  unsigned cores = std::max(1U, std::thread::hardware_concurrency());
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0)
    cores = std::max(1, CPU_COUNT(&allowed));
  if (const auto quota = cgroupQuotaCores()) cores = std::min(cores, *quota);
  return cores;
}

}  // namespace civ::host
