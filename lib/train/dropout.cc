#include "train/dropout.h"

#include <cmath>
#include <stdexcept>

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>

#include "train/counter_hash.h"
#include "train/tensor_hash.h"

namespace rs::train {

Dropout::Dropout(double p, int64_t seed) : p_(p), seed_(seed) {}

void Dropout::set_samples(const at::Tensor& samples, int64_t epoch) {
  samples_ = samples;
  epoch_ = epoch;
}

at::Tensor Dropout::forward(const at::Tensor& x) {
  if (!is_training() || p_ == 0.0) return x;
  if (!samples_.defined() || samples_.size(0) != x.size(0))
    throw std::logic_error("Dropout: training without set_samples() naming the batch's samples");
  const double keep = 1.0 - p_;
  const auto threshold = static_cast<int64_t>(std::llround(keep * 4294967296.0));  // keep * 2^32
  const int64_t per_sample = x.numel() / x.size(0);
  const at::Tensor sample_keys = hash32(samples_, epoch_key(seed_, epoch_, kDropoutStream)).view({-1, 1});
  const at::Tensor elements = at::arange(per_sample, samples_.options()).view({1, -1});
  const at::Tensor mask = hash32(elements, sample_keys).lt(threshold).to(at::kFloat).div_(keep);
  return x * mask.view(x.sizes());
}

}  // namespace rs::train
