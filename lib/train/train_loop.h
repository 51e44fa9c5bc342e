// The training loop: shuffled mini-batches, cross-entropy, SGD with momentum or Adam at a
// constant learning rate, and an evaluation on the test set after every epoch.
//
// Each epoch draws a permutation of the training set from the shuffle generator (seed_shuffle,
// on the CPU) and cuts it into batches of batch_size consecutive indices (the last one may be
// smaller); a batch is gathered on the device with index_select, so no sample is ever copied
// on its own. Losses and hits are summed on the device and read once per epoch; that read waits
// for the device's queued work, so the epoch's times include all of it.
//
// train_loss and train_acc average over the epoch's batches as the model changes (no extra
// pass); test_loss and test_acc are those of the model at the end of the epoch, in eval mode.
// Accuracies are fractions in [0, 1].
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

#include "runfile/run_file.h"
#include "train/config.h"
#include "train/dataset.h"
#include "train/models.h"

namespace rs::train {

struct TrainResult {
  runfile::EpochMetrics metrics;  // energy_j is 0: no energy measurement yet
  int64_t last_layer_cols = 0;
  std::vector<float> last_layer;   // [epochs + 1, last_layer_cols]: after init, after each epoch
  std::vector<float> test_logits;  // [n_test, n_classes] of the final model
  double train_s = 0, eval_s = 0;  // summed over epochs
};

// Trains `model`, already initialised and on the device of `data`, for config.epochs epochs.
// Writes one line per epoch to `progress` unless it is nullptr.
TrainResult train(Model& model, const Dataset& data, const TrainConfig& config, std::FILE* progress);

}  // namespace rs::train
