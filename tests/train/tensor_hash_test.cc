// The counter hash on tensors equals the scalar one, value for value, on the CPU and, where
// there is one, on CUDA; so augmentation and dropout see the same numbers on every device.
#include "catch_torch.h"  // first: see there

#include <cstdint>
#include <vector>

#include <ATen/TensorOperators.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/randn.h>
#include <torch/cuda.h>

#include "train/augment.h"
#include "train/counter_hash.h"
#include "train/dropout.h"
#include "train/seeds.h"
#include "train/tensor_hash.h"

namespace rs::train {
namespace {

// Edge values and a spread of others, as int64 in [0, 2^32).
at::Tensor some_values() {
  std::vector<int64_t> values = {0, 1, 2, 0x7fffffff, 0x80000000LL, 0x80000001LL, 0xfffffffeLL, 0xffffffffLL};
  at::Tensor spread = at::randint(0, 0xffffffffLL, {4000}, make_cpu_generator(5));
  for (int64_t i = 0; i < spread.size(0); ++i) values.push_back(spread[i].item<int64_t>());
  at::Tensor t = at::empty({static_cast<int64_t>(values.size())}, at::kLong);
  for (size_t i = 0; i < values.size(); ++i) t[static_cast<int64_t>(i)] = values[i];
  return t;
}

TEST_CASE("tensor mix32 and hash32 equal the scalar ones") {
  const at::Tensor x = some_values();
  const at::Tensor mixed = mix32(x);
  const at::Tensor hashed = hash32(x, 0x9e3779b9U);
  const at::Tensor keyed = hash32(x, x.flip({0}));
  for (int64_t i = 0; i < x.size(0); ++i) {
    const auto v = static_cast<uint32_t>(x[i].item<int64_t>());
    const auto key = static_cast<uint32_t>(x[x.size(0) - 1 - i].item<int64_t>());
    REQUIRE(mixed[i].item<int64_t>() == mix32(v));
    REQUIRE(hashed[i].item<int64_t>() == hash32(0x9e3779b9U, v));
    REQUIRE(keyed[i].item<int64_t>() == hash32(key, v));
  }
  // Counters are taken modulo 2^32.
  CHECK(at::equal(hash32(x + (int64_t{1} << 32), 7U), hash32(x, 7U)));
}

TEST_CASE("the hash, the crops and flips and the dropout masks are the same on CUDA as on the CPU") {
  if (!torch::cuda::is_available()) {
    WARN("no CUDA device here: the CUDA side of the hash not exercised");
    return;
  }
  const at::Tensor x = some_values();
  const c10::Device cuda(c10::kCUDA, 0);
  CHECK(at::equal(hash32(x.to(cuda), 12345U).cpu(), hash32(x, 12345U)));
  CHECK(at::equal(hash32(x.to(cuda), x.flip({0}).to(cuda)).cpu(), hash32(x, x.flip({0}))));

  const at::Tensor images = at::randn({16, 3, 8, 8}, make_cpu_generator(1));
  const at::Tensor padding = at::randn({3}, make_cpu_generator(2));
  const at::Tensor samples = at::randint(0, 50000, {16}, make_cpu_generator(3));
  CHECK(at::equal(augment_batch(images.to(cuda), padding.to(cuda), samples.to(cuda), 7, 3).cpu(),
                  augment_batch(images, padding, samples, 7, 3)));

  Dropout dropout(0.3, 9);
  dropout.train();
  dropout.set_samples(samples, 3);
  const at::Tensor on_cpu = dropout.forward(at::ones({16, 64}));
  dropout.set_samples(samples.to(cuda), 3);
  CHECK(at::equal(dropout.forward(at::ones({16, 64}, at::TensorOptions(cuda))).cpu(), on_cpu));
}

}  // namespace
}  // namespace rs::train
