#include "train/synthetic_data.h"

#include "train/counter_hash.h"

namespace rs::train {
namespace {

Samples make_part(const contract::SyntheticConfig& config, uint64_t part, int64_t n) {
  Samples samples;
  samples.shape = {config.channels, config.size, config.size};
  samples.n_classes = config.classes;
  samples.x.resize(static_cast<size_t>(n * samples.sample_size()));
  for (size_t k = 0; k < samples.x.size(); ++k)
    samples.x[k] = static_cast<float>(counter_hash(kSyntheticSeed, part, k) >> 56);
  samples.y.resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    samples.y[i] = static_cast<int64_t>(counter_hash(kSyntheticSeed, 2 + part, i) %
                                        static_cast<uint64_t>(config.classes));
  return samples;
}

}  // namespace

TrainTest make_synthetic_data(const contract::SyntheticConfig& config) {
  TrainTest split;
  split.train = make_part(config, 0, config.n_train);
  split.test = make_part(config, 1, config.n_test);
  return split;
}

}  // namespace rs::train
