// Dataset `synthetic`: random images for speed tests, the same on every run and machine.
//
// Pixel k (0-based over the part's whole pixel array) of part p (0 train, 1 test) is the top
// byte of counter_hash(kSyntheticSeed, p, k), and sample i's label is
// counter_hash(kSyntheticSeed, 2 + p, i) mod classes (counter_hash.h). There is nothing to
// learn: the labels are independent of the pixels, so test accuracy stays at chance.
#pragma once

#include <cstdint>

#include "contract/params.h"
#include "train/data_files.h"

namespace rs::train {

inline constexpr uint64_t kSyntheticSeed = 0;

TrainTest make_synthetic_data(const contract::SyntheticConfig& config);

}  // namespace rs::train
