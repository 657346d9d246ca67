#include "host/storage/fair_lease.h"

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

namespace civ::host {
namespace {

using std::chrono::milliseconds;

TEST(FairLeaseTest, APermitGivenBackGoesToTheOneWaitingAndNoneIsLostOrMade) {
  FairLease lease(2);
  ASSERT_TRUE(lease.acquire(milliseconds(0)));
  ASSERT_TRUE(lease.acquire(milliseconds(0)));
  EXPECT_FALSE(lease.acquire(milliseconds(0)));  // both taken: the patience passes
  bool granted = false;
  std::jthread waiter([&] { granted = lease.acquire(milliseconds(60'000)); });
  lease.release();  // to the waiter, once it waits, or to the pool first and then to it
  waiter.join();
  EXPECT_TRUE(granted);
  EXPECT_FALSE(lease.acquire(milliseconds(0)));  // the waiter holds the one given back
  // A waiter that gave up holds nothing: two given back make exactly two again.
  EXPECT_FALSE(lease.acquire(milliseconds(20)));
  lease.release();
  lease.release();
  EXPECT_TRUE(lease.acquire(milliseconds(0)));
  EXPECT_TRUE(lease.acquire(milliseconds(0)));
  EXPECT_FALSE(lease.acquire(milliseconds(0)));
}

}  // namespace
}  // namespace civ::host
