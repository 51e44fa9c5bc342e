#include "train/mlp.h"

#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/linear.h>

namespace rs::train {
namespace {

namespace nn = torch::nn;

class Mlp : public Model {
 public:
  Mlp(int64_t inputs, int64_t n_classes, const contract::TrainConfig& config) {
    const int64_t width = config.width;
    hidden_ = register_module("hidden", nn::Sequential(nn::Linear(inputs, width), nn::ReLU(),
                                                       nn::Linear(width, width), nn::ReLU()));
    add_classifier(width, n_classes, config);
  }

  at::Tensor forward(const at::Tensor& x) override { return classify(hidden_->forward(x.flatten(1))); }

 private:
  nn::Sequential hidden_{nullptr};
};

}  // namespace

std::shared_ptr<Model> make_mlp(int64_t inputs, int64_t n_classes, const contract::TrainConfig& config) {
  return std::make_shared<Mlp>(inputs, n_classes, config);
}

}  // namespace rs::train
