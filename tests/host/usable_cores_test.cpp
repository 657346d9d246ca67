#include "host/common/usable_cores.h"

#include <filesystem>
#include <fstream>
#include <sched.h>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace civ::host {
namespace {

TEST(UsableCores, ACgroupQuotaIsRoundedUpToWholeCores) {
  EXPECT_EQ(coresOfCpuMax("200000 100000"), 2U);
  EXPECT_EQ(coresOfCpuMax("150000 100000\n"), 2U);  // 1.5 cores: both may run
  EXPECT_EQ(coresOfCpuMax("50000 100000"), 1U);     // half a core is still one
  EXPECT_EQ(coresOfCpuMax("max 100000"), std::nullopt);
  EXPECT_EQ(coresOfCpuMax(""), std::nullopt);
  EXPECT_EQ(coresOfCpuMax("garbage"), std::nullopt);
  EXPECT_EQ(coresOfCpuMax("-1 100000"), std::nullopt);
}

namespace fs = std::filesystem;

void writeFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text << "\n";
}

TEST(UsableCores, TheSmallestQuotaOfTheGroupAndItsParentsCounts) {
  const fs::path mount = testing::makeTempDirectory("civ-cgroups");
  // v2: the service's own group sets none, its slice three cores, the root none.
  writeFile(mount / "cpu.max", "max 100000");
  writeFile(mount / "system.slice/cpu.max", "300000 100000");
  writeFile(mount / "system.slice/civhost.service/cpu.max", "max 100000");
  EXPECT_EQ(cgroupQuotaCores("0::/system.slice/civhost.service\n", mount.string()), 3U);
  // A group of its own below sets two: the smaller binds.
  writeFile(mount / "system.slice/civhost.service/cpu.max", "200000 100000");
  EXPECT_EQ(cgroupQuotaCores("0::/system.slice/civhost.service\n", mount.string()), 2U);
  // At the root of what it sees (a cgroup namespace), with no limit: none.
  EXPECT_EQ(cgroupQuotaCores("0::/\n", mount.string()), std::nullopt);
  // v1 in a container: /proc names the host's path, the mount shows the container's own group
  // (quota 1.5 cores: 2); the cpuset and memory lines say nothing of the quota.
  writeFile(mount / "cpu/cpu.cfs_quota_us", "150000");
  writeFile(mount / "cpu/cpu.cfs_period_us", "100000");
  EXPECT_EQ(cgroupQuotaCores("5:cpuset:/docker/abc\n4:cpu,cpuacct:/docker/abc\n"
                             "3:memory:/docker/abc\n",
                             mount.string()),
            2U);
  // Both hierarchies named: the smaller of their limits.
  EXPECT_EQ(cgroupQuotaCores("4:cpu,cpuacct:/\n0::/system.slice/civhost.service\n", mount.string()),
            2U);
  writeFile(mount / "cpu/cpu.cfs_quota_us", "-1");  // v1's "no limit"
  EXPECT_EQ(cgroupQuotaCores("4:cpu,cpuacct:/docker/abc\n", mount.string()), std::nullopt);
  EXPECT_EQ(cgroupQuotaCores("", mount.string()), std::nullopt);
  fs::remove_all(mount);
}

TEST(UsableCores, TheProcessAffinityLimitsTheCount) {
  cpu_set_t before;
  ASSERT_EQ(sched_getaffinity(0, sizeof(before), &before), 0);
  EXPECT_GE(usableCores(), 1U);
  EXPECT_LE(usableCores(), static_cast<unsigned>(CPU_COUNT(&before)));
  // Pinned to one core (as taskset -c 0 would), the count follows; the affinity is per thread,
  // so a thread of its own is pinned and the test's is left as it was.
  unsigned pinned = 0;
  std::thread([&] {
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
      if (CPU_ISSET(cpu, &before)) {
        CPU_SET(cpu, &one);
        break;
      }
    if (sched_setaffinity(0, sizeof(one), &one) == 0) pinned = usableCores();
  }).join();
  EXPECT_EQ(pinned, 1U);
}

}  // namespace
}  // namespace civ::host
