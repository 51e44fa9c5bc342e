// What the trainer sets up before a run: its mode, which decides determinism and nothing else,
// and the precision and algorithm choices both modes share. Every setting is made explicitly in
// every run, so nothing carries over from an earlier run in the same process.
//
//   mode d   deterministic algorithms on  an op without a deterministic implementation throws
//                                         instead of silently varying
//            cuDNN deterministic on       only deterministic convolution algorithms
//            CUBLAS_WORKSPACE_CONFIG=:4096:8  cuBLAS reduces deterministically only with a
//                                         fixed workspace configuration; it reads the variable
//                                         when it creates its handle, so apply_settings() must
//                                         run before anything touches CUDA
//   mode nd  deterministic algorithms and cuDNN deterministic off, CUBLAS_WORKSPACE_CONFIG as
//            the process inherited it: PyTorch's default behaviour
//   tf32     (config.tf32, both modes) default: LibTorch's defaults, TF32 off for float32
//            matmuls (cuBLAS) and on for cuDNN convolutions; off: off for both; on: on for both
//   cudnn_benchmark  (both modes) on: cuDNN times the candidate convolution algorithms for each
//            new shape and keeps the fastest; off (PyTorch's default): its heuristics choose.
//            Timing can pick another algorithm in another run, so mode d with the benchmark on
//            picks among deterministic algorithms, but not always the same one.
//
// TF32 is deterministic for a given algorithm: a precision choice, not a determinism one, and
// so a factor of its own rather than part of a mode. NVIDIA_TF32_OVERRIDE, which switches TF32
// off in every NVIDIA library, is left as inherited and recorded. On the CPU only
// "deterministic algorithms" has an effect; the rest matters on CUDA.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "contract/params.h"

namespace rs::train {

// Name/value pairs, in a fixed order, for the run's log and run file.
using Settings = std::vector<std::pair<std::string, std::string>>;

// Applies config.mode, config.tf32 and config.cudnn_benchmark and returns the settings now in
// effect, as LibTorch reports them (an override in the environment shows there).
Settings apply_settings(const contract::TrainConfig& config);

}  // namespace rs::train
