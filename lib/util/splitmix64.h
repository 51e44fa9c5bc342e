// SplitMix64 (Vigna, prng.di.unimi.it/splitmix64.c), in one place for its three users: the
// planner's derived seeds (grid/noise.h), the trainer's counter-based random numbers
// (train/counter_hash.h) and the bootstrap's resampling indices (stats/bootstrap.h).
#pragma once

#include <cstdint>

namespace rs {

// The generator's state advances by this odd constant per value.
inline constexpr uint64_t kSplitMix64Gamma = 0x9e3779b97f4a7c15ULL;

// The generator's value after state `z` (one step: add the constant, then mix): well mixed for
// every input. splitmix64(0) == 0xe220a8397b1dcdaf, the reference generator's first value.
inline uint64_t splitmix64(uint64_t z) {
  z += kSplitMix64Gamma;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace rs
