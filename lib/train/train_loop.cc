#include "train/train_loop.h"

#include <chrono>
#include <memory>

#include <ATen/ops/cross_entropy_loss.h>
#include <ATen/ops/zeros.h>
#include <fmt/format.h>

#include "train/batches.h"
#include "train/evaluate.h"
#include "train/optimizer.h"
#include "train/schedule.h"
#include "train/tensors.h"

namespace rs::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void append(std::vector<float>& to, const std::vector<float>& values) {
  to.insert(to.end(), values.begin(), values.end());
}

}  // namespace

TrainResult train(Model& model, const Dataset& data, const TrainConfig& config, std::FILE* progress,
                  energy::EnergyMeter* meter) {
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(model.parameters(), config);
  TrainBatches batches(data, config);
  const int64_t n_train = data.train_x.size(0);

  TrainResult result;
  result.last_layer = to_floats(model.classifier_weight());
  result.last_layer_cols = static_cast<int64_t>(result.last_layer.size());

  for (int64_t epoch = 1; epoch <= config.epochs; ++epoch) {
    Clock::time_point train_start = Clock::now();
    const double lr = learning_rate(config, epoch);
    set_learning_rate(*optimizer, lr);
    model.train();
    batches.start_epoch(epoch);
    at::Tensor loss_sum = at::zeros({}, data.train_x.options());
    at::Tensor hits = at::zeros({}, data.train_y.options());
    Batch batch;
    while (batches.next(&batch)) {
      at::Tensor logits = model.forward(batch.x);
      at::Tensor loss = at::cross_entropy_loss(logits, batch.y, {}, at::Reduction::Mean, -100,
                                               config.label_smoothing);
      optimizer->zero_grad();
      loss.backward();
      optimizer->step();
      loss_sum += loss.detach() * batch.y.size(0);
      hits += logits.argmax(1).eq(batch.y).sum();
    }
    const double train_loss = loss_sum.item<double>() / static_cast<double>(n_train);
    const double train_acc = hits.item<double>() / static_cast<double>(n_train);
    const double train_s = seconds_since(train_start);

    Clock::time_point eval_start = Clock::now();
    Evaluation test = evaluate(model, data.test_x, data.test_y);
    append(result.last_layer, to_floats(model.classifier_weight()));
    if (epoch == config.epochs) {
      result.test_logits = to_floats(test.logits);
      if (config.tta != "none")
        result.test_logits_tta = to_floats(tta_logits(model, data.test_x, data.raw_zero, config.tta));
    }
    const double eval_s = seconds_since(eval_start);

    runfile::EpochMetrics& m = result.metrics;
    m.epoch.push_back(epoch);
    m.lr.push_back(lr);
    m.train_loss.push_back(train_loss);
    m.train_acc.push_back(train_acc);
    m.test_loss.push_back(test.loss);
    m.test_acc.push_back(test.accuracy);
    m.seconds.push_back(train_s + eval_s);
    m.energy_j.push_back(meter != nullptr ? meter->epoch_mark() : 0.0);
    result.train_s += train_s;
    result.eval_s += eval_s;
    if (progress != nullptr)
      fmt::print(progress,
                 "epoch {}/{}  lr {:.4g}  train loss {:.4f} acc {:.4f}  test loss {:.4f} acc {:.4f}  "
                 "{:.2f} s\n",
                 epoch, config.epochs, lr, train_loss, train_acc, test.loss, test.accuracy, train_s + eval_s);
  }
  return result;
}

}  // namespace rs::train
