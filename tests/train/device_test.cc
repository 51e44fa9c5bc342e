// `device: auto` never falls back to the CPU silently (device.h), and the training step's sync
// check reaches LibTorch's CUDA sync debug mode (sync_check.h).
#include "catch_torch.h"  // first: see there

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <torch/cuda.h>

#include "train/device.h"
#include "train/sync_check.h"

#if RS_TORCH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace rs::train {
namespace {

using Values = std::vector<std::pair<std::string, std::optional<std::string>>>;

// Sets environment variables for its lifetime (nullopt: unset), then restores them.
class Environment {
 public:
  explicit Environment(const Values& values) {
    for (auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_.emplace_back(name, old != nullptr ? std::optional<std::string>(old) : std::nullopt);
      set(name, value);
    }
  }
  ~Environment() {
    for (const auto& [name, value] : saved_) set(name, value);
  }

 private:
  static void set(const std::string& name, const std::optional<std::string>& value) {
    if (value)
      setenv(name.c_str(), value->c_str(), 1);
    else
      unsetenv(name.c_str());
  }
  Values saved_;
};

std::string error_of(const std::string& name) {
  try {
    choose_device(name);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST_CASE("device: cpu is the CPU, whatever GPU the process was given") {
  Environment env(Values{{"CUDA_VISIBLE_DEVICES", "0"}, {kAllowCpuVariable, std::nullopt}});
  DeviceChoice choice = choose_device("cpu");
  CHECK(choice.device.is_cpu());
  CHECK(choice.note.empty());
}

TEST_CASE("device: auto takes CUDA when it can, the CPU only when no GPU was given") {
  const bool have_cuda = torch::cuda::is_available();
  SECTION("no GPU given: CUDA_VISIBLE_DEVICES empty") {
    Environment env(Values{{"CUDA_VISIBLE_DEVICES", ""}, {kAllowCpuVariable, std::nullopt}});
    DeviceChoice choice = choose_device("auto");
    CHECK(choice.device.is_cpu());
    CHECK(choice.note.empty());
  }
  for (const auto& given : Values{
           {"CUDA_VISIBLE_DEVICES", "0"}, {"SLURM_JOB_GPUS", "2"}}) {
    DYNAMIC_SECTION("a GPU given by " << given.first) {
      Values values = {
          {"CUDA_VISIBLE_DEVICES", std::nullopt}, {"SLURM_STEP_GPUS", std::nullopt},
          {"SLURM_JOB_GPUS", std::nullopt}, {kAllowCpuVariable, std::nullopt}};
      values.push_back(given);
      Environment env(values);
      if (have_cuda) {
        CHECK(choose_device("auto").device.is_cuda());
      } else {
        // Not usable here: an error that says what is wrong and what to do, never the CPU.
        const std::string error = error_of("auto");
        CHECK_THAT(error, Catch::Contains(given.first + "=" + *given.second) && Catch::Contains("CUDA") &&
                              Catch::Contains("REPROSWEEP_ALLOW_CPU=1") && Catch::Contains("gpus_per_task: 0"));
        CHECK_THAT(error, Catch::Contains("NVIDIA driver") || Catch::Contains("No NVIDIA driver is loaded"));
        CHECK_THAT(error, Catch::Contains("built for CUDA") || Catch::Contains("built without CUDA"));
        Environment allow(Values{{kAllowCpuVariable, "1"}});
        DeviceChoice choice = choose_device("auto");
        CHECK(choice.device.is_cpu());
        CHECK_THAT(choice.note, Catch::Contains(given.first) && Catch::Contains("REPROSWEEP_ALLOW_CPU=1"));
      }
    }
  }
  SECTION("an empty CUDA_VISIBLE_DEVICES wins over SLURM's variables: CUDA sees no GPU") {
    Environment env(Values{{"CUDA_VISIBLE_DEVICES", ""}, {"SLURM_JOB_GPUS", "0"}, {kAllowCpuVariable, std::nullopt}});
    CHECK(choose_device("auto").device.is_cpu());
  }
}

TEST_CASE("device: cuda without a usable CUDA is an error naming CUDA") {
  if (torch::cuda::is_available()) {
    CHECK(choose_device("cuda").device.is_cuda());
    return;
  }
  Environment env(Values{{kAllowCpuVariable, "1"}});  // allows auto's fallback, not cuda's
  CHECK_THAT(error_of("cuda"), Catch::StartsWith("device: cuda, but CUDA cannot be used:"));
}

TEST_CASE("cuda_device_uuid: nothing on the CPU") { CHECK(cuda_device_uuid(c10::Device(c10::kCPU)).empty()); }

#if RS_TORCH_CUDA
// No GPU is needed: the mode lives in c10_cuda, which asks it whenever an op would wait.
TEST_CASE("SyncCheck sets LibTorch's CUDA sync debug mode while alive, on CUDA devices only") {
  const c10::Device cuda(c10::kCUDA, 0);
  Environment env(Values{{kSyncCheckVariable, "error"}});
  CHECK_NOTHROW(c10::cuda::warn_or_error_on_sync());
  {
    const SyncCheck check(cuda);
    CHECK_THROWS(c10::cuda::warn_or_error_on_sync());
  }
  CHECK_NOTHROW(c10::cuda::warn_or_error_on_sync());
  {
    const SyncCheck on_the_cpu(c10::Device(c10::kCPU));
    CHECK_NOTHROW(c10::cuda::warn_or_error_on_sync());
  }
  Environment unset(Values{{kSyncCheckVariable, std::nullopt}});
  {
    const SyncCheck off(cuda);
    CHECK_NOTHROW(c10::cuda::warn_or_error_on_sync());
  }
}
#endif

}  // namespace
}  // namespace rs::train
