// Data sets stored as tensors in an HDF5 file (dataset `hdf5`), e.g. written by
// env/convert_to_hdf5.py. The file holds two groups, `train` and `test`, each with
//
//   images  uint8 [N, C, H, W]  pixels 0..255, channel-major
//   labels  integer [N]         classes 0 .. n_classes - 1 (int64; any integer type is read),
//                               below 1,000,000
//   groups  integer [N]         optional: each sample's sub-group (e.g. for worst-group
//                               accuracy); the test part's become the run file's /eval/groups
//
// Both parts must have the same C, H and W. n_classes is 1 + the largest label of either part.
// Separate groups rather than a split rule, so the file keeps whatever split its source had.
#pragma once

#include <string>

#include "train/data_files.h"

namespace rs::train {

// Throws rs::InputError naming the file and the dataset when the layout is not as above.
TrainTest read_hdf5_data(const std::string& path);

}  // namespace rs::train
