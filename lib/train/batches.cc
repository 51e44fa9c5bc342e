#include "train/batches.h"

#include <algorithm>
#include <stdexcept>

#include <ATen/ops/randperm.h>

#include "train/augment.h"
#include "train/seeds.h"

namespace rs::train {

TrainBatches::TrainBatches(const Dataset& data, const contract::TrainConfig& config, int64_t rank, int64_t world_size)
    : data_(data),
      batch_size_(config.batch_size),
      augment_(config.augment),
      augment_seed_(config.seeds[contract::NoiseSource::kAugment]),
      rank_(rank),
      world_size_(world_size),
      shuffle_generator_(make_cpu_generator(config.seeds[contract::NoiseSource::kShuffle])) {}

void TrainBatches::start_epoch(int64_t epoch) {
  epoch_ = epoch;
  start_ = 0;
  order_ = at::randperm(data_.train_x.size(0), shuffle_generator_);
  device_order_ = order_.to(data_.train_x.device());
}

bool TrainBatches::next(Batch* batch) {
  const int64_t n = order_.size(0);
  if (start_ >= n) return false;
  const int64_t end = std::min(n, start_ + batch_size_);
  batch->global_size = end - start_;
  batch->indices = device_order_.slice(0, start_ + batch->global_size * rank_ / world_size_,
                                       start_ + batch->global_size * (rank_ + 1) / world_size_);
  batch->x = data_.train_x.index_select(0, batch->indices);
  batch->y = data_.train_y.index_select(0, batch->indices);
  if (augment_) batch->x = augment_batch(batch->x, data_.raw_zero, batch->indices, augment_seed_, epoch_);
  start_ = end;
  return true;
}

void TrainBatches::save(torch::serialize::OutputArchive& archive) const {
  archive.write("shuffle_generator", shuffle_generator_.get_state());
  archive.write("epoch", c10::IValue(epoch_));
  archive.write("start", c10::IValue(start_));
  archive.write("order", order_);
}

void TrainBatches::load(torch::serialize::InputArchive& archive) {
  at::Tensor state, order;
  c10::IValue epoch, start;
  archive.read("shuffle_generator", state);
  archive.read("epoch", epoch);
  archive.read("start", start);
  archive.read("order", order);
  // The archive may have been read onto the training device; generators live on the CPU.
  shuffle_generator_.set_state(state.to(at::kCPU));
  epoch_ = epoch.toInt();
  start_ = start.toInt();
  order_ = order.to(at::kCPU);
  if (order_.dim() != 1 || order_.size(0) != data_.train_x.size(0))
    throw std::runtime_error("checkpoint: the data order does not fit the training set");
  device_order_ = order_.to(data_.train_x.device());
}

}  // namespace rs::train
