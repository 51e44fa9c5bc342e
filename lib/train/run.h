// One training run, from a plan entry to the record its run file stores.
//
// In this order: apply the mode (before anything touches CUDA: determinism.h), set the thread
// count and choose the device (device.h), load the data (dataset.h), build the model, initialise
// it from seed_init on the CPU (init.h), flip one weight when seed_bitflip >= 0 (bitflip.h),
// move it to the device, train (train_loop.h) and collect the results, the seeds and the
// environment into a RunRecord. Throws rs::InputError when the model, `augment` or `tta` does
// not fit the data (tabular data has no images to convolve, crop or flip).
//
// Timing: wall_s covers all of the above; train_s and eval_s sum the epochs' phases; gpu_s is
// train_s + eval_s on CUDA (each phase ends by reading its results from the device, which waits
// for its queued work, so this bounds the GPU's busy time from above) and -1 on the CPU.
// Energy is not measured yet: method "none".
#pragma once

#include <cstdio>

#include "runfile/run_file.h"
#include "train/config.h"
#include "sweep/plan_file.h"

namespace rs::train {

// `config` is parse_train_config(entry.params). Logs the settings, the bit flip and one line
// per epoch to `log` unless it is nullptr.
runfile::RunRecord run_training(const sweep::PlanEntry& entry, const TrainConfig& config, std::FILE* log);

}  // namespace rs::train
