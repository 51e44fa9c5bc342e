// One seed per noise source, so that changing one source's seed (or how many numbers it
// draws) never changes what another source sees.
//
//   init     parameter initialisation (init.h)
//   shuffle  the order of the training samples: one permutation per epoch (batches.h)
//   augment  each sample's crop and flip (augment.h)
//   dropout  each sample's dropout mask (dropout.h)
//   bitflip  which weight changes by one ULP, and in which direction (bitflip.h); -1 = none
//
// init, shuffle and bitflip draw from their own generators, all CPU generators: they draw the
// same numbers on every machine, and what they produce (initial weights, permutations) is moved
// to the device afterwards. augment and dropout have no generator: a counter-based hash of
// (seed, epoch, sample[, element]), computed on the device, so that neither the order of the
// samples nor the device matters (counter_hash.h).
#pragma once

#include <cstdint>

#include <ATen/core/Generator.h>

#include "contract/noise_source.h"
#include "contract/params.h"

namespace rs::train {

at::Generator make_cpu_generator(int64_t seed);

// The seeds this run uses, for the run file's /seeds group: -1 for augment without
// augmentation, for dropout with probability 0, and for bitflip without a flip.
contract::SourceSeeds seeds_used(const contract::TrainConfig& config);

}  // namespace rs::train
