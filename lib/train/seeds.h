// One random generator per noise source, each seeded with its own seed, so that changing one
// source's seed (or how many numbers it draws) never changes what another source sees.
//
//   init     parameter initialisation (init.h)
//   shuffle  the order of the training samples: one permutation per epoch (batches.h)
//   augment  each sample's crop and flip (augment.h); a counter-based hash of (seed, epoch,
//            sample), not a generator, so that the order of the samples does not matter
//   dropout  the dropout masks (dropout.h)
//   bitflip  which weight changes by one ULP, and in which direction (bitflip.h); -1 = none
//
// All generators are CPU generators: they draw the same numbers on every machine, and what
// they produce (initial weights, permutations, masks) is moved to the device afterwards.
#pragma once

#include <cstdint>

#include <ATen/core/Generator.h>

#include "runfile/run_file.h"
#include "train/config.h"

namespace rs::train {

at::Generator make_cpu_generator(int64_t seed);

// The seeds this run uses, for the run file's /seeds group: -1 for augment without
// augmentation, for dropout with probability 0, and for bitflip without a flip.
runfile::Seeds seeds_used(const TrainConfig& config);

}  // namespace rs::train
