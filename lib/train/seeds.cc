#include "train/seeds.h"

#include <ATen/CPUGeneratorImpl.h>

namespace rs::train {

at::Generator make_cpu_generator(int64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(seed));
}

runfile::Seeds seeds_used(const TrainConfig& config) {
  runfile::Seeds seeds;
  seeds.init = config.seed_init;
  seeds.shuffle = config.seed_shuffle;
  seeds.augment = config.augment ? config.seed_augment : -1;
  seeds.dropout = config.dropout > 0.0 ? config.seed_dropout : -1;
  seeds.bitflip = config.seed_bitflip;
  return seeds;
}

}  // namespace rs::train
