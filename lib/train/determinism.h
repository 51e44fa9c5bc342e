// Run modes: what the trainer sets so that a run repeats bit for bit (d) or runs fast (nd).
//
//   d   Environment, read by the CUDA libraries when they start, so apply_mode() must run
//       before anything touches CUDA:
//         CUBLAS_WORKSPACE_CONFIG=:4096:8  cuBLAS reduces deterministically only with a fixed
//                                          workspace configuration
//         NVIDIA_TF32_OVERRIDE=0           no TF32 in any NVIDIA library, LibTorch's or not
//       LibTorch:
//         deterministic algorithms on      an op without a deterministic implementation throws
//                                          instead of silently varying
//         cuDNN deterministic on, cuDNN benchmark off (benchmarking picks the algorithm by
//                                          timing, which varies from run to run)
//         TF32 off for cuBLAS and cuDNN    TF32 keeps 10 mantissa bits: d means full float32
//   nd  Deterministic algorithms and cuDNN deterministic off, cuDNN benchmark on (the usual
//       fast setting); TF32 and the environment stay at their defaults.
//
// On the CPU only "deterministic algorithms" has an effect; the rest matters on CUDA.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rs::train {

// Name/value pairs, in a fixed order, for the run's log and run file.
using Settings = std::vector<std::pair<std::string, std::string>>;

// Applies `mode` ("d" or "nd") and returns the settings now in effect.
Settings apply_mode(const std::string& mode);

}  // namespace rs::train
