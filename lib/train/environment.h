// The fingerprint of where and with what a run ran, for the run file's /env group.
//
// The GPU fields (name, UUID, driver, CUDA and cuDNN versions) are filled only when `device`
// is a CUDA device, and name and UUID only in builds against a CUDA LibTorch (RS_TORCH_CUDA);
// they are "" otherwise. The UUID is written in a whole GPU's form, GPU-<uuid>: CUDA does not
// say whether its device is a MIG slice, so run_training() replaces it with the name NVML gives
// the device (MIG-<uuid> for a slice) when the energy meter found it there. The git commit is the one the build was configured from ("" when
// unknown): CMake passes it in at configure time, so reconfigure after committing.
#pragma once

#include <string>

#include <c10/core/Device.h>

#include "runfile/run_file.h"

namespace rs::train {

runfile::EnvInfo collect_env(const c10::Device& device);

// The NVIDIA kernel module's version ("580.82.07"); "" when no driver is loaded.
std::string nvidia_driver_version();

// The newest CUDA version the loaded driver supports ("13.0"); "" without a driver, or in
// builds against a LibTorch without CUDA.
std::string driver_cuda_version();

// The CUDA version LibTorch was built for ("13.0"); "" for a LibTorch without CUDA.
std::string libtorch_cuda_version();

}  // namespace rs::train
