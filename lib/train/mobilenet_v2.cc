#include "train/mobilenet_v2.h"

#include <ATen/TensorOperators.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include "train/batch_norm.h"

namespace rs::train {
namespace {

namespace nn = torch::nn;

// Appends a convolution (no bias), its BatchNorm and, when `activate`, ReLU6 to `layers`.
void add_conv(nn::Sequential& layers, int64_t in, int64_t out, int64_t kernel_size, int64_t stride,
              int64_t groups, bool activate) {
  layers->push_back(nn::Conv2d(nn::Conv2dOptions(in, out, kernel_size)
                                   .stride(stride)
                                   .padding(kernel_size / 2)
                                   .groups(groups)
                                   .bias(false)));
  layers->push_back(BatchNorm(out));
  if (activate) layers->push_back(nn::ReLU6());
}

class InvertedResidual : public nn::Module {
 public:
  InvertedResidual(int64_t in, int64_t out, int64_t expansion, int64_t stride)
      : residual_(stride == 1 && in == out) {
    const int64_t hidden = in * expansion;
    if (expansion != 1) add_conv(layers_, in, hidden, 1, 1, 1, true);
    add_conv(layers_, hidden, hidden, 3, stride, hidden, true);  // depthwise
    add_conv(layers_, hidden, out, 1, 1, 1, false);
    layers_ = register_module("layers", layers_);
  }

  at::Tensor forward(const at::Tensor& x) {
    at::Tensor out = layers_->forward(x);
    return residual_ ? x + out : out;
  }

 private:
  nn::Sequential layers_;
  bool residual_;
};

struct Stage {
  int64_t expansion, channels, blocks, stride;
};

class MobileNetV2 : public Model {
 public:
  MobileNetV2(int64_t channels, int64_t n_classes, const contract::TrainConfig& config) {
    static const Stage kStages[] = {{1, 16, 1, 1},  {6, 24, 2, 1},  {6, 32, 3, 2},  {6, 64, 4, 2},
                                    {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
    int64_t in = 32;
    add_conv(features_, channels, in, 3, 1, 1, true);
    for (const Stage& stage : kStages) {
      for (int64_t block = 0; block < stage.blocks; ++block) {
        const int64_t stride = block == 0 ? stage.stride : 1;
        features_->push_back(std::make_shared<InvertedResidual>(in, stage.channels, stage.expansion, stride));
        in = stage.channels;
      }
    }
    add_conv(features_, in, 1280, 1, 1, 1, true);
    features_ = register_module("features", features_);
    add_classifier(1280, n_classes, config);
  }

  at::Tensor forward(const at::Tensor& x) override { return classify(features_->forward(x).mean({2, 3})); }

 private:
  nn::Sequential features_;
};

}  // namespace

std::shared_ptr<Model> make_mobilenet_v2(int64_t channels, int64_t n_classes, const contract::TrainConfig& config) {
  return std::make_shared<MobileNetV2>(channels, n_classes, config);
}

}  // namespace rs::train
