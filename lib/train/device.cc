#include "train/device.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include <ATen/Parallel.h>
#include <fmt/format.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include "train/environment.h"

#if RS_TORCH_CUDA
#include <cuda_runtime_api.h>
#endif

namespace rs::train {
namespace {

// The variable that says this process was given a GPU, as "NAME=value" for messages; "" when
// it was given none (device.h).
std::string given_gpu() {
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES"))
    return *visible != '\0' ? fmt::format("CUDA_VISIBLE_DEVICES={}", visible) : "";
  for (const char* name : {"SLURM_JOB_GPUS", "SLURM_STEP_GPUS"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return fmt::format("{}={}", name, value);
  }
  return "";
}

bool cpu_allowed() {
  const char* allow = std::getenv(kAllowCpuVariable);
  return allow != nullptr && std::string(allow) == "1";
}

// Why CUDA is unusable here, as CUDA says it, and what the driver and LibTorch offer.
std::string why_no_cuda() {
  std::string cuda_says = "CUDA sees no device";
#if RS_TORCH_CUDA
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) cuda_says = cudaGetErrorString(status);
#endif
  const std::string driver = nvidia_driver_version();
  const std::string driver_cuda = driver_cuda_version();
  const std::string built_for = libtorch_cuda_version();
  std::string text = cuda_says + ". ";
  if (driver.empty())
    text += "No NVIDIA driver is loaded (no /proc/driver/nvidia/version). ";
  else
    text += fmt::format("NVIDIA driver {}{}. ", driver,
                        driver_cuda.empty() ? "" : fmt::format(" supports CUDA up to {}", driver_cuda));
  if (built_for.empty())
    return text + fmt::format("This LibTorch {} was built without CUDA: build against a CUDA LibTorch",
                              TORCH_VERSION);
  return text + fmt::format("This LibTorch {} was built for CUDA {}: install a driver that supports CUDA {} "
                            "or newer, or use a LibTorch built for the CUDA the driver supports",
                            TORCH_VERSION, built_for, built_for);
}

}  // namespace

DeviceChoice choose_device(const std::string& name) {
  if (name == "cpu") return {};
  // An empty CUDA_VISIBLE_DEVICES gives this process no GPU: auto is the CPU, without starting
  // CUDA to find that out.
  const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
  if (name == "auto" && visible != nullptr && *visible == '\0') return {};
  if (torch::cuda::is_available()) return {c10::Device(c10::kCUDA, 0), ""};
  if (name == "cuda") throw std::runtime_error("device: cuda, but CUDA cannot be used: " + why_no_cuda());
  const std::string given = given_gpu();
  if (given.empty()) return {};  // auto, and no GPU was given: the CPU is what was asked for
  if (!cpu_allowed())
    throw std::runtime_error(fmt::format(
        "device: auto, and this process was given a GPU ({}), but CUDA cannot use it: {}. To train on the "
        "CPU instead, set {}=1 or give the task no GPU (gpus_per_task: 0)",
        given, why_no_cuda(), kAllowCpuVariable));
  return {c10::Device(c10::kCPU),
          fmt::format("given a GPU ({}) that CUDA cannot use; {}=1: training on the CPU", given, kAllowCpuVariable)};
}

std::string cuda_device_uuid(const c10::Device& device) {
  if (!device.is_cuda()) return "";
#if RS_TORCH_CUDA
  cudaDeviceProp properties{};
  if (cudaGetDeviceProperties(&properties, device.index()) != cudaSuccess) return "";
  std::string uuid;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) uuid += '-';
    uuid += fmt::format("{:02x}", static_cast<unsigned char>(properties.uuid.bytes[i]));
  }
  return uuid;
#else
  return "";
#endif
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
