#include "host/common/usable_cores.h"

#include <sched.h>
#include <thread>

#include <gtest/gtest.h>

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
