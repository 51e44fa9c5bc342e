// CIFAR ResNets of basic blocks (two 3x3 convolutions per block; He et al. 2016).
//
// Stem: one 3x3 convolution C -> widths[0], stride 1, no max-pool (CIFAR's images are small),
// then BatchNorm and ReLU. Stage s holds blocks[s] blocks of widths[s] channels; its first block
// has stride 2, except in stage 0. Then the mean over H x W, dropout and the classifier
// (models.h).
//
//   resnet14         widths 16, 32, 64; blocks 2, 2, 2 (the 6n + 2 family with n = 2)
//   resnet18         widths 64, 128, 256, 512; blocks 2, 2, 2, 2
//   resnet34         widths 64, 128, 256, 512; blocks 3, 4, 6, 3
//   preact_resnet18  resnet18 with pre-activation blocks (He et al., "Identity mappings in deep
//                    residual networks"): BatchNorm and ReLU before each convolution, none
//                    after the stem, and a final BatchNorm and ReLU before the pooling
//
// A block's shortcut is the identity, or where the block changes the shape, a 1x1 convolution
// with the block's stride followed by BatchNorm (pre-activation: the convolution alone, on the
// block's activated input). Convolutions have no bias: BatchNorm follows (or precedes) each.
// `width`, `batchnorm` and `kernel_size` do not apply.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "contract/params.h"
#include "train/models.h"

namespace rs::train {

// `name` is one of the four above.
std::shared_ptr<Model> make_resnet(const std::string& name, int64_t channels, int64_t n_classes,
                                   const contract::TrainConfig& config);

}  // namespace rs::train
