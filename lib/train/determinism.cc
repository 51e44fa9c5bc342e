#include "train/determinism.h"

#include <cstdlib>

#include <ATen/Context.h>

namespace rs::train {
namespace {

std::string on_off(bool b) { return b ? "on" : "off"; }

std::string env_or_unset(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "(unset)";
}

}  // namespace

Settings apply_mode(const std::string& mode) {
  at::Context& context = at::globalContext();
  const bool deterministic = mode == "d";
  if (deterministic) {
    setenv("CUBLAS_WORKSPACE_CONFIG", ":4096:8", /*overwrite=*/1);
    setenv("NVIDIA_TF32_OVERRIDE", "0", /*overwrite=*/1);
    context.setAllowTF32CuBLAS(false);
    context.setAllowTF32CuDNN(false);
  }
  context.setDeterministicAlgorithms(deterministic, /*warn_only=*/false);
  context.setDeterministicCuDNN(deterministic);
  context.setBenchmarkCuDNN(!deterministic);

  return {
      {"mode", mode},
      {"deterministic_algorithms", on_off(context.deterministicAlgorithms())},
      {"cudnn_deterministic", on_off(context.deterministicCuDNN())},
      {"cudnn_benchmark", on_off(context.benchmarkCuDNN())},
      {"tf32_cublas", on_off(context.allowTF32CuBLAS())},
      {"tf32_cudnn", on_off(context.allowTF32CuDNN())},
      {"CUBLAS_WORKSPACE_CONFIG", env_or_unset("CUBLAS_WORKSPACE_CONFIG")},
      {"NVIDIA_TF32_OVERRIDE", env_or_unset("NVIDIA_TF32_OVERRIDE")},
  };
}

}  // namespace rs::train
