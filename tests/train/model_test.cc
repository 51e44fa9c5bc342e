#include "catch_torch.h"  // first: see there

#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include <ATen/Context.h>
#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/ones.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include "train/bitflip.h"
#include "train/init.h"
#include "train/models.h"
#include "train_test_util.h"
#include "util/error.h"

namespace rs::train {
namespace {

using contract::NoiseSource;

const std::vector<int64_t> kDigitShape = {1, 8, 8};

std::shared_ptr<Model> small_cnn(int64_t width, bool batchnorm, int64_t init_seed) {
  contract::TrainConfig config;
  config.model = "small_cnn";
  config.width = width;
  config.batchnorm = batchnorm;
  std::shared_ptr<Model> model = build_model(config, kDigitShape, 10);
  init_parameters(*model, init_seed);
  return model;
}

uint32_t bits(float v) {
  uint32_t b = 0;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

TEST_CASE("small_cnn: layer sizes, output shape and parameter order") {
  std::shared_ptr<Model> model = small_cnn(32, false, 0);
  // conv 1->16, conv 16->32, conv 32->32 (3x3, with biases), linear 32->10
  const size_t expected = (16 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 32 * 9 + 32) + (10 * 32 + 10);
  std::vector<float> flat = flat_parameters(*model);
  REQUIRE(flat.size() == expected);
  CHECK(model->forward(at::zeros({5, 1, 8, 8})).sizes() == at::IntArrayRef({5, 10}));

  // The classifier comes last in module order: its weight, then its bias.
  at::Tensor weight = model->classifier_weight();
  CHECK(weight.sizes() == at::IntArrayRef({10, 32}));
  CHECK(flat[expected - 10 - 320] == weight[0][0].item<float>());
}

TEST_CASE("mlp: flattens its input, a table's row or an image") {
  contract::TrainConfig config;
  config.model = "mlp";
  config.width = 16;
  std::shared_ptr<Model> mlp = build_model(config, {30}, 2);
  CHECK(flat_parameters(*mlp).size() == (30 * 16 + 16) + (16 * 16 + 16) + (16 * 2 + 2));
  CHECK(mlp->forward(at::zeros({4, 30})).sizes() == at::IntArrayRef({4, 2}));
  CHECK(build_model(config, kDigitShape, 10)->forward(at::zeros({3, 1, 8, 8})).sizes() ==
        at::IntArrayRef({3, 10}));
}

TEST_CASE("init: the init seed alone decides the initial weights") {
  CHECK(flat_parameters(*small_cnn(32, true, 5)) == flat_parameters(*small_cnn(32, true, 5)));
  CHECK(flat_parameters(*small_cnn(32, true, 5)) != flat_parameters(*small_cnn(32, true, 6)));
}

TEST_CASE("init: PyTorch's default bounds, BatchNorm at weight 1 and bias 0") {
  std::shared_ptr<Model> model = small_cnn(32, true, 1);
  int layers = 0;
  for (const auto& module : model->modules()) {
    at::Tensor weight, bias;
    if (auto* conv = module->as<torch::nn::Conv2d>()) {
      weight = conv->weight;
      bias = conv->bias;
    } else if (auto* linear = module->as<torch::nn::Linear>()) {
      weight = linear->weight;
      bias = linear->bias;
    } else if (auto* norm = module->as<torch::nn::BatchNorm2d>()) {
      CHECK(norm->weight.eq(1).all().item<bool>());
      CHECK(norm->bias.eq(0).all().item<bool>());
      continue;
    } else {
      continue;
    }
    ++layers;
    const double bound = 1.0 / std::sqrt(static_cast<double>(weight[0].numel()));
    CHECK(weight.abs().max().item<double>() <= bound);
    CHECK(bias.abs().max().item<double>() <= bound);
    CHECK(weight.abs().max().item<double>() > 0.5 * bound);  // spread over the range, not stuck at 0
  }
  CHECK(layers == 4);
}

std::shared_ptr<Model> model_named(const std::string& name, int64_t init_seed, double dropout = 0.0,
                                   int64_t dropout_seed = 0) {
  contract::TrainConfig config;
  config.model = name;
  config.width = 8;
  config.batchnorm = true;
  config.kernel_size = 5;
  config.dropout = dropout;
  config.seeds[NoiseSource::kDropout] = dropout_seed;
  std::shared_ptr<Model> model = build_model(config, {3, 8, 8}, 10);
  init_parameters(*model, init_seed);
  return model;
}

const char* const kModels[] = {"mlp",      "small_cnn",       "medium_cnn",  "resnet14",
                               "resnet18", "resnet34", "preact_resnet18", "mobilenet_v2"};

TEST_CASE("models: every model maps images to logits and ends with its classifier") {
  for (const char* name : kModels) {
    INFO(name);
    std::shared_ptr<Model> model = model_named(name, 0);
    at::Tensor logits = model->forward(at::ones({2, 3, 8, 8}));
    CHECK(logits.sizes() == at::IntArrayRef({2, 10}));
    // Module order ends with the classifier: its weight, then its bias.
    std::vector<at::Tensor> parameters = model->parameters();
    CHECK(parameters[parameters.size() - 2].is_same(model->classifier_weight()));
    CHECK(model->classifier_weight().size(0) == 10);
    logits.sum().backward();
    for (const at::Tensor& p : parameters) CHECK(p.grad().defined());  // every parameter is used
  }
}

TEST_CASE("models: the CIFAR ResNets and MobileNetV2 have their reference sizes") {
  // The sizes of the usual PyTorch CIFAR implementations with 10 classes (torchvision's
  // MobileNetV2 for mobilenet_v2: strides do not change the count), plus preact_resnet18's
  // final BatchNorm (2 x 512).
  const std::vector<std::pair<const char*, size_t>> sizes = {{"resnet14", 175258},
                                                             {"resnet18", 11173962},
                                                             {"resnet34", 21282122},
                                                             {"preact_resnet18", 11171146 + 1024},
                                                             {"mobilenet_v2", 2236682}};
  for (const auto& [name, size] : sizes) {
    INFO(name);
    CHECK(flat_parameters(*model_named(name, 0)).size() == size);
  }
}

TEST_CASE("models: medium_cnn has six convolutions of kernel_size") {
  contract::TrainConfig config;
  config.model = "medium_cnn";
  config.width = 8;
  for (int64_t k : {1, 3, 5, 7}) {
    config.kernel_size = k;
    std::shared_ptr<Model> model = build_model(config, {3, 8, 8}, 10);
    int convolutions = 0;
    for (const auto& module : model->modules()) {
      if (auto* conv = module->as<torch::nn::Conv2d>()) {
        ++convolutions;
        CHECK(conv->weight.size(2) == k);
      }
    }
    CHECK(convolutions == 6);
    // 3 -> 4 -> 4 -> 8 -> 8 -> 8 -> 8 channels, then the classifier
    const size_t weights = (3 * 4 + 4 * 4 + 4 * 8 + 3 * 8 * 8) * k * k, biases = 4 + 4 + 8 + 8 + 8 + 8;
    const size_t expected = weights + biases + 8 * 10 + 10;
    CHECK(flat_parameters(*model).size() == expected);
  }
}

TEST_CASE("init: every parameter of every model comes from the init seed alone") {
  for (const char* name : kModels) {
    INFO(name);
    // Each build draws PyTorch's default initialisation from the global generator first.
    at::manual_seed(1);
    std::vector<float> a = flat_parameters(*model_named(name, 5));
    at::manual_seed(2);
    std::vector<float> b = flat_parameters(*model_named(name, 5));
    CHECK(a == b);
    CHECK(a != flat_parameters(*model_named(name, 6)));
  }
}

TEST_CASE("dropout: a sample's mask comes from (dropout seed, epoch, sample), in training mode only") {
  const at::Tensor x = at::ones({8, 3, 8, 8});
  const at::Tensor samples = at::arange(100, 108, at::kLong);
  auto outputs = [&](int64_t dropout_seed, const at::Tensor& which, int64_t epoch) {
    std::shared_ptr<Model> model = model_named("small_cnn", 1, 0.5, dropout_seed);
    model->train();
    model->set_samples(which, epoch);
    std::vector<at::Tensor> out = {model->forward(x.slice(0, 0, which.size(0))),
                                   model->forward(x.slice(0, 0, which.size(0)))};
    model->eval();
    out.push_back(model->forward(x));
    return out;
  };
  std::vector<at::Tensor> a = outputs(3, samples, 1), again = outputs(3, samples, 1);
  for (int i = 0; i < 3; ++i) CHECK(at::equal(a[i], again[i]));
  CHECK(at::equal(a[0], a[1]));  // no stream: the same samples in the same epoch, the same mask
  CHECK_FALSE(at::equal(a[0], outputs(4, samples, 1)[0]));   // another seed
  CHECK_FALSE(at::equal(a[0], outputs(3, samples, 2)[0]));   // another epoch
  CHECK_FALSE(at::equal(a[0], outputs(3, samples + 8, 1)[0]));  // other samples
  CHECK(at::equal(a[2], outputs(4, samples, 1)[2]));  // no dropout in eval mode

  // The dropout seed leaves the initial weights alone.
  CHECK(flat_parameters(*model_named("small_cnn", 1, 0.5, 3)) ==
        flat_parameters(*model_named("small_cnn", 1, 0.5, 4)));
  CHECK(flat_parameters(*model_named("small_cnn", 1, 0.5, 3)) ==
        flat_parameters(*model_named("small_cnn", 1)));
}

TEST_CASE("dropout: drops a fraction p and scales the rest by 1 / (1 - p)") {
  for (double p : {0.2, 0.5, 0.9}) {
    Dropout dropout(p, 11);
    dropout.train();
    const at::Tensor x = at::ones({64, 512});
    dropout.set_samples(at::arange(64, at::kLong), 3);
    const at::Tensor y = dropout.forward(x);
    const double dropped = y.eq(0).sum().item<double>() / static_cast<double>(y.numel());
    CHECK(dropped == Approx(p).margin(0.01));  // 32768 elements: a standard error of 0.003 or less
    CHECK(y.ne(0).logical_and(y.ne(static_cast<float>(1.0 / (1.0 - p)))).sum().item<int64_t>() == 0);
  }
  // A sample's mask depends on the sample alone, not on its batch or its place in it.
  Dropout dropout(0.5, 11);
  dropout.train();
  const at::Tensor x = at::ones({8, 3, 4});
  const at::Tensor samples = at::arange(20, 28, at::kLong);
  dropout.set_samples(samples, 2);
  const at::Tensor y = dropout.forward(x);
  dropout.set_samples(samples.flip({0}), 2);
  CHECK(at::equal(dropout.forward(x), y.flip({0})));
  dropout.set_samples(samples.slice(0, 5, 6), 2);
  CHECK(at::equal(dropout.forward(x.slice(0, 0, 1)), y.slice(0, 5, 6)));
  dropout.set_samples(samples.slice(0, 0, 4), 2);
  CHECK_THROWS_AS(dropout.forward(x), std::logic_error);  // 4 samples named, 8 given
  CHECK_THROWS_AS(Dropout(0.5, 11).forward(x), std::logic_error);  // none named
  dropout.eval();
  CHECK(at::equal(dropout.forward(x), x));
}

TEST_CASE("bitflip: exactly one weight changes, by one ULP, chosen by the bitflip seed") {
  for (int64_t seed : {0, 1, 2, 3, 42}) {
    std::shared_ptr<Model> model = small_cnn(32, false, 9);
    const std::vector<float> before = flat_parameters(*model);
    const BitFlip flip = flip_one_weight(*model, seed);
    const std::vector<float> after = flat_parameters(*model);

    REQUIRE(flip.index >= 0);
    REQUIRE(flip.index < static_cast<int64_t>(before.size()));
    int changed = 0;
    for (size_t i = 0; i < before.size(); ++i) changed += bits(before[i]) != bits(after[i]);
    CHECK(changed == 1);
    CHECK(before[flip.index] == flip.old_value);
    CHECK(after[flip.index] == flip.new_value);
    const float infinity = std::numeric_limits<float>::infinity();
    CHECK(flip.new_value == std::nextafter(flip.old_value, flip.up ? infinity : -infinity));
    // Same sign, adjacent floats: the bit patterns differ by one.
    CHECK(std::abs(static_cast<int64_t>(bits(flip.new_value)) -
                   static_cast<int64_t>(bits(flip.old_value))) == 1);

    std::shared_ptr<Model> again = small_cnn(32, false, 9);
    CHECK(flip_one_weight(*again, seed).index == flip.index);
  }
}

}  // namespace
}  // namespace rs::train
