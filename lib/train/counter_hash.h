// Counter-based random numbers: a value computed from a few counters instead of drawn from a
// generator's stream, so it does not depend on how many values were drawn before it or in
// which order. The synthetic data set uses counter_hash() per pixel; augmentation and dropout
// use hash32() per (seed, epoch, sample[, element]), on the training device (tensor_hash.h).
#pragma once

#include <cstdint>

#include "util/splitmix64.h"

namespace rs::train {

// The value for counters (a, b, c), chained the way the planner derives seeds
// (docs/grid-file.md), so that neighbouring counters give unrelated values.
inline uint64_t counter_hash(uint64_t a, uint64_t b, uint64_t c) {
  return splitmix64(splitmix64(splitmix64(a) ^ b) ^ c);
}

// Wellons' "lowbias32" (github.com/skeeto/hash-prospector): a bijection of 32-bit values with
// low bias, made of shifts, xors and two multiplications modulo 2^32, so that tensor_hash.h can
// compute the same values on any device with int64 tensor arithmetic that never overflows.
inline uint32_t mix32(uint32_t x) {
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

// The 32-bit value of `counter` under `key`.
inline uint32_t hash32(uint32_t key, uint32_t counter) { return mix32(mix32(counter) ^ key); }

// Each source that draws from hash32() has its own stream, so that an augment seed and a
// dropout seed of the same value (the default: both are `seed`) still give unrelated values.
inline constexpr uint64_t kAugmentStream = 1;
inline constexpr uint64_t kDropoutStream = 2;

// The key of stream `stream` of `seed` in `epoch`: the high half of counter_hash().
inline uint32_t epoch_key(int64_t seed, int64_t epoch, uint64_t stream) {
  return static_cast<uint32_t>(counter_hash(static_cast<uint64_t>(seed), static_cast<uint64_t>(epoch), stream) >> 32);
}

}  // namespace rs::train
