#include "train/sync_check.h"

#include <cstdlib>
#include <string>

#if RS_TORCH_CUDA
#include <c10/cuda/CUDAFunctions.h>
#endif

namespace rs::train {

#if RS_TORCH_CUDA

SyncCheck::SyncCheck(const c10::Device& device) {
  const char* mode = std::getenv(kSyncCheckVariable);
  if (!device.is_cuda() || mode == nullptr) return;
  const std::string name = mode;
  if (name != "error" && name != "warn") return;
  c10::cuda::WarningState& state = c10::cuda::warning_state();
  previous_ = static_cast<int>(state.get_sync_debug_mode());
  state.set_sync_debug_mode(name == "error" ? c10::cuda::SyncDebugMode::L_ERROR : c10::cuda::SyncDebugMode::L_WARN);
}

SyncCheck::~SyncCheck() {
  if (previous_ >= 0) c10::cuda::warning_state().set_sync_debug_mode(static_cast<c10::cuda::SyncDebugMode>(previous_));
}

#else

SyncCheck::SyncCheck(const c10::Device&) {}
SyncCheck::~SyncCheck() = default;

#endif

}  // namespace rs::train
