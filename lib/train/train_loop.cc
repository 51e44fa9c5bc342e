#include "train/train_loop.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include <ATen/ops/cat.h>
#include <ATen/ops/cross_entropy_loss.h>
#include <ATen/ops/randperm.h>
#include <ATen/ops/zeros.h>
#include <fmt/format.h>
#include <torch/optim/adam.h>
#include <torch/optim/sgd.h>

#include "train/seeds.h"
#include "train/tensors.h"

namespace rs::train {
namespace {

// Evaluation works in chunks of this many samples to bound the memory of activations.
constexpr int64_t kEvalChunk = 1024;

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(Model& model, const TrainConfig& config) {
  namespace optim = torch::optim;
  if (config.optimizer == "adam")
    return std::make_unique<optim::Adam>(
        model.parameters(), optim::AdamOptions(config.lr).weight_decay(config.weight_decay));
  return std::make_unique<optim::SGD>(
      model.parameters(),
      optim::SGDOptions(config.lr).momentum(config.momentum).weight_decay(config.weight_decay));
}

struct Evaluation {
  double loss = 0, accuracy = 0;
  at::Tensor logits;
};

Evaluation evaluate(Model& model, const at::Tensor& x, const at::Tensor& y) {
  at::NoGradGuard no_grad;
  model.eval();
  const int64_t n = x.size(0);
  std::vector<at::Tensor> chunks;
  for (int64_t start = 0; start < n; start += kEvalChunk)
    chunks.push_back(model.forward(x.slice(0, start, std::min(n, start + kEvalChunk))));
  Evaluation result;
  result.logits = at::cat(chunks);
  result.loss = at::cross_entropy_loss(result.logits, y).item<double>();
  result.accuracy = result.logits.argmax(1).eq(y).sum().item<double>() / static_cast<double>(n);
  return result;
}

void append(std::vector<float>& to, const std::vector<float>& values) {
  to.insert(to.end(), values.begin(), values.end());
}

}  // namespace

TrainResult train(Model& model, const Dataset& data, const TrainConfig& config, std::FILE* progress) {
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(model, config);
  at::Generator shuffle_generator = make_cpu_generator(config.seed_shuffle);
  const int64_t n_train = data.train_x.size(0);

  TrainResult result;
  result.last_layer = to_floats(model.classifier_weight());
  result.last_layer_cols = static_cast<int64_t>(result.last_layer.size());

  for (int64_t epoch = 1; epoch <= config.epochs; ++epoch) {
    Clock::time_point train_start = Clock::now();
    model.train();
    at::Tensor order = at::randperm(n_train, shuffle_generator).to(data.train_x.device());
    at::Tensor loss_sum = at::zeros({}, data.train_x.options());
    at::Tensor hits = at::zeros({}, data.train_y.options());
    for (int64_t start = 0; start < n_train; start += config.batch_size) {
      at::Tensor indices = order.slice(0, start, std::min(n_train, start + config.batch_size));
      at::Tensor y = data.train_y.index_select(0, indices);
      at::Tensor logits = model.forward(data.train_x.index_select(0, indices));
      at::Tensor loss = at::cross_entropy_loss(logits, y);
      optimizer->zero_grad();
      loss.backward();
      optimizer->step();
      loss_sum += loss.detach() * indices.size(0);
      hits += logits.argmax(1).eq(y).sum();
    }
    const double train_loss = loss_sum.item<double>() / static_cast<double>(n_train);
    const double train_acc = hits.item<double>() / static_cast<double>(n_train);
    const double train_s = seconds_since(train_start);

    Clock::time_point eval_start = Clock::now();
    Evaluation test = evaluate(model, data.test_x, data.test_y);
    append(result.last_layer, to_floats(model.classifier_weight()));
    if (epoch == config.epochs) result.test_logits = to_floats(test.logits);
    const double eval_s = seconds_since(eval_start);

    runfile::EpochMetrics& m = result.metrics;
    m.epoch.push_back(epoch);
    m.lr.push_back(config.lr);
    m.train_loss.push_back(train_loss);
    m.train_acc.push_back(train_acc);
    m.test_loss.push_back(test.loss);
    m.test_acc.push_back(test.accuracy);
    m.seconds.push_back(train_s + eval_s);
    m.energy_j.push_back(0.0);
    result.train_s += train_s;
    result.eval_s += eval_s;
    if (progress != nullptr)
      fmt::print(
          progress, "epoch {}/{}  train loss {:.4f} acc {:.4f}  test loss {:.4f} acc {:.4f}  {:.2f} s\n",
          epoch, config.epochs, train_loss, train_acc, test.loss, test.accuracy, train_s + eval_s);
  }
  return result;
}

}  // namespace rs::train
