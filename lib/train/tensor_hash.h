// counter_hash.h's hash32() on tensors, computed where the tensors are: a training step makes
// its augmentation parameters and dropout masks on the GPU without a copy from the host, and
// gets the same values as on the CPU (integer arithmetic is exact on every device).
//
// The values are int64 in [0, 2^32). Multiplication modulo 2^32 is done so that no product
// exceeds 2^63 (a signed overflow would be undefined behaviour in LibTorch's kernels): x * c for
// c < 2^31, and x * (c - 2^31) + (x & 1) * 2^31 for a larger c.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>

namespace rs::train {

// mix32() of every element of `x` (int64, values in [0, 2^32)).
at::Tensor mix32(const at::Tensor& x);

// hash32(key, counter) for every element of `counters` (int64, taken modulo 2^32) with the
// matching element of `keys` (int64 in [0, 2^32), broadcast against `counters`).
at::Tensor hash32(const at::Tensor& counters, const at::Tensor& keys);

// The same with one key for all.
at::Tensor hash32(const at::Tensor& counters, uint32_t key);

}  // namespace rs::train
