#include "host/storage/fair_lease.h"

#include <algorithm>

namespace civ::host {

bool FairLease::acquire(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  if (free_ > 0 && waiting_.empty()) {
    --free_;
    return true;
  }
  Waiter me;
  waiting_.push_back(&me);
  if (me.woken.wait_for(lock, timeout, [&me] { return me.granted; })) return true;
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &me));
  return false;
}

void FairLease::release() {
  std::lock_guard lock(mutex_);
  if (waiting_.empty()) {
    ++free_;
    return;
  }
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->granted = true;
  next->woken.notify_one();  // under the lock: `next` lives until it takes the lock back
}

}  // namespace civ::host
