// Counter-based random numbers: a value computed from a few counters instead of drawn from a
// generator's stream, so it does not depend on how many values were drawn before it or in
// which order. Augmentation uses it per (seed, epoch, sample), the synthetic data set per pixel.
#pragma once

#include <cstdint>

namespace rs::train {

// One step of Vigna's SplitMix64: a well-mixed 64-bit value for every input.
inline uint64_t splitmix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The value for counters (a, b, c), chained the way the planner derives seeds
// (docs/grid-file.md), so that neighbouring counters give unrelated values.
inline uint64_t counter_hash(uint64_t a, uint64_t b, uint64_t c) {
  return splitmix64(splitmix64(splitmix64(a) ^ b) ^ c);
}

}  // namespace rs::train
