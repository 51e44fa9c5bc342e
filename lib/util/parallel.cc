#include "util/parallel.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace rs {

void parallel_for(int64_t n, const std::function<void(int64_t)>& work) {
  int64_t threads = std::min<int64_t>(n, std::max(1u, std::thread::hardware_concurrency()));
  auto run_share = [&](int64_t thread) {
    for (int64_t i = thread; i < n; i += threads) work(i);
  };
  std::vector<std::thread> helpers;
  for (int64_t t = 1; t < threads; ++t) helpers.emplace_back(run_share, t);
  if (threads > 0) run_share(0);
  for (auto& helper : helpers) helper.join();
}

}  // namespace rs
