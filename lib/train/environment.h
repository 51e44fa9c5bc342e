// The fingerprint of where and with what a run ran, for the run file's /env group.
//
// The GPU fields (name, UUID, driver, CUDA and cuDNN versions) are filled only when `device`
// is a CUDA device, and name and UUID only in builds against a CUDA LibTorch (RS_TORCH_CUDA);
// they are "" otherwise. The git commit is the one the build was configured from ("" when
// unknown): CMake passes it in at configure time, so reconfigure after committing.
#pragma once

#include <c10/core/Device.h>

#include "runfile/run_file.h"

namespace rs::train {

runfile::EnvInfo collect_env(const c10::Device& device);

}  // namespace rs::train
