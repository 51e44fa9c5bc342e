#include "train/determinism.h"

#include <cstdlib>
#include <optional>

#include <ATen/Context.h>

namespace rs::train {
namespace {

constexpr char kCublasWorkspace[] = "CUBLAS_WORKSPACE_CONFIG";

std::string on_off(bool b) { return b ? "on" : "off"; }

std::string env_or_unset(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "(unset)";
}

// Sets CUBLAS_WORKSPACE_CONFIG for mode d, or back to what the process started with for nd, so
// that an nd run after a d run in the same process sees the environment it inherited.
void set_cublas_workspace(bool deterministic) {
  static const std::optional<std::string> inherited = [] {
    const char* value = std::getenv(kCublasWorkspace);
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
  }();
  if (deterministic)
    setenv(kCublasWorkspace, ":4096:8", /*overwrite=*/1);
  else if (inherited)
    setenv(kCublasWorkspace, inherited->c_str(), /*overwrite=*/1);
  else
    unsetenv(kCublasWorkspace);
}

}  // namespace

Settings apply_settings(const contract::TrainConfig& config) {
  at::Context& context = at::globalContext();
  const bool deterministic = config.mode == contract::Mode::kD;
  set_cublas_workspace(deterministic);
  context.setDeterministicAlgorithms(deterministic, /*warn_only=*/false);
  context.setDeterministicCuDNN(deterministic);
  context.setBenchmarkCuDNN(config.cudnn_benchmark);
  // LibTorch's own setters only (not 2.9's float32-precision API): they exist in 1.13 too, and
  // mixing the two APIs makes 2.9+ refuse to report the state.
  context.setAllowTF32CuBLAS(config.tf32 == "on");
  context.setAllowTF32CuDNN(config.tf32 != "off");

  return {
      {"mode", contract::mode_name(config.mode)},
      {"deterministic_algorithms", on_off(context.deterministicAlgorithms())},
      {"cudnn_deterministic", on_off(context.deterministicCuDNN())},
      {"cudnn_benchmark", on_off(context.benchmarkCuDNN())},
      {"tf32", config.tf32},
      {"tf32_cublas", on_off(context.allowTF32CuBLAS())},
      {"tf32_cudnn", on_off(context.allowTF32CuDNN())},
      {kCublasWorkspace, env_or_unset(kCublasWorkspace)},
      {"NVIDIA_TF32_OVERRIDE", env_or_unset("NVIDIA_TF32_OVERRIDE")},
  };
}

}  // namespace rs::train
