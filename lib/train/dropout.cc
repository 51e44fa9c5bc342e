#include "train/dropout.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/empty.h>

#include "train/seeds.h"

namespace rs::train {

Dropout::Dropout(double p, int64_t seed) : p_(p), generator_(make_cpu_generator(seed)) {}

at::Tensor Dropout::forward(const at::Tensor& x) {
  if (!is_training() || p_ == 0.0) return x;
  const double keep = 1.0 - p_;
  at::Tensor mask = at::empty(x.sizes(), at::kFloat).bernoulli_(keep, generator_).div_(keep);
  return x * mask.to(x.device());
}

}  // namespace rs::train
