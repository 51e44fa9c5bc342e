// mobilenet_v2: MobileNetV2 (Sandler et al. 2018) for CIFAR-sized images.
//
// Stem: 3x3 convolution C -> 32 with stride 1 (ImageNet's has stride 2), BatchNorm, ReLU6.
// Then inverted residual blocks, (expansion t, channels c, blocks n, stride s of the first):
// (1, 16, 1, 1), (6, 24, 2, 1), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
// (6, 320, 1, 1); the second row's stride is 1 instead of ImageNet's 2, so a 32x32 image ends
// at 4x4. A block is a 1x1 expansion to t x its input channels (absent when t = 1), a 3x3
// depthwise convolution with the block's stride, each followed by BatchNorm and ReLU6, and a 1x1
// projection followed by BatchNorm; it adds its input when it keeps the shape. Then a 1x1
// convolution 320 -> 1280 with BatchNorm and ReLU6, the mean over H x W, dropout and the
// classifier (models.h). Convolutions have no bias. `width`, `batchnorm` and `kernel_size` do
// not apply.
#pragma once

#include <cstdint>
#include <memory>

#include "contract/params.h"
#include "train/models.h"

namespace rs::train {

std::shared_ptr<Model> make_mobilenet_v2(int64_t channels, int64_t n_classes, const contract::TrainConfig& config);

}  // namespace rs::train
