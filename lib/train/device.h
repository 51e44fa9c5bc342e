// Where a run computes: its device and its number of CPU threads.
#pragma once

#include <cstdint>
#include <string>

#include <c10/core/Device.h>

namespace rs::train {

// "cpu", "cuda", or "auto" (CUDA when a device is available, else the CPU). Throws
// std::runtime_error for "cuda" on a machine without one: the run may succeed elsewhere.
c10::Device choose_device(const std::string& name);

// Sets LibTorch's intra-op thread count to $SLURM_CPUS_PER_TASK when that is a positive
// number, else to the hardware concurrency, so a task uses exactly the CPUs it was given.
// Returns the count.
int64_t set_thread_count();

}  // namespace rs::train
