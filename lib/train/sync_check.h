// A check that the training step never waits for the GPU. A step queues its kernels and goes
// on; anything that makes the host wait (a blocking copy between host and device, .item(), a
// stream synchronize) leaves the GPU idle between steps, which on the small models sweeps use
// costs more than the step itself.
//
// While a SyncCheck is alive on a CUDA device, LibTorch's CUDA sync debug mode (what Python's
// torch.cuda.set_sync_debug_mode sets) is the one $REPROSWEEP_SYNC_CHECK names: `error` (an
// op that waits throws) or `warn` (it warns); unset or anything else leaves it alone. The
// training loop holds one over each batch's step; the per-epoch reads of the loss and the
// evaluation wait on purpose and are outside it. The tests and bench/gpu_check.sh set `error`.
// On the CPU, and in builds against a LibTorch without CUDA, it does nothing.
#pragma once

#include <c10/core/Device.h>

namespace rs::train {

inline constexpr char kSyncCheckVariable[] = "REPROSWEEP_SYNC_CHECK";

class SyncCheck {
 public:
  explicit SyncCheck(const c10::Device& device);
  ~SyncCheck();
  SyncCheck(const SyncCheck&) = delete;
  SyncCheck& operator=(const SyncCheck&) = delete;

 private:
  int previous_ = -1;  // the mode it replaced; -1 = it changed nothing
};

}  // namespace rs::train
