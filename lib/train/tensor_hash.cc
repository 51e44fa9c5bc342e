#include "train/tensor_hash.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/bitwise_right_shift.h>

namespace rs::train {
namespace {

constexpr int64_t kLow32 = 0xffffffffLL;
constexpr int64_t kBit31 = 0x80000000LL;

// x * c modulo 2^32 for x in [0, 2^32): every intermediate stays below 2^63.
at::Tensor multiply32(const at::Tensor& x, int64_t c) {
  at::Tensor product = x * (c & (kBit31 - 1));
  if ((c & kBit31) != 0) product += (x & 1) * kBit31;
  return product & kLow32;
}

at::Tensor xor_shift(const at::Tensor& x, int64_t shift) { return x ^ at::bitwise_right_shift(x, shift); }

}  // namespace

at::Tensor mix32(const at::Tensor& x) {
  at::Tensor h = xor_shift(x, 16);
  h = multiply32(h, 0x7feb352d);
  h = xor_shift(h, 15);
  h = multiply32(h, 0x846ca68b);
  return xor_shift(h, 16);
}

at::Tensor hash32(const at::Tensor& counters, const at::Tensor& keys) { return mix32(mix32(counters & kLow32) ^ keys); }

at::Tensor hash32(const at::Tensor& counters, uint32_t key) {
  return mix32(mix32(counters & kLow32) ^ static_cast<int64_t>(key));
}

}  // namespace rs::train
