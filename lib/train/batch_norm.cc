#include "train/batch_norm.h"

#include <cstdint>
#include <stdexcept>
#include <vector>

#include <ATen/Context.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/batch_norm.h>
#include <ATen/ops/full.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/rsqrt.h>
#include <ATen/ops/zeros.h>
#include <fmt/format.h>
#include <torch/autograd.h>

namespace rs::train {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// A per-channel [C] tensor as [1, C, 1, 1], to broadcast over [N, C, H, W].
at::Tensor per_channel(const at::Tensor& values) { return values.view({1, -1, 1, 1}); }

const std::vector<int64_t> kAllButChannels = {0, 2, 3};
constexpr double kMomentum = 0.1, kEps = 1e-5;  // BatchNorm2d's defaults

// Batch normalisation with the statistics of the whole global batch (batch_norm.h).
struct SyncBatchNorm : torch::autograd::Function<SyncBatchNorm> {
  // Returns y; *mean and *var are the global batch's (var biased), *count its samples per channel.
  static at::Tensor forward(AutogradContext* ctx, const at::Tensor& x, const at::Tensor& weight,
                            const at::Tensor& bias, double eps, Ranks* ranks, at::Tensor* mean, at::Tensor* var,
                            double* count) {
    at::Tensor sums = x.sum(kAllButChannels);
    at::Tensor n = at::full({1}, static_cast<double>(x.numel() / x.size(1)), x.options());
    ranks->sum({sums, n});
    *count = n.item<double>();
    *mean = sums / *count;
    at::Tensor centred = x - per_channel(*mean);
    at::Tensor squares = (centred * centred).sum(kAllButChannels);
    ranks->sum({squares});
    *var = squares / *count;
    const at::Tensor invstd = at::rsqrt(*var + eps);
    const at::Tensor x_hat = centred * per_channel(invstd);
    ctx->save_for_backward({x_hat, invstd, weight});
    ctx->saved_data["count"] = *count;
    // The Ranks outlive the training step that uses them (Trainer); autograd keeps no pointers.
    ctx->saved_data["ranks"] = static_cast<int64_t>(reinterpret_cast<intptr_t>(ranks));
    return x_hat * per_channel(weight) + per_channel(bias);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const variable_list saved = ctx->get_saved_variables();
    const at::Tensor &x_hat = saved[0], &invstd = saved[1], &weight = saved[2];
    const double count = ctx->saved_data["count"].toDouble();
    auto* ranks = reinterpret_cast<Ranks*>(static_cast<intptr_t>(ctx->saved_data["ranks"].toInt()));
    const at::Tensor& dy = grads[0];
    const at::Tensor dy_sum = dy.sum(kAllButChannels);                 // this rank's: bias
    const at::Tensor dy_x_hat_sum = (dy * x_hat).sum(kAllButChannels);  // this rank's: weight
    at::Tensor global_dy = dy_sum.clone(), global_dy_x_hat = dy_x_hat_sum.clone();
    ranks->sum({global_dy, global_dy_x_hat});
    const at::Tensor dx = per_channel(weight * invstd) *
                          (dy - per_channel(global_dy / count) - x_hat * per_channel(global_dy_x_hat / count));
    return {dx, dy_x_hat_sum, dy_sum, at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor()};
  }
};

}  // namespace

BatchNormImpl::BatchNormImpl(int64_t channels) : channels_(channels) { reset(); }

void BatchNormImpl::reset() {
  weight = register_parameter("weight", at::ones({channels_}));
  bias = register_parameter("bias", at::zeros({channels_}));
  running_mean = register_buffer("running_mean", at::zeros({channels_}));
  running_var = register_buffer("running_var", at::ones({channels_}));
  num_batches_tracked = register_buffer("num_batches_tracked", at::zeros({}, at::kLong));
}

at::Tensor BatchNormImpl::forward(const at::Tensor& x) {
  if (x.dim() != 4) throw std::invalid_argument(fmt::format("BatchNorm: expected [N, C, H, W], got {}-D", x.dim()));
  if (is_training()) num_batches_tracked.add_(1);
  if (ranks_ == nullptr || !is_training())  // BatchNorm2d's own call
    return at::batch_norm(x, weight, bias, running_mean, running_var, is_training(), kMomentum, kEps,
                          at::globalContext().userEnabledCuDNN());
  // In float32, as autocast runs BatchNorm (bf16 sums would lose the statistics).
  const bool reduced = x.scalar_type() == at::kBFloat16 || x.scalar_type() == at::kHalf;
  at::Tensor mean, var;
  double count = 0;
  at::Tensor y =
      SyncBatchNorm::apply(reduced ? x.to(at::kFloat) : x, weight, bias, kEps, ranks_, &mean, &var, &count);
  at::NoGradGuard no_grad;  // as batch_norm updates them, from the global batch
  running_mean.mul_(1 - kMomentum).add_(mean, kMomentum);
  running_var.mul_(1 - kMomentum).add_(var * (count / (count - 1)), kMomentum);
  return y;
}

void sync_batch_norm(torch::nn::Module& model, Ranks* ranks) {
  for (const auto& module : model.modules())
    if (auto* norm = module->as<BatchNormImpl>()) norm->sync_over(ranks);
}

}  // namespace rs::train
