// Parameter initialisation from the init seed, identical on every device.
//
// Every parameter is drawn on the CPU from one generator seeded with `seed`, layer by layer in
// module order, with PyTorch's default bounds: the weight and bias of Linear and Conv2d layers
// are U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in being the inputs of one output unit
// (in_features, or in_channels / groups * kh * kw); BatchNorm starts at weight 1, bias 0. The
// caller moves the model to its device only afterwards, so CPU and GPU runs start from the same
// bits.
#pragma once

#include <cstdint>

#include <torch/nn/module.h>

namespace rs::train {

// Throws std::logic_error when a parameter is not on the CPU, or a layer that holds
// parameters is of a kind this function does not know (its parameters would keep PyTorch's
// default draw from the global generator).
void init_parameters(torch::nn::Module& model, int64_t seed);

}  // namespace rs::train
