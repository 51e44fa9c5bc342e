// The optimizers: what config.optimizer names, with its options.
//
//   sgd    SGD with `momentum` (dampening 0), Nesterov momentum when `nesterov`, and
//          `weight_decay` added to the gradient as an L2 term
//   adam   Adam (betas 0.9, 0.999, eps 1e-8), `weight_decay` as an L2 term
//   adamw  AdamW: the same, with `weight_decay` decoupled from the gradient (Loshchilov and
//          Hutter); note that it defaults to 0 here, not to PyTorch's 0.01
#pragma once

#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/optim/optimizer.h>

#include "contract/params.h"

namespace rs::train {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<at::Tensor>& parameters,
                                                        const contract::TrainConfig& config);

// Sets the learning rate of every parameter group (schedule.h says which).
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

}  // namespace rs::train
