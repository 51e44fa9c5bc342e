// The learning rate of each epoch: one value per epoch, set before the epoch's first batch.
//
// With lr the base rate, W = warmup_epochs and t = epoch - W - 1 the epochs since warm-up:
//
//   warm-up   epoch <= W: lr * epoch / W, a linear ramp that reaches lr at epoch W
//   constant  lr
//   step      lr * gamma^floor(t / step_size)                 (PyTorch's StepLR)
//   cosine    lr * (1 + cos(pi * (t mod L) / L)) / 2, L = (epochs - W) / snapshot_cycles
//             (PyTorch's CosineAnnealingLR with T_max = L, restarted every L epochs: with
//             snapshot_cycles > 1, the "snapshot ensemble" schedule of Huang et al. 2017)
#pragma once

#include <cstdint>

#include "contract/params.h"

namespace rs::train {

// `epoch` counts from 1.
double learning_rate(const contract::TrainConfig& config, int64_t epoch);

}  // namespace rs::train
