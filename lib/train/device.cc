#include "train/device.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <ATen/Parallel.h>
#include <torch/cuda.h>

namespace rs::train {

c10::Device choose_device(const std::string& name) {
  const bool have_cuda = torch::cuda::is_available();
  if (name == "cuda" && !have_cuda)
    throw std::runtime_error("device: cuda requested, but no CUDA device is available");
  if (name == "cuda" || (name == "auto" && have_cuda)) return c10::Device(c10::kCUDA, 0);
  return c10::Device(c10::kCPU);
}

int64_t set_thread_count() {
  int64_t threads = std::max(1u, std::thread::hardware_concurrency());
  if (const char* slurm_cpus = std::getenv("SLURM_CPUS_PER_TASK")) {
    char* end = nullptr;
    long n = std::strtol(slurm_cpus, &end, 10);
    if (end != slurm_cpus && *end == '\0' && n > 0) threads = n;
  }
  at::set_num_threads(static_cast<int>(threads));
  return threads;
}

}  // namespace rs::train
