#include "train/train_loop.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include <ATen/ops/cross_entropy_loss.h>
#include <ATen/ops/zeros.h>
#include <fmt/format.h>
#include <c10/util/StringUtil.h>

#include "runfile/epoch_metrics.h"
#include "train/archive_values.h"
#include "train/batch_norm.h"
#include "train/evaluate.h"
#include "train/optimizer.h"
#include "train/precision.h"
#include "train/schedule.h"
#include "train/sync_check.h"
#include "train/tensors.h"

namespace rs::train {
namespace {

using Clock = std::chrono::steady_clock;
using torch::serialize::InputArchive;
using torch::serialize::OutputArchive;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void append(std::vector<float>& to, const std::vector<float>& values) {
  to.insert(to.end(), values.begin(), values.end());
}

double mark(energy::EnergyMeter* meter) { return meter != nullptr ? meter->epoch_mark() : 0.0; }

int64_t rank_count(const Ranks* ranks) { return ranks != nullptr ? ranks->size() : 1; }

// Module paths ("features.0.weight") as archive keys, in the '/' style LibTorch's own
// optimizer archives use.
std::string key_of(std::string name) {
  std::replace(name.begin(), name.end(), '.', '/');
  return name;
}

// Copies the archive's tensor into `into` (a parameter or buffer, on its device), so that the
// model keeps its own storage; a tensor of another shape means another model.
void read_into(InputArchive& archive, const std::string& key, at::Tensor into) {
  at::Tensor saved;
  archive.read(key, saved);
  if (saved.sizes() != into.sizes())
    throw std::runtime_error(fmt::format("checkpoint: {} has shape {}, the model's is {}", key,
                                         c10::str(saved.sizes()), c10::str(into.sizes())));
  at::NoGradGuard no_grad;
  into.copy_(saved);
}

}  // namespace

Trainer::Trainer(Model& model, const Dataset& data, const contract::TrainConfig& config, std::FILE* progress,
                 Ranks* ranks)
    : model_(model),
      data_(data),
      config_(config),
      progress_(progress),
      ranks_(ranks),
      optimizer_(make_optimizer(model.parameters(), config)),
      batches_(data, config, ranks != nullptr ? ranks->rank() : 0, ranks != nullptr ? ranks->size() : 1),
      gpu_timer_(data.train_x.device()) {
  if (config.sync_batchnorm && ranks != nullptr) sync_batch_norm(model, ranks);
  if (ranks != nullptr) gradient_sum_ = std::make_unique<GradientSum>(*ranks, model.parameters());
  result_.last_layer = to_floats(model.classifier_weight());
  if (gpu_timer_.available()) result_.gpu_s = 0;
  result_.rank_energy_j.assign(rank_count(ranks), {});
  result_.rank_gpu_s.assign(rank_count(ranks), result_.gpu_s);
  result_.last_layer_cols = static_cast<int64_t>(result_.last_layer.size());
}

void Trainer::step(const Batch& batch, int64_t epoch) {
  at::Tensor logits, loss;
  model_.set_samples(batch.indices, epoch);  // dropout's masks
  {
    AutocastScope autocast(config_, batch.x.device());  // forward and loss only
    logits = model_.forward(in_memory_format(batch.x, config_));
    loss = ranks_ == nullptr
               ? at::cross_entropy_loss(logits, batch.y, {}, at::Reduction::Mean, -100, config_.label_smoothing)
               : at::cross_entropy_loss(logits, batch.y, {}, at::Reduction::Sum, -100, config_.label_smoothing) /
                     static_cast<double>(batch.global_size);
  }
  optimizer_->zero_grad();
  at::Tensor batch_loss = loss.detach() * (ranks_ == nullptr ? batch.y.size(0) : batch.global_size);
  at::Tensor batch_hits = logits.argmax(1).eq(batch.y).sum();
  if (gradient_sum_ != nullptr) gradient_sum_->start(batch_loss, batch_hits);
  loss.backward();
  if (gradient_sum_ != nullptr) gradient_sum_->finish();
  optimizer_->step();
  loss_sum_ += batch_loss;
  hits_ += batch_hits;
}

void Trainer::add_marks(energy::EnergyMeter* meter) {
  const std::vector<double> mine = {mark(meter), gpu_timer_.stop()};
  const std::vector<std::vector<double>> all = gather(ranks_, mine);
  for (size_t r = 0; r < all.size(); ++r) {
    epoch_energy_j_[r] += all[r][0];
    epoch_gpu_s_[r] += all[r][1];
  }
}

int64_t Trainer::batches_done() const {
  return batches_.epoch() == epochs_done_ + 1 ? batches_.batches_done() : 0;
}

Trainer::Status Trainer::run(const std::function<bool()>& stop, int64_t pause_every, energy::EnergyMeter* meter) {
  const int64_t n_train = data_.train_x.size(0);
  while (epochs_done_ < config_.epochs) {
    const int64_t epoch = epochs_done_ + 1;
    Clock::time_point train_start = Clock::now();
    gpu_timer_.start();
    const double lr = learning_rate(config_, epoch);
    set_learning_rate(*optimizer_, lr);
    model_.train();
    if (batches_.epoch() != epoch) {  // else it goes on with an epoch begun before a pause
      batches_.start_epoch(epoch);
      loss_sum_ = at::zeros({}, data_.train_x.options());
      hits_ = at::zeros({}, data_.train_y.options());
      epoch_train_s_ = 0;
      epoch_energy_j_.assign(rank_count(ranks_), 0.0);
      epoch_gpu_s_.assign(rank_count(ranks_), 0.0);
    }
    for (Batch batch;;) {
      {
        const SyncCheck no_wait(data_.train_x.device());  // a step queues work and goes on
        if (!batches_.next(&batch)) break;
        step(batch, epoch);
      }
      bool stopping = stop && stop();
      if (ranks_ != nullptr) stopping = ranks_->any(stopping);
      if (stopping) {
        epoch_train_s_ += seconds_since(train_start);
        add_marks(meter);
        return Status::kStopped;
      }
    }
    const double train_loss = loss_sum_.item<double>() / static_cast<double>(n_train);
    const double train_acc = hits_.item<double>() / static_cast<double>(n_train);
    const double train_s = epoch_train_s_ + seconds_since(train_start);

    Clock::time_point eval_start = Clock::now();
    AutocastScope autocast(config_, data_.test_x.device());
    // `stop` is asked between two chunks of the evaluation too (evaluate.h), so that a signal
    // never waits for a whole evaluation of a large test set: every batch of the epoch is done,
    // the checkpoint takes it from here, and the evaluation is done again when training goes on
    // (the part done here counts in gpu_s, not in eval_s). In a distributed run only rank 0
    // evaluates while a stop is agreed among all ranks after a batch: there it runs to its end.
    const std::function<bool()> eval_stop = ranks_ == nullptr ? stop : std::function<bool()>();
    std::optional<Evaluation> test;
    std::optional<at::Tensor> tta;
    if (evaluates()) {
      test = evaluate(model_, data_.test_x, data_.test_y, eval_stop);
      if (test && epoch == config_.epochs && config_.tta != "none")
        tta = tta_logits(model_, data_.test_x, data_.raw_zero, config_.tta, eval_stop);
      if (!test || (epoch == config_.epochs && config_.tta != "none" && !tta)) {
        epoch_train_s_ = train_s;
        add_marks(meter);  // one process only: with ranks, evaluation does not stop
        return Status::kStopped;
      }
    }
    append(result_.last_layer, to_floats(model_.classifier_weight()));
    if (epoch == config_.epochs && evaluates()) {
      result_.test_logits = to_floats(test->logits);
      if (tta) result_.test_logits_tta = to_floats(*tta);
    }
    const double eval_s = seconds_since(eval_start);
    add_marks(meter);

    runfile::EpochMetrics& m = result_.metrics;
    m.epoch.push_back(epoch);
    m.lr.push_back(lr);
    m.train_loss.push_back(train_loss);
    m.train_acc.push_back(train_acc);
    const Evaluation shown = test ? *test : Evaluation{};  // ranks that do not evaluate: zeros
    m.test_loss.push_back(shown.loss);
    m.test_acc.push_back(shown.accuracy);
    m.seconds.push_back(train_s + eval_s);
    m.energy_j.push_back(sum_over_ranks(epoch_energy_j_));
    for (size_t r = 0; r < epoch_energy_j_.size(); ++r) result_.rank_energy_j[r].push_back(epoch_energy_j_[r]);
    result_.train_s += train_s;
    result_.eval_s += eval_s;
    if (result_.gpu_s >= 0) {
      for (size_t r = 0; r < epoch_gpu_s_.size(); ++r) result_.rank_gpu_s[r] += epoch_gpu_s_[r];
      result_.gpu_s = sum_over_ranks(result_.rank_gpu_s);
    }
    epochs_done_ = epoch;
    if (progress_ != nullptr)
      fmt::print(progress_,
                 "epoch {}/{}  lr {:.4g}  train loss {:.4f} acc {:.4f}  test loss {:.4f} acc {:.4f}  "
                 "{:.2f} s\n",
                 epoch, config_.epochs, lr, train_loss, train_acc, shown.loss, shown.accuracy, train_s + eval_s);
    if (pause_every > 0 && epoch % pause_every == 0 && epoch < config_.epochs) return Status::kPaused;
  }
  return Status::kDone;
}

void Trainer::save(OutputArchive& archive) const {
  OutputArchive model(archive.compilation_unit());
  for (const auto& p : model_.named_parameters()) model.write("parameters/" + key_of(p.key()), p.value());
  for (const auto& b : model_.named_buffers()) model.write("buffers/" + key_of(b.key()), b.value(), true);
  archive.write("model", model);

  OutputArchive optimizer(archive.compilation_unit());
  optimizer_->save(optimizer);
  archive.write("optimizer", optimizer);

  OutputArchive batches(archive.compilation_unit());
  batches_.save(batches);
  archive.write("batches", batches);

  archive.write("epochs_done", c10::IValue(epochs_done_));
  archive.write("epoch_loss_sum", loss_sum_);
  archive.write("epoch_hits", hits_);
  archive.write("epoch_train_s", c10::IValue(epoch_train_s_));
  write_series(archive, "epoch_rank_energy_j", epoch_energy_j_);
  write_series(archive, "epoch_rank_gpu_s", epoch_gpu_s_);

  runfile::visit_epoch_metrics(result_.metrics, [&](const char* name, const auto& series) {
    write_series(archive, std::string("metrics/") + name, series);
  });
  archive.write("last_layer", cpu_tensor(result_.last_layer));
  archive.write("train_s", c10::IValue(result_.train_s));
  archive.write("eval_s", c10::IValue(result_.eval_s));
  archive.write("gpu_s", c10::IValue(result_.gpu_s));
  for (size_t r = 0; r < result_.rank_energy_j.size(); ++r)
    write_series(archive, fmt::format("ranks/{}/energy_j", r), result_.rank_energy_j[r]);
  write_series(archive, "rank_gpu_s", result_.rank_gpu_s);
}

void Trainer::load(InputArchive& archive) {
  InputArchive model;
  archive.read("model", model);
  for (const auto& p : model_.named_parameters()) read_into(model, "parameters/" + key_of(p.key()), p.value());
  for (const auto& b : model_.named_buffers()) read_into(model, "buffers/" + key_of(b.key()), b.value());

  InputArchive optimizer;
  archive.read("optimizer", optimizer);
  optimizer_->load(optimizer);

  InputArchive batches;
  archive.read("batches", batches);
  batches_.load(batches);

  c10::IValue epochs_done;
  archive.read("epochs_done", epochs_done);
  epochs_done_ = epochs_done.toInt();
  archive.read("epoch_loss_sum", loss_sum_);
  archive.read("epoch_hits", hits_);
  epoch_train_s_ = read_double(archive, "epoch_train_s");
  const size_t ranks = static_cast<size_t>(rank_count(ranks_));
  // Checkpoints from before the ranks' figures held one process's, as scalars.
  if (!try_read_series(archive, "epoch_rank_energy_j", &epoch_energy_j_))
    epoch_energy_j_ = {read_double(archive, "epoch_energy_j")};
  if (!try_read_series(archive, "epoch_rank_gpu_s", &epoch_gpu_s_))
    epoch_gpu_s_ = {read_double_or(archive, "epoch_gpu_s", 0.0)};  // not in checkpoints before gpu_s

  TrainResult result;
  runfile::EpochMetrics& m = result.metrics;
  runfile::visit_epoch_metrics(m, [&](const char* name, auto& series) {
    read_series(archive, std::string("metrics/") + name, &series);
  });
  at::Tensor last_layer;
  archive.read("last_layer", last_layer);
  result.last_layer = to_floats(last_layer);
  result.last_layer_cols = result_.last_layer_cols;
  result.train_s = read_double(archive, "train_s");
  result.eval_s = read_double(archive, "eval_s");
  // GPU time adds up only while every process that worked on the run could measure it.
  result.gpu_s = gpu_timer_.available() ? read_double_or(archive, "gpu_s", -1.0) : -1;
  result.rank_energy_j.resize(ranks);
  for (size_t r = 0; r < ranks; ++r)
    if (!try_read_series(archive, fmt::format("ranks/{}/energy_j", r), &result.rank_energy_j[r]) && ranks == 1)
      result.rank_energy_j[r] = m.energy_j;
  if (!try_read_series(archive, "rank_gpu_s", &result.rank_gpu_s) || result.gpu_s < 0)
    result.rank_gpu_s.assign(ranks, result.gpu_s);
  const auto epochs_fit = [&](const std::vector<double>& series) {
    return static_cast<int64_t>(series.size()) == epochs_done_;
  };
  if (epoch_energy_j_.size() != ranks || epoch_gpu_s_.size() != ranks || result.rank_gpu_s.size() != ranks ||
      !std::all_of(result.rank_energy_j.begin(), result.rank_energy_j.end(), epochs_fit))
    throw std::runtime_error(fmt::format("checkpoint: its figures are not those of {} ranks", ranks));
  if (epochs_done_ < 0 || epochs_done_ >= config_.epochs ||
      static_cast<int64_t>(m.epoch.size()) != epochs_done_ ||
      static_cast<int64_t>(result.last_layer.size()) != (epochs_done_ + 1) * result.last_layer_cols)
    throw std::runtime_error("checkpoint: its epochs do not fit together");
  result_ = std::move(result);
}

}  // namespace rs::train
