// The training loop: mini-batches (batches.h), cross-entropy with optional label smoothing,
// the optimizer (optimizer.h) at each epoch's learning rate (schedule.h), and an evaluation on
// the test set after every epoch (evaluate.h).
//
// Losses and hits are summed on the device and read once per epoch; that read waits for the
// device's queued work, so the epoch's times include all of it. Nothing in a training step
// waits for the device (sync_check.h): batches, augmentation parameters and dropout masks are
// made on it, and no value is read back.
//
// train_loss and train_acc average over the epoch's batches as the model changes (no extra
// pass; with augmentation, on the augmented images); test_loss and test_acc are those of the
// model at the end of the epoch, in eval mode, without test-time augmentation. Accuracies are
// fractions in [0, 1]. After the last epoch, the test logits are kept, and with config.tta
// also the averaged logits of its views; the time this takes counts as the last epoch's
// evaluation.
//
// Data parallel (with Ranks, distributed.h): each rank trains its part of every batch
// (batches.h); its loss is its samples' summed loss divided by the whole batch's size, so that
// the gradients summed over the ranks (GradientSum, during the backward pass, with the batch's
// loss and hits appended) are those of the batch's mean loss, as with one process: a run means
// the same at every world size, and only the order of the additions and BatchNorm's statistics
// (per rank, unless sync_batchnorm: batch_norm.h) differ.
// Dropout and augmentation follow each sample's index, whichever rank trains it. The stop that
// `stop` asks for is agreed among the ranks after each batch (Ranks::any), so every rank stops
// after the same one. Only rank 0 evaluates: the test metrics, logits and progress lines are
// its alone. Each rank's energy and GPU time are gathered on every rank whenever they are marked
// (TrainResult::rank_energy_j, rank_gpu_s). The parameters, the optimizer's state, the data
// position, the epoch's sums and those figures are the same on every rank, so rank 0's
// checkpoint resumes them all.
//
// Training can pause between any two batches and go on later, in the same process or, through
// save() and load() (checkpoint.h), in another one: the result is the same to the bit as
// without the pause (in mode d; in mode nd, as repeatable as nd is).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include <ATen/core/Tensor.h>
#include <torch/optim/optimizer.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "contract/params.h"
#include "energy/energy_meter.h"
#include "runfile/run_file.h"
#include "train/batches.h"
#include "train/dataset.h"
#include "train/distributed.h"
#include "train/gpu_timer.h"
#include "train/models.h"

namespace rs::train {

struct TrainResult {
  runfile::EpochMetrics metrics;  // energy_j from the meters (the ranks' sum), 0 without one
  int64_t last_layer_cols = 0;
  std::vector<float> last_layer;       // [epochs + 1, last_layer_cols]: after init, after each epoch
  std::vector<float> test_logits;      // [n_test, n_classes] of the final model
  std::vector<float> test_logits_tta;  // the same with test-time augmentation; empty without
  double train_s = 0, eval_s = 0;      // summed over epochs
  double gpu_s = -1;  // CUDA-event time of train + eval, summed; -1 without events (gpu_timer.h)
  // Each rank's part of metrics.energy_j ([rank][epoch]) and of gpu_s, by rank: one entry for one
  // process. Gathered on every rank (Ranks::gather), so that they too are the same on all.
  std::vector<std::vector<double>> rank_energy_j;
  std::vector<double> rank_gpu_s;
};

class Trainer {
 public:
  // `model` is initialised and on the device of `data`; both must outlive the Trainer, and so
  // must `ranks` (nullptr: one process). Writes one line per epoch to `progress` unless it is
  // nullptr.
  Trainer(Model& model, const Dataset& data, const contract::TrainConfig& config, std::FILE* progress,
          Ranks* ranks = nullptr);

  enum class Status { kDone, kPaused, kStopped };

  // Trains until every epoch is done (kDone), or until it stops right after the batch at which
  // `stop` (asked after every batch; may be empty) answers true (kStopped), or until it pauses
  // after an epoch whose number is a multiple of `pause_every` (0: never) other than the last
  // (kPaused). Call again to go on. Each epoch's energy_j is meter->epoch_mark() (0 without a
  // meter), summed over the ranks; a stop within an epoch takes a mark too and adds it to the
  // epoch's, so the meter may be replaced in between.
  Status run(const std::function<bool()>& stop, int64_t pause_every, energy::EnergyMeter* meter);

  // Where training stands: epoch epochs_done() + 1 is next, batches_done() of its batches done.
  int64_t epochs_done() const { return epochs_done_; }
  int64_t batches_done() const;

  // The result so far; complete once run() has returned kDone.
  const TrainResult& result() const { return result_; }
  TrainResult& result() { return result_; }

  // Everything training changes: the model's parameters and buffers, the optimizer's state, the
  // data order and position, the sums of the epoch in progress and the result so far. (Dropout
  // and augmentation have no state: counter hashes of seed, epoch and sample.) load() restores what save() wrote for the same config and data; it
  // throws when something is missing or does not fit, leaving this Trainer and its model in
  // an unusable state (start again from a new model).
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  // One batch: forward, loss, backward, (the sum over the ranks,) optimizer step, and the
  // epoch's sums.
  void step(const Batch& batch, int64_t epoch);
  // Adds the energy and GPU time since the last marks to the epoch's, every rank's.
  void add_marks(energy::EnergyMeter* meter);
  bool evaluates() const { return ranks_ == nullptr || ranks_->rank() == 0; }

  Model& model_;
  const Dataset& data_;
  const contract::TrainConfig& config_;
  std::FILE* progress_;
  Ranks* ranks_;
  std::unique_ptr<GradientSum> gradient_sum_;  // with ranks
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  TrainBatches batches_;
  TrainResult result_;
  GpuTimer gpu_timer_;
  int64_t epochs_done_ = 0;
  // The epoch in progress: loss and hits summed on the device, and what earlier stretches of
  // it (before pauses) took; energy and GPU time by rank.
  at::Tensor loss_sum_, hits_;
  double epoch_train_s_ = 0;
  std::vector<double> epoch_energy_j_, epoch_gpu_s_;
};

}  // namespace rs::train
