#include "train/seeds.h"

#include <ATen/CPUGeneratorImpl.h>

namespace rs::train {

at::Generator make_cpu_generator(int64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(static_cast<uint64_t>(seed));
}

contract::SourceSeeds seeds_used(const contract::TrainConfig& config) {
  contract::SourceSeeds seeds = config.seeds;
  if (!config.augment) seeds[contract::NoiseSource::kAugment] = -1;
  if (config.dropout <= 0.0) seeds[contract::NoiseSource::kDropout] = -1;
  return seeds;
}

}  // namespace rs::train
