// The models the trainer knows.
//
//   small_cnn  images C x H x W only: three 3x3 convolutions with padding 1,
//              C -> max(1, width/2) (stride 1) -> width (stride 2) -> width (stride 2),
//              each followed by BatchNorm (when `batchnorm`) and ReLU; then the mean over
//              H x W and a linear classifier width -> n_classes. Global mean pooling rather
//              than AdaptiveAvgPool2d because the latter has no deterministic CUDA backward for
//              outputs other than 1x1.
//   mlp        the flattened input -> width -> width -> n_classes, ReLU after each hidden
//              layer. `batchnorm` does not apply to it and is ignored.
//
// Layers are registered in forward order, so parameters() lists them in module order (each
// layer's weight, then its bias). That order defines /weights/flat and the index a bit flip
// names.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/nn/module.h>

#include "train/config.h"

namespace rs::train {

class Model : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& x) = 0;

  // The classifier's weight [n_classes, width], recorded flattened in /weights/last_layer.
  virtual at::Tensor classifier_weight() = 0;
};

// A model on the CPU with PyTorch's default initialisation from the global generator; the
// trainer re-initialises it with init_parameters() (init.h). Throws rs::InputError when the
// model does not fit the data (small_cnn on tabular data).
std::shared_ptr<Model> build_model(const TrainConfig& config, const std::vector<int64_t>& sample_shape,
                                   int64_t n_classes);

// All trainable parameters, flattened and concatenated in module order, copied to the CPU.
std::vector<float> flat_parameters(Model& model);

}  // namespace rs::train
