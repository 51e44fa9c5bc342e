// BatchNorm over 2-D feature maps: LibTorch's BatchNorm2d with its defaults (momentum 0.1, eps
// 1e-5, affine, running statistics), with the same parameters and buffers under the same names,
// whose batch statistics can be those of the whole global batch of a distributed run:
// `sync_batchnorm` (docs/trainer.md, "Distributed runs"). It is a module of its own rather than
// a subclass of BatchNorm2dImpl, whose construction vtables need a member Debian's LibTorch 1.13
// does not export.
//
// Without sync_over(), or in eval mode, forward() computes what BatchNorm2d's does, with the
// same call. After sync_over(ranks), a training forward pass sums each channel's count and sum
// over the ranks, then the squared deviations from the global mean, and normalises with the
// global mean and (biased) variance; the running statistics take the global mean and the
// unbiased global variance, the same on every rank. The backward pass sums the two per-channel
// reductions the input's gradient needs (of dy and of dy * x_hat) over the ranks too, so the
// gradients are those of BatchNorm over the whole batch; weight and bias get this rank's part,
// which the gradients' sum over the ranks adds up (train_loop.h). Every collective runs in layer
// order on every rank, as the forward and backward passes do: with several ranks, call forward
// on all. Results match one process on the whole batch up to the order of the additions.
#pragma once

#include <cstdint>

#include <ATen/core/Tensor.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/pimpl.h>

#include "train/distributed.h"

namespace rs::train {

class BatchNormImpl : public torch::nn::Cloneable<BatchNormImpl> {
 public:
  explicit BatchNormImpl(int64_t channels);

  // Registers the parameters and buffers as BatchNorm2d does: weight 1, bias 0, running mean 0,
  // running variance 1, no batches tracked.
  void reset() override;

  // Sums the batch statistics over `ranks` from now on; nullptr: this process's alone.
  void sync_over(Ranks* ranks) { ranks_ = ranks; }

  // x [N, C, H, W].
  at::Tensor forward(const at::Tensor& x);

  at::Tensor weight, bias, running_mean, running_var, num_batches_tracked;

 private:
  int64_t channels_;
  Ranks* ranks_ = nullptr;
};

TORCH_MODULE(BatchNorm);

// sync_over(ranks) on every BatchNorm of `model`.
void sync_batch_norm(torch::nn::Module& model, Ranks* ranks);

}  // namespace rs::train
