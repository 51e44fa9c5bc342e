#include "util/parallel.h"

#include <algorithm>
#include <system_error>
#include <thread>
#include <vector>

namespace rs {

void parallel_for(int64_t n, const std::function<void(int64_t)>& work) {
  int64_t threads = std::min<int64_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  auto run_share = [&](int64_t thread) {
    for (int64_t i = thread; i < n; i += threads) work(i);
  };
  // A thread that cannot be started (a login node's per-user limit) leaves its share to the
  // caller: slower, same result.
  std::vector<std::thread> helpers;
  std::vector<int64_t> left_to_caller;
  for (int64_t t = 1; t < threads; ++t) {
    try {
      helpers.emplace_back(run_share, t);
    } catch (const std::system_error&) {
      left_to_caller.push_back(t);
    }
  }
  if (threads > 0) run_share(0);
  for (int64_t t : left_to_caller) run_share(t);
  for (auto& helper : helpers) helper.join();
}

}  // namespace rs
