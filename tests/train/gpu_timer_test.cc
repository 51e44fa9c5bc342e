#include "train/gpu_timer.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <catch2/catch.hpp>

using rs::train::GpuTimer;

TEST_CASE("GpuTimer measures nothing on the CPU", "[gpu_timer]") {
  GpuTimer timer(torch::Device(torch::kCPU));
  CHECK_FALSE(timer.available());
  timer.start();
  CHECK(timer.stop() == 0.0);
}

TEST_CASE("GpuTimer times queued CUDA work by events", "[gpu_timer]") {
  if (!torch::cuda::is_available()) {
    WARN("no CUDA device here: event timing not exercised");
    return;
  }
  GpuTimer timer(torch::Device(torch::kCUDA, 0));
  if (!timer.available()) {
    WARN("this LibTorch has no event timing (gpu_timer.h): gpu_s falls back to wall time");
    return;
  }
  torch::Tensor a = torch::randn({4096, 4096}, torch::Device(torch::kCUDA, 0));
  timer.start();
  for (int i = 0; i < 20; ++i) a = torch::mm(a, a).clamp(-1, 1);
  double seconds = timer.stop();  // waits for the work: no synchronize needed before
  CHECK(seconds > 0.0);
  CHECK(seconds < 60.0);
  timer.start();
  CHECK(timer.stop() < seconds);  // an empty stretch takes less than 20 large matmuls
}
