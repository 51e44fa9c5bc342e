// Where a run computes: its device and its number of CPU threads.
//
// `device: auto` trains on CUDA when this process was given a GPU and on the CPU when it was
// not; it never guesses. A process was given a GPU when CUDA_VISIBLE_DEVICES is non-empty, or,
// when that variable is unset, when SLURM's SLURM_JOB_GPUS or SLURM_STEP_GPUS is non-empty (an
// empty CUDA_VISIBLE_DEVICES means no GPU: CUDA sees none). Without a GPU given, auto takes CUDA
// only if CUDA finds a device anyway (a workstation). A process given a GPU that CUDA cannot
// use (no driver, a driver older than LibTorch's CUDA needs) fails instead of training on the
// CPU, where a GPU sweep would burn its allocation unnoticed, unless REPROSWEEP_ALLOW_CPU=1
// (the local test cluster's GPUs are fake): then it trains on the CPU and says why.
#pragma once

#include <cstdint>
#include <string>

#include <c10/core/Device.h>

namespace rs::train {

// The environment variable that lets a process given a GPU train on the CPU when CUDA is
// unusable.
inline constexpr char kAllowCpuVariable[] = "REPROSWEEP_ALLOW_CPU";

struct DeviceChoice {
  c10::Device device = c10::Device(c10::kCPU);
  std::string note;  // why a process given a GPU trains on the CPU; "" otherwise
};

// `name` is "cpu", "cuda" or "auto" (see above). Throws std::runtime_error for "cuda" without a
// usable CUDA device, and for "auto" given a GPU that CUDA cannot use without
// REPROSWEEP_ALLOW_CPU=1; the message names the NVIDIA driver, the CUDA version LibTorch was
// built for and what to do. The run may succeed elsewhere, so this is not bad input.
DeviceChoice choose_device(const std::string& name);

// The UUID CUDA reports for `device` (cudaDeviceProp::uuid) as xxxxxxxx-xxxx-xxxx-xxxx-
// xxxxxxxxxxxx, without a prefix: CUDA does not say whether the device is a whole GPU or a MIG
// slice; NVML does (energy/gpu_target.h). "" on the CPU, when CUDA does not answer, and in
// builds against a LibTorch without CUDA (RS_TORCH_CUDA 0).
std::string cuda_device_uuid(const c10::Device& device);

// Sets LibTorch's intra-op thread count to $SLURM_CPUS_PER_TASK when that is a positive
// number, else to the hardware concurrency, so a task uses exactly the CPUs it was given.
// Returns the count.
int64_t set_thread_count();

}  // namespace rs::train
