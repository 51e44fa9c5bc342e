// Dropout whose masks come from a counter hash of its own seed, not from a generator.
//
// In training mode each input is zeroed with probability p and the others are scaled by
// 1 / (1 - p); in eval mode, or with p = 0, the input passes unchanged. Element j of training
// sample i (its position in the training set) is kept in epoch e when
// hash32(h_i, j) < (1 - p) * 2^32, with h_i = hash32(epoch_key(seed, e, kDropoutStream), i)
// (counter_hash.h). So a sample's mask depends on (dropout seed, epoch, sample) alone, not on
// the data order, its batch or the device; nothing else draws from it; a checkpoint needs no
// state for it; and the masks are made on the input's device (tensor_hash.h), with no copy
// from the host. Before each training forward pass, set_samples() says which samples the batch
// holds.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

namespace rs::train {

class Dropout : public torch::nn::Module {
 public:
  Dropout(double p, int64_t seed);

  // The training samples of the next forward passes (int64 [B] on the input's device: their
  // positions in the training set) and the epoch.
  void set_samples(const at::Tensor& samples, int64_t epoch);

  // x [B, ...]. Throws std::logic_error in training mode with p > 0 when set_samples() has not
  // named B samples.
  at::Tensor forward(const at::Tensor& x);

 private:
  double p_;
  int64_t seed_;
  at::Tensor samples_;
  int64_t epoch_ = 0;
};

}  // namespace rs::train
