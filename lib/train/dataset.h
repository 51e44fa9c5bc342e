// A data set ready for training: split into train and test, standardised, on the device.
//
// Split. The sklearn sets (digits, breast_cancer) have no official split, so a fixed one is
// used: sample i (0-based, in file order) is test data iff i % k == 0, with
// k = round(1 / test_fraction). The default test_fraction 0.2 makes every 5th sample test data:
// digits 1437 train / 360 test, breast_cancer 455 / 114. The other sets have their own split
// (CIFAR's files, the hdf5 file's train and test groups, synthetic's n_train and n_test) and
// ignore test_fraction. dataset.n_train and n_test keep only the first samples of each part.
//
// Standardisation. Each channel (images) or feature (tables) becomes
// (x - mean) / std with the mean and population standard deviation of the training split
// (std 0 counts as 1). They are computed in double precision on the CPU, so the data the model
// sees does not depend on the device or the number of threads. What a raw 0 (a black pixel)
// becomes is kept, for the padding of augmentation's crops (augment.h).
//
// Where the files are. dataset.path names the file or its folder; when it is empty, sklearn
// sets are read from sklearn_data_dir(). CIFAR-10 and CIFAR-100 need the folder of their
// binary files (cifar-10-batches-bin, cifar-100-binary), hdf5 the file (hdf5_data.h).
// synthetic has no files (synthetic_data.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include "contract/params.h"

namespace rs::train {

struct Dataset {
  at::Tensor train_x, test_x;         // float32 [n, C, H, W] (images) or [n, F] (tables)
  at::Tensor train_y, test_y;         // int64 [n]
  at::Tensor raw_zero;                // float32 [C] or [F]: a raw 0, standardised
  std::vector<int64_t> test_groups;   // [n_test] each test sample's sub-group, or empty
  std::vector<int64_t> sample_shape;  // {C, H, W} or {F}
  int64_t n_classes = 0;

  bool is_image() const { return sample_shape.size() == 3; }
};

// $REPROSWEEP_SKLEARN_DATA if set, else the folder of Debian's python3-sklearn data files.
std::string sklearn_data_dir();

// `config` is as parse_train_config() accepts it (so k >= 2). Throws rs::InputError when a file
// is missing or malformed, or a part holds no samples.
Dataset load_dataset(const contract::DatasetConfig& config, const c10::Device& device);

}  // namespace rs::train
