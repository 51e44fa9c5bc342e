// Plain convolutional networks: a stack of convolutions, each followed by BatchNorm (when
// config.batchnorm) and ReLU, then the mean over H x W, dropout and the classifier width ->
// n_classes (models.h). Convolutions have biases and padding kernel / 2. With w = width:
//
//   small_cnn   three 3x3 convolutions: C -> max(1, w/2) -> w (stride 2) -> w (stride 2)
//   medium_cnn  six k x k convolutions, k = kernel_size (1, 3, 5 or 7; seed 001's overhead
//               study): C -> max(1, w/2) -> max(1, w/2) -> w (stride 2) -> w -> w (stride 2) -> w
#pragma once

#include <cstdint>
#include <memory>

#include "contract/params.h"
#include "train/models.h"

namespace rs::train {

std::shared_ptr<Model> make_small_cnn(int64_t channels, int64_t n_classes, const contract::TrainConfig& config);
std::shared_ptr<Model> make_medium_cnn(int64_t channels, int64_t n_classes, const contract::TrainConfig& config);

}  // namespace rs::train
