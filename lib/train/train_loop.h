// The training loop: mini-batches (batches.h), cross-entropy with optional label smoothing,
// the optimizer (optimizer.h) at each epoch's learning rate (schedule.h), and an evaluation on
// the test set after every epoch (evaluate.h).
//
// Losses and hits are summed on the device and read once per epoch; that read waits for the
// device's queued work, so the epoch's times include all of it.
//
// train_loss and train_acc average over the epoch's batches as the model changes (no extra
// pass; with augmentation, on the augmented images); test_loss and test_acc are those of the
// model at the end of the epoch, in eval mode, without test-time augmentation. Accuracies are
// fractions in [0, 1]. After the last epoch, the test logits are kept, and with config.tta
// also the averaged logits of its views; the time this takes counts as the last epoch's
// evaluation.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

#include "energy/energy_meter.h"
#include "runfile/run_file.h"
#include "train/config.h"
#include "train/dataset.h"
#include "train/models.h"

namespace rs::train {

struct TrainResult {
  runfile::EpochMetrics metrics;  // energy_j from the meter, 0 without one
  int64_t last_layer_cols = 0;
  std::vector<float> last_layer;       // [epochs + 1, last_layer_cols]: after init, after each epoch
  std::vector<float> test_logits;      // [n_test, n_classes] of the final model
  std::vector<float> test_logits_tta;  // the same with test-time augmentation; empty without
  double train_s = 0, eval_s = 0;      // summed over epochs
};

// Trains `model`, already initialised and on the device of `data`, for config.epochs epochs.
// Writes one line per epoch to `progress` unless it is nullptr. Each epoch's energy is
// meter->epoch_mark() when `meter` is not nullptr (already started).
TrainResult train(Model& model, const Dataset& data, const TrainConfig& config, std::FILE* progress,
                  energy::EnergyMeter* meter);

}  // namespace rs::train
