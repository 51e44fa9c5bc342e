// Evaluation of a model on a data set, in eval mode and without gradients, in chunks of 1024
// samples to bound the memory of activations. Between two chunks it asks `stop` (may be
// empty), as training does between batches: on true it ends there and returns nothing (an
// evaluation cut short is done again from its start; it changes nothing in the model).
//
// Test-time augmentation (config.tta) averages the logits of several views of each image,
// made with augment.h's crops (padding kCropPadding) and flips:
//
//   flip        2 views: the image and its mirror image
//   flip_crops  10 views: those two, each unshifted and shifted by kCropPadding pixels towards
//               each of the four corners (crops of the padded image at its corners)
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <ATen/core/Tensor.h>

#include "train/models.h"

namespace rs::train {

struct Evaluation {
  double loss = 0, accuracy = 0;  // mean cross-entropy; fraction in [0, 1]
  at::Tensor logits;              // [N, n_classes], on the device
};

// x [N, ...], y int64 [N], on the model's device.
std::optional<Evaluation> evaluate(Model& model, const at::Tensor& x, const at::Tensor& y,
                                   const std::function<bool()>& stop = {});

// The mean logits [N, n_classes] over the views `tta` names ("flip" or "flip_crops") of the
// images x [N, C, H, W]; crops pad with `padding` [C] (augment.h).
std::optional<at::Tensor> tta_logits(Model& model, const at::Tensor& x, const at::Tensor& padding,
                                     const std::string& tta, const std::function<bool()>& stop = {});

}  // namespace rs::train
