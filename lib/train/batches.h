// The training batches of each epoch: which samples, in which order, and how each one looks.
//
// Order: each epoch draws one permutation of the training set from the shuffle generator
// (the shuffle seed, on the CPU), copies it to the device once, and cuts it into batches of
// batch_size consecutive indices (the last one may be smaller). A batch is gathered on the
// device with index_select, so no sample is ever copied on its own, and next() copies nothing
// from the host.
//
// Ranks (distributed.h): with world_size W > 1, every rank draws the same permutation and cuts
// the same batches, and next() gives rank r samples [floor(r*B/W), floor((r+1)*B/W)) of each
// batch of B: the ranks' parts make up the batch that one process would train on.
//
// Augmentation (config.augment): the batch's images are cropped and flipped on the device as
// augment.h says for (the augment seed, epoch, each sample's index), so a sample's augmentation does
// not depend on the order, and changing one of the two seeds leaves the other's effect alone.
#pragma once

#include <cstdint>

#include <ATen/core/Generator.h>
#include <ATen/core/Tensor.h>
#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

#include "contract/params.h"
#include "train/dataset.h"

namespace rs::train {

struct Batch {
  at::Tensor indices;  // int64 [B]: the samples' positions in the training set
  at::Tensor x, y;     // all three on the data's device
  int64_t global_size = 0;  // samples in the batch over all ranks (B with one rank)
};

class TrainBatches {
 public:
  // Keeps a reference to `data`, which must outlive this object. `rank` of `world_size`: which
  // part of each batch next() gives.
  TrainBatches(const Dataset& data, const contract::TrainConfig& config, int64_t rank = 0, int64_t world_size = 1);

  // Starts epoch `epoch` (1, 2, ... in order): draws its permutation.
  void start_epoch(int64_t epoch);

  // The next batch of the current epoch; false after the last one.
  bool next(Batch* batch);

  // The epoch last started (0 before the first), and how many of its batches next() gave.
  int64_t epoch() const { return epoch_; }
  int64_t batches_done() const { return (start_ + batch_size_ - 1) / batch_size_; }

  // The shuffle generator's state, the epoch, its permutation and the position in it: with
  // load(), a new TrainBatches goes on exactly where this one stands. Valid once an epoch has
  // started.
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  const Dataset& data_;
  const int64_t batch_size_;
  const bool augment_;
  const int64_t augment_seed_;
  const int64_t rank_, world_size_;
  at::Generator shuffle_generator_;
  int64_t epoch_ = 0;
  int64_t start_ = 0;
  at::Tensor order_;         // the epoch's permutation, on the CPU
  at::Tensor device_order_;  // the same, on the data's device
};

}  // namespace rs::train
