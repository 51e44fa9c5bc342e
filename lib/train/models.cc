#include "train/models.h"

#include <algorithm>

#include <ATen/ops/cat.h>
#include <fmt/format.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "train/tensors.h"
#include "util/error.h"

namespace rs::train {
namespace {

namespace nn = torch::nn;

class SmallCnn : public Model {
 public:
  SmallCnn(int64_t channels, int64_t width, bool batchnorm, int64_t n_classes) {
    const int64_t half = std::max<int64_t>(1, width / 2);
    add_conv(channels, half, /*stride=*/1, batchnorm);
    add_conv(half, width, /*stride=*/2, batchnorm);
    add_conv(width, width, /*stride=*/2, batchnorm);
    features_ = register_module("features", features_);
    classifier_ = register_module("classifier", nn::Linear(width, n_classes));
  }

  at::Tensor forward(const at::Tensor& x) override {
    return classifier_->forward(features_->forward(x).mean({2, 3}));
  }

  at::Tensor classifier_weight() override { return classifier_->weight; }

 private:
  void add_conv(int64_t in, int64_t out, int64_t stride, bool batchnorm) {
    features_->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1)));
    if (batchnorm) features_->push_back(nn::BatchNorm2d(out));
    features_->push_back(nn::ReLU());
  }

  nn::Sequential features_;
  nn::Linear classifier_{nullptr};
};

class Mlp : public Model {
 public:
  Mlp(int64_t inputs, int64_t width, int64_t n_classes) {
    hidden_ = register_module("hidden", nn::Sequential(nn::Linear(inputs, width), nn::ReLU(),
                                                       nn::Linear(width, width), nn::ReLU()));
    classifier_ = register_module("classifier", nn::Linear(width, n_classes));
  }

  at::Tensor forward(const at::Tensor& x) override {
    return classifier_->forward(hidden_->forward(x.flatten(1)));
  }

  at::Tensor classifier_weight() override { return classifier_->weight; }

 private:
  nn::Sequential hidden_{nullptr};
  nn::Linear classifier_{nullptr};
};

}  // namespace

std::shared_ptr<Model> build_model(const TrainConfig& config, const std::vector<int64_t>& sample_shape,
                                   int64_t n_classes) {
  if (config.model == "small_cnn") {
    if (sample_shape.size() != 3)
      throw InputError(fmt::format("model: small_cnn needs image data; {} is tabular (use model: mlp)",
                                   config.dataset.name));
    return std::make_shared<SmallCnn>(sample_shape[0], config.width, config.batchnorm, n_classes);
  }
  int64_t inputs = 1;
  for (int64_t d : sample_shape) inputs *= d;
  return std::make_shared<Mlp>(inputs, config.width, n_classes);
}

std::vector<float> flat_parameters(Model& model) {
  std::vector<at::Tensor> flattened;
  for (const at::Tensor& p : model.parameters()) flattened.push_back(p.detach().reshape({-1}));
  return to_floats(at::cat(flattened));
}

}  // namespace rs::train
