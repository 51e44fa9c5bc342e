// BatchNorm over 2-D feature maps (LibTorch's BatchNorm2d, whose parameters and buffers it keeps
// under the same names), whose batch statistics can be those of the whole global batch of a
// distributed run: `sync_batchnorm` (docs/trainer.md, "Distributed runs").
//
// Without sync_over(), or in eval mode, it is BatchNorm2d: forward() is BatchNorm2dImpl's. After
// sync_over(ranks), a training forward pass sums each channel's count and sum over the ranks,
// then the squared deviations from the global mean, and normalises with the global mean and
// (biased) variance; the running statistics take the global mean and the unbiased global
// variance, the same on every rank. The backward pass sums the two per-channel reductions the
// input's gradient needs (of dy and of dy * x_hat) over the ranks too, so the gradients are
// those of BatchNorm over the whole batch; weight and bias get this rank's part, which the
// gradients' sum over the ranks adds up (train_loop.h). Every collective runs in layer order on
// every rank, as the forward and backward passes do: with several ranks, call forward on all.
// Results match one process on the whole batch up to the order of the additions.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/pimpl.h>

#include "train/distributed.h"

namespace rs::train {

class BatchNormImpl : public torch::nn::BatchNorm2dImpl {
 public:
  explicit BatchNormImpl(int64_t channels) : torch::nn::BatchNorm2dImpl(channels) {}

  // Sums the batch statistics over `ranks` from now on; nullptr: this process's alone.
  void sync_over(Ranks* ranks) { ranks_ = ranks; }

  at::Tensor forward(const at::Tensor& x);

 private:
  Ranks* ranks_ = nullptr;
};

TORCH_MODULE(BatchNorm);

// sync_over(ranks) on every BatchNorm of `model`.
void sync_batch_norm(torch::nn::Module& model, Ranks* ranks);

}  // namespace rs::train
