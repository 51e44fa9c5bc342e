// One random generator per noise source, each seeded with its own seed, so that changing one
// source's seed (or how many numbers it draws) never changes what another source sees.
//
//   init     parameter initialisation (init.h)
//   shuffle  the order of the training samples: one permutation per epoch (train_loop.h)
//   bitflip  which weight changes by one ULP, and in which direction (bitflip.h); -1 = none
//   augment, dropout  not used by the current data pipeline and models: recorded as -1
//
// All generators are CPU generators: they draw the same numbers on every machine, and what
// they produce (initial weights, permutations) is moved to the device afterwards.
#pragma once

#include <cstdint>

#include <ATen/core/Generator.h>

#include "runfile/run_file.h"
#include "train/config.h"

namespace rs::train {

at::Generator make_cpu_generator(int64_t seed);

// The seeds this run uses, for the run file's /seeds group.
runfile::Seeds seeds_used(const TrainConfig& config);

}  // namespace rs::train
