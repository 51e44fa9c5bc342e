#include "catch_torch.h"  // first: see there

#include <cmath>
#include <cstring>

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

const std::vector<int64_t> kDigitShape = {1, 8, 8};

std::shared_ptr<Model> small_cnn(int64_t width, bool batchnorm, int64_t init_seed) {
  TrainConfig config;
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

TEST_CASE("mlp: flattens its input; small_cnn refuses tabular data") {
  TrainConfig config;
  config.model = "mlp";
  config.width = 16;
  std::shared_ptr<Model> mlp = build_model(config, {30}, 2);
  CHECK(flat_parameters(*mlp).size() == (30 * 16 + 16) + (16 * 16 + 16) + (16 * 2 + 2));
  CHECK(mlp->forward(at::zeros({4, 30})).sizes() == at::IntArrayRef({4, 2}));
  CHECK(build_model(config, kDigitShape, 10)->forward(at::zeros({3, 1, 8, 8})).sizes() ==
        at::IntArrayRef({3, 10}));

  config.model = "small_cnn";
  CHECK_THROWS_AS(build_model(config, {30}, 2), InputError);
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
