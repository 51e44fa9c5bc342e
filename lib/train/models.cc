#include "train/models.h"

#include <stdexcept>

#include <ATen/ops/cat.h>

#include "train/mlp.h"
#include "train/mobilenet_v2.h"
#include "train/plain_cnn.h"
#include "train/resnet.h"
#include "train/tensors.h"

namespace rs::train {

void Model::add_classifier(int64_t features, int64_t n_classes, const contract::TrainConfig& config) {
  dropout_ = register_module("dropout", std::make_shared<Dropout>(config.dropout, config.seeds[contract::NoiseSource::kDropout]));
  classifier_ = register_module("classifier", torch::nn::Linear(features, n_classes));
}

at::Tensor Model::classify(const at::Tensor& features) {
  return classifier_->forward(dropout_->forward(features));
}

std::shared_ptr<Model> build_model(const contract::TrainConfig& config, const std::vector<int64_t>& sample_shape,
                                   int64_t n_classes) {
  if (config.model == "mlp") {
    int64_t inputs = 1;
    for (int64_t d : sample_shape) inputs *= d;
    return make_mlp(inputs, n_classes, config);
  }
  // parse_train_config() refuses a CNN on tabular data.
  if (sample_shape.size() != 3) throw std::logic_error("build_model: " + config.model + " needs images");
  const int64_t channels = sample_shape[0];
  if (config.model == "small_cnn") return make_small_cnn(channels, n_classes, config);
  if (config.model == "medium_cnn") return make_medium_cnn(channels, n_classes, config);
  if (config.model == "mobilenet_v2") return make_mobilenet_v2(channels, n_classes, config);
  return make_resnet(config.model, channels, n_classes, config);
}

std::vector<float> flat_parameters(Model& model) {
  std::vector<at::Tensor> flattened;
  for (const at::Tensor& p : model.parameters()) flattened.push_back(p.detach().reshape({-1}));
  return to_floats(at::cat(flattened));
}

}  // namespace rs::train
