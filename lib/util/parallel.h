// Spreading independent pieces of work over the machine's cores.
//
// Each piece writes only its own results, and which thread runs it does not change what it
// computes, so the planner's and the collector's outputs are the same bytes however the work
// was split.
#pragma once

#include <cstdint>
#include <functional>

namespace rs {

// Calls work(i) for every i in [0, n) and returns when all calls have. Item i runs on thread
// i % T of T = min(n, std::thread::hardware_concurrency()) threads, the caller's included.
// `work` must not throw (an exception on a helper thread ends the program): what it calls that
// may throw, it catches. It may read run files (rs::runfile takes turns in HDF5) but must not
// call HDF5 directly.
void parallel_for(int64_t n, const std::function<void(int64_t)>& work);

}  // namespace rs
