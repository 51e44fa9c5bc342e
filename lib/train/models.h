// The models the trainer knows, for images C x H x W (all) or flat features (mlp only).
//
//   mlp              the flattened input -> width -> width, ReLU after each (mlp.h)
//   small_cnn        3 convolutions, medium_cnn: 6 (plain_cnn.h)
//   resnet14, resnet18, resnet34, preact_resnet18   CIFAR ResNets (resnet.h)
//   mobilenet_v2     CIFAR MobileNetV2 (mobilenet_v2.h)
//
// Every model ends the same way: the mean over H x W of its last feature map (not
// AdaptiveAvgPool2d, which has no deterministic CUDA backward for outputs other than 1x1),
// dropout with probability config.dropout (dropout.h, its masks keyed by the dropout seed), and a
// linear classifier -> n_classes with a bias.
//
// Layers are registered in forward order (a residual block: its main path, then its shortcut),
// so parameters() lists them in module order, each layer's weight before its bias. That order
// defines /weights/flat and the index a bit flip names. Models hold only Conv2d, BatchNorm (a
// BatchNorm2d: batch_norm.h) and Linear layers with parameters, the kinds init_parameters()
// (init.h) knows.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>

#include "contract/params.h"
#include "train/dropout.h"

namespace rs::train {

class Model : public torch::nn::Module {
 public:
  virtual at::Tensor forward(const at::Tensor& x) = 0;

  // The classifier's weight [n_classes, features], recorded flattened in /weights/last_layer.
  at::Tensor classifier_weight() const { return classifier_->weight; }

  // The training samples of the next forward passes and the epoch, from which dropout makes
  // its masks (Dropout::set_samples).
  void set_samples(const at::Tensor& samples, int64_t epoch) { dropout_->set_samples(samples, epoch); }

 protected:
  // Registers the dropout and the classifier. Every model calls it last in its constructor,
  // so that they come last in module order.
  void add_classifier(int64_t features, int64_t n_classes, const contract::TrainConfig& config);

  // features [N, F] -> logits [N, n_classes], through dropout and the classifier.
  at::Tensor classify(const at::Tensor& features);

 private:
  std::shared_ptr<Dropout> dropout_;
  torch::nn::Linear classifier_{nullptr};
};

// A model on the CPU with PyTorch's default initialisation from the global generator; the
// trainer re-initialises it with init_parameters() (init.h). `config` is as
// contract::parse_train_config() accepts it: a CNN gets images.
std::shared_ptr<Model> build_model(const contract::TrainConfig& config, const std::vector<int64_t>& sample_shape,
                                   int64_t n_classes);

// All trainable parameters, flattened and concatenated in module order, copied to the CPU.
std::vector<float> flat_parameters(Model& model);

}  // namespace rs::train
