#include "train/plain_cnn.h"

#include <algorithm>
#include <vector>

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

#include "train/batch_norm.h"

namespace rs::train {
namespace {

namespace nn = torch::nn;

struct ConvLayer {
  int64_t out_channels, stride;
};

class PlainCnn : public Model {
 public:
  PlainCnn(int64_t channels, const std::vector<ConvLayer>& layers, int64_t kernel_size, int64_t n_classes,
           const contract::TrainConfig& config) {
    int64_t in = channels;
    for (const ConvLayer& layer : layers) {
      features_->push_back(nn::Conv2d(nn::Conv2dOptions(in, layer.out_channels, kernel_size)
                                          .stride(layer.stride)
                                          .padding(kernel_size / 2)));
      if (config.batchnorm) features_->push_back(BatchNorm(layer.out_channels));
      features_->push_back(nn::ReLU());
      in = layer.out_channels;
    }
    features_ = register_module("features", features_);
    add_classifier(in, n_classes, config);
  }

  at::Tensor forward(const at::Tensor& x) override { return classify(features_->forward(x).mean({2, 3})); }

 private:
  nn::Sequential features_;
};

}  // namespace

std::shared_ptr<Model> make_small_cnn(int64_t channels, int64_t n_classes, const contract::TrainConfig& config) {
  const int64_t w = config.width, half = std::max<int64_t>(1, w / 2);
  return std::make_shared<PlainCnn>(channels, std::vector<ConvLayer>{{half, 1}, {w, 2}, {w, 2}}, 3, n_classes,
                                    config);
}

std::shared_ptr<Model> make_medium_cnn(int64_t channels, int64_t n_classes, const contract::TrainConfig& config) {
  const int64_t w = config.width, half = std::max<int64_t>(1, w / 2);
  return std::make_shared<PlainCnn>(
      channels, std::vector<ConvLayer>{{half, 1}, {half, 1}, {w, 2}, {w, 1}, {w, 2}, {w, 1}},
      config.kernel_size, n_classes, config);
}

}  // namespace rs::train
