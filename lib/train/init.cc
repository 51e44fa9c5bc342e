#include "train/init.h"

#include <cmath>
#include <stdexcept>

#include <ATen/core/grad_mode.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "train/batch_norm.h"
#include "train/seeds.h"

namespace rs::train {
namespace {

void init_uniform(at::Tensor& weight, at::Tensor& bias, at::Generator& generator) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(weight[0].numel()));
  weight.uniform_(-bound, bound, generator);
  if (bias.defined()) bias.uniform_(-bound, bound, generator);
}

}  // namespace

void init_parameters(torch::nn::Module& model, int64_t seed) {
  for (const at::Tensor& p : model.parameters())
    if (!p.device().is_cpu()) throw std::logic_error("init_parameters: the model must be on the CPU");

  at::Generator generator = make_cpu_generator(seed);
  at::NoGradGuard no_grad;
  for (const auto& module : model.modules()) {
    if (auto* linear = module->as<torch::nn::Linear>()) {
      init_uniform(linear->weight, linear->bias, generator);
    } else if (auto* conv = module->as<torch::nn::Conv2d>()) {
      init_uniform(conv->weight, conv->bias, generator);
    } else if (auto* norm = module->as<BatchNorm>()) {
      norm->weight.fill_(1.0);
      norm->bias.fill_(0.0);
    } else if (!module->parameters(/*recurse=*/false).empty()) {
      throw std::logic_error("init_parameters: no rule for layer " + module->name());
    }
  }
}

}  // namespace rs::train
