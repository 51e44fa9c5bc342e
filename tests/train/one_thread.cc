// Every test runs LibTorch on one thread, whatever the machine: on a loaded 2-core machine two
// intra-op threads keep waiting for each other, and a 2-epoch digits run takes seconds instead
// of 0.2 s. SLURM_CPUS_PER_TASK is what the trainer's set_thread_count() reads (device.h).
#define CATCH_CONFIG_EXTERNAL_INTERFACES  // declares Catch's TestEventListenerBase
#include "catch_torch.h"                  // first: see there

#include <stdlib.h>

#include <ATen/Parallel.h>

namespace rs::train {
namespace {

struct OneThread : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;

  void testRunStarting(const Catch::TestRunInfo&) override {
    setenv("SLURM_CPUS_PER_TASK", "1", /*overwrite=*/1);
    at::set_num_threads(1);
  }
};

CATCH_REGISTER_LISTENER(OneThread)

}  // namespace
}  // namespace rs::train
