#include "catch_torch.h"  // first: see there

#include <cstring>
#include <vector>

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/empty.h>
#include <ATen/ops/full.h>
#include <ATen/ops/ones.h>
#include <ATen/ops/randint.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/randperm.h>
#include <ATen/ops/zeros.h>

#include "train/augment.h"
#include "train/batches.h"
#include "train/dataset.h"
#include "train/seeds.h"

namespace rs::train {
namespace {

using contract::NoiseSource;

bool same_bytes(const at::Tensor& a, const at::Tensor& b) {
  at::Tensor x = a.contiguous(), y = b.contiguous();
  return x.sizes() == y.sizes() && x.scalar_type() == y.scalar_type() &&
         std::memcmp(x.data_ptr(), y.data_ptr(), x.nbytes()) == 0;
}

// crop_and_flip() pixel by pixel, as augment.h defines it.
at::Tensor crop_and_flip_slowly(const at::Tensor& images, const at::Tensor& padding, const at::Tensor& rows,
                                const at::Tensor& cols, const at::Tensor& flips) {
  at::Tensor out = at::empty(images.sizes());
  auto in = images.accessor<float, 4>();
  auto to = out.accessor<float, 4>();
  const int64_t h = images.size(2), w = images.size(3);
  for (int64_t n = 0; n < images.size(0); ++n)
    for (int64_t c = 0; c < images.size(1); ++c)
      for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
          const int64_t cropped_x = flips[n].item<int64_t>() == 1 ? w - 1 - x : x;
          const int64_t source_y = rows[n].item<int64_t>() + y - kCropPadding;
          const int64_t source_x = cols[n].item<int64_t>() + cropped_x - kCropPadding;
          const bool inside = source_y >= 0 && source_y < h && source_x >= 0 && source_x < w;
          to[n][c][y][x] = inside ? in[n][c][source_y][source_x] : padding[c].item<float>();
        }
  return out;
}

TEST_CASE("crop_and_flip: each image's window of its padded copy, mirrored when flipped") {
  at::Generator generator = make_cpu_generator(3);
  at::Tensor images = at::randn({6, 2, 5, 7}, generator);
  at::Tensor padding = at::randn({2}, generator);
  at::Tensor rows = at::randint(0, 2 * kCropPadding + 1, {6}, generator);
  at::Tensor cols = at::randint(0, 2 * kCropPadding + 1, {6}, generator);
  at::Tensor flips = at::randint(0, 2, {6}, generator);
  CHECK(same_bytes(crop_and_flip(images, padding, rows, cols, flips),
                   crop_and_flip_slowly(images, padding, rows, cols, flips)));

  at::Tensor centre = at::full({6}, kCropPadding, at::kLong);
  CHECK(same_bytes(crop_and_flip(images, padding, centre, centre, at::zeros({6}, at::kLong)), images));
  CHECK(same_bytes(crop_and_flip(images, padding, centre, centre, at::ones({6}, at::kLong)),
                   images.flip({3})));

  // Channels-last images give channels-last views (test-time augmentation feeds them to a
  // channels-last model as they are), with the same values.
  const at::Tensor nhwc = crop_and_flip(images.contiguous(at::MemoryFormat::ChannelsLast), padding, rows, cols, flips);
  CHECK(nhwc.is_contiguous(at::MemoryFormat::ChannelsLast));
  CHECK(same_bytes(nhwc, crop_and_flip(images, padding, rows, cols, flips)));
}

TEST_CASE("augment_batch: a sample's view depends on (seed, epoch, index), not on its batch") {
  at::Tensor images = at::randn({20, 3, 8, 8}, make_cpu_generator(1));
  at::Tensor padding = at::full({3}, -1.5f);
  at::Tensor indices = at::arange(100, 120, at::kLong);
  at::Tensor in_order = augment_batch(images, padding, indices, 5, 2);

  at::Tensor permutation = at::randperm(20, make_cpu_generator(2));
  at::Tensor shuffled =
      augment_batch(images.index_select(0, permutation), padding, indices.index_select(0, permutation), 5, 2);
  CHECK(same_bytes(shuffled, in_order.index_select(0, permutation)));

  // A batch of one sample sees what that sample saw in the larger batch.
  CHECK(same_bytes(augment_batch(images.slice(0, 7, 8), padding, indices.slice(0, 7, 8), 5, 2),
                   in_order.slice(0, 7, 8)));

  // Views do change with the seed, the epoch and the index, and most of them are not the image.
  CHECK_FALSE(same_bytes(augment_batch(images, padding, indices, 6, 2), in_order));
  CHECK_FALSE(same_bytes(augment_batch(images, padding, indices, 5, 3), in_order));
  CHECK_FALSE(same_bytes(augment_batch(images, padding, indices + 1, 5, 2), in_order));
  int64_t unchanged = 0;
  for (int64_t n = 0; n < 20; ++n) unchanged += same_bytes(in_order[n], images[n]);
  CHECK(unchanged < 5);  // only the centre crop without a flip (1 in 18) gives the image back
}

Dataset small_image_set() {
  contract::DatasetConfig config;
  config.name = "synthetic";
  config.synthetic = {40, 8, 3, 2, 6};
  return load_dataset(config, c10::Device(c10::kCPU));
}

// One epoch of TrainBatches: the order the samples came in, and each sample's image, by index.
struct EpochSeen {
  at::Tensor order;
  at::Tensor images;
};

std::vector<EpochSeen> see_epochs(const Dataset& data, const contract::TrainConfig& config, int64_t epochs) {
  TrainBatches batches(data, config);
  std::vector<EpochSeen> seen;
  for (int64_t epoch = 1; epoch <= epochs; ++epoch) {
    batches.start_epoch(epoch);
    std::vector<at::Tensor> order;
    at::Tensor images = at::empty(data.train_x.sizes());
    Batch batch;
    while (batches.next(&batch)) {
      order.push_back(batch.indices);
      images.index_copy_(0, batch.indices, batch.x);
      CHECK(same_bytes(batch.y, data.train_y.index_select(0, batch.indices)));
    }
    seen.push_back({at::cat(order), images});
  }
  return seen;
}

contract::TrainConfig augmenting(int64_t shuffle, int64_t augment, int64_t dropout) {
  contract::TrainConfig config;
  config.batch_size = 16;
  config.augment = true;
  config.seeds[NoiseSource::kShuffle] = shuffle;
  config.seeds[NoiseSource::kAugment] = augment;
  config.seeds[NoiseSource::kDropout] = dropout;
  return config;
}

TEST_CASE("batches: the shuffle seed changes the order, never what a sample looks like") {
  const Dataset data = small_image_set();
  std::vector<EpochSeen> a = see_epochs(data, augmenting(1, 7, 0), 2);
  std::vector<EpochSeen> b = see_epochs(data, augmenting(2, 7, 0), 2);
  for (int epoch = 0; epoch < 2; ++epoch) {
    CHECK_FALSE(same_bytes(a[epoch].order, b[epoch].order));
    CHECK(same_bytes(a[epoch].images, b[epoch].images));
  }
  CHECK_FALSE(same_bytes(a[0].images, a[1].images));  // a new view every epoch
}

TEST_CASE("batches: the augment seed changes what samples look like, never the order") {
  const Dataset data = small_image_set();
  std::vector<EpochSeen> a = see_epochs(data, augmenting(1, 7, 0), 2);
  std::vector<EpochSeen> b = see_epochs(data, augmenting(1, 8, 0), 2);
  for (int epoch = 0; epoch < 2; ++epoch) {
    CHECK(same_bytes(a[epoch].order, b[epoch].order));
    CHECK_FALSE(same_bytes(a[epoch].images, b[epoch].images));
  }
}

TEST_CASE("batches: the dropout seed changes neither order nor augmentation") {
  const Dataset data = small_image_set();
  std::vector<EpochSeen> a = see_epochs(data, augmenting(1, 7, 0), 2);
  std::vector<EpochSeen> b = see_epochs(data, augmenting(1, 7, 9), 2);
  for (int epoch = 0; epoch < 2; ++epoch) {
    CHECK(same_bytes(a[epoch].order, b[epoch].order));
    CHECK(same_bytes(a[epoch].images, b[epoch].images));
  }
}

TEST_CASE("batches: without augmentation a batch holds the samples as they are") {
  const Dataset data = small_image_set();
  contract::TrainConfig config = augmenting(1, 7, 0);
  config.augment = false;
  std::vector<EpochSeen> seen = see_epochs(data, config, 1);
  CHECK(same_bytes(seen[0].images, data.train_x));
  CHECK(same_bytes(std::get<0>(seen[0].order.sort()), at::arange(40, at::kLong)));  // each sample once
}

TEST_CASE("batches: the ranks' parts make up each batch, augmented as with one process") {
  // 40 samples in batches of 16, 16 and 8; 3 ranks get 5, 5, 6 of a batch of 16 (none empty).
  const Dataset data = small_image_set();
  const contract::TrainConfig config = augmenting(1, 7, 0);
  TrainBatches one(data, config);
  std::vector<TrainBatches> ranks;
  for (int64_t r = 0; r < 3; ++r) ranks.emplace_back(data, config, r, 3);
  for (int64_t epoch = 1; epoch <= 2; ++epoch) {
    one.start_epoch(epoch);
    for (auto& rank : ranks) rank.start_epoch(epoch);
    for (Batch whole; one.next(&whole);) {
      std::vector<at::Tensor> indices, images;
      for (auto& rank : ranks) {
        Batch part;
        REQUIRE(rank.next(&part));
        CHECK(part.global_size == whole.global_size);
        CHECK(part.indices.size(0) >= whole.global_size / 3);
        indices.push_back(part.indices);
        images.push_back(part.x);
      }
      CHECK(whole.global_size == whole.indices.size(0));
      CHECK(same_bytes(at::cat(indices), whole.indices));
      CHECK(same_bytes(at::cat(images), whole.x));
    }
    for (auto& rank : ranks) {
      Batch none;
      CHECK_FALSE(rank.next(&none));
    }
  }
}

}  // namespace
}  // namespace rs::train
