#include "train/optimizer.h"

#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

namespace rs::train {

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<at::Tensor>& parameters,
                                                        const contract::TrainConfig& config) {
  namespace optim = torch::optim;
  if (config.optimizer == "adam")
    return std::make_unique<optim::Adam>(parameters,
                                         optim::AdamOptions(config.lr).weight_decay(config.weight_decay));
  if (config.optimizer == "adamw")
    return std::make_unique<optim::AdamW>(parameters,
                                          optim::AdamWOptions(config.lr).weight_decay(config.weight_decay));
  return std::make_unique<optim::SGD>(parameters, optim::SGDOptions(config.lr)
                                                      .momentum(config.momentum)
                                                      .nesterov(config.nesterov)
                                                      .weight_decay(config.weight_decay));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (torch::optim::OptimizerParamGroup& group : optimizer.param_groups()) group.options().set_lr(lr);
}

}  // namespace rs::train
