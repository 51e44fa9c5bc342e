#include "train/environment.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <ATen/detail/CUDAHooksInterface.h>
#include <fmt/format.h>
#include <torch/version.h>

#include "train/device.h"

#if RS_TORCH_CUDA
#include <cuda_runtime_api.h>
#endif

namespace rs::train {
namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

std::string user() {
  std::string name = env_or_empty("USER");
  if (!name.empty()) return name;
  const passwd* entry = getpwuid(geteuid());
  return entry != nullptr ? entry->pw_name : "";
}

// The value of the first "model name" line of /proc/cpuinfo ("" on CPUs that have none).
std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    size_t colon = line.find(':');
    size_t value = colon == std::string::npos ? colon : line.find_first_not_of(" \t", colon + 1);
    return value == std::string::npos ? "" : line.substr(value);
  }
  return "";
}

std::string compiler() {
#if defined(__GNUC__) && !defined(__clang__)
  return "gcc " __VERSION__;
#else
  return __VERSION__;
#endif
}

// CUDA runtime versions are 1000 * major + 10 * minor.
std::string cuda_version(long v) { return v > 0 ? fmt::format("{}.{}", v / 1000, v % 1000 / 10) : ""; }

// cuDNN versions are 10000 * major + 100 * minor + patch from 9 on, 1000 * major + ... before.
std::string cudnn_version(long v) {
  if (v <= 0) return "";
  long major_scale = v >= 90000 ? 10000 : 1000;
  return fmt::format("{}.{}.{}", v / major_scale, v % major_scale / 100, v % 100);
}

void collect_gpu(const c10::Device& device, runfile::EnvInfo& env) {
  const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();
  env.driver_version = nvidia_driver_version();
  env.cuda_version = libtorch_cuda_version();
  env.cudnn_version = hooks.hasCuDNN() ? cudnn_version(hooks.versionCuDNN()) : "";
#if RS_TORCH_CUDA
  cudaDeviceProp properties{};
  if (cudaGetDeviceProperties(&properties, device.index()) == cudaSuccess) env.gpu_name = properties.name;
#endif
  const std::string uuid = cuda_device_uuid(device);
  if (!uuid.empty()) env.gpu_uuid = "GPU-" + uuid;  // as nvidia-smi writes a whole GPU's
}

}  // namespace

// The first word made of digits and dots in the first line of /proc/driver/nvidia/version
// ("NVRM version: NVIDIA UNIX [Open] Kernel Module [for x86_64]  580.82.07  Release Build ...").
std::string nvidia_driver_version() {
  std::ifstream file("/proc/driver/nvidia/version");
  std::string line;
  std::getline(file, line);
  std::istringstream words(line);
  std::string word;
  while (words >> word) {
    if (word.find('.') != std::string::npos &&
        word.find_first_not_of("0123456789.") == std::string::npos)
      return word;
  }
  return "";
}

std::string driver_cuda_version() {
#if RS_TORCH_CUDA
  int version = 0;
  if (cudaDriverGetVersion(&version) == cudaSuccess) return cuda_version(version);
#endif
  return "";
}

std::string libtorch_cuda_version() {
  const at::CUDAHooksInterface& hooks = at::detail::getCUDAHooks();
  return hooks.hasCUDART() ? cuda_version(hooks.versionCUDART()) : "";
}

runfile::EnvInfo collect_env(const c10::Device& device) {
  runfile::EnvInfo env;
  env.hostname = hostname();
  env.user = user();
  env.cpu_model = cpu_model();
  if (device.is_cuda()) collect_gpu(device, env);
  env.torch_version = TORCH_VERSION;
  env.compiler = compiler();
  env.git_commit = RS_GIT_COMMIT;
  env.slurm_job_id = env_or_empty("SLURM_JOB_ID");
  env.slurm_array_job_id = env_or_empty("SLURM_ARRAY_JOB_ID");
  env.slurm_array_task_id = env_or_empty("SLURM_ARRAY_TASK_ID");
  env.slurm_partition = env_or_empty("SLURM_JOB_PARTITION");
  env.slurm_account = env_or_empty("SLURM_JOB_ACCOUNT");
  return env;
}

}  // namespace rs::train
