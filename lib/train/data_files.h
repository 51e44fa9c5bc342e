// Readers for the data set files the trainer knows, into plain arrays (no LibTorch here).
//
//   digits         sklearn's digits.csv.gz: gzip CSV, one sample per line: 64 pixel values
//                  (0..16, row-major 8x8) and the label 0..9. A sample is a 1x8x8 image.
//   breast_cancer  sklearn's breast_cancer.csv: a header "569,30,malignant,benign" (samples,
//                  features, class names), then one sample per line: 30 features and the label
//                  (0 = malignant, 1 = benign). A sample is a row of 30 features.
//   cifar10        CIFAR-10's binary version: each file is a sequence of 3073-byte records,
//                  1 label byte (0..9) then 3072 pixel bytes, 3x32x32 channel-major (all red,
//                  then green, then blue; rows top to bottom).
//   cifar100       CIFAR-100's binary version: 3074-byte records, 2 label bytes (the coarse
//                  class 0..19, then the fine class 0..99, the label used) and the same pixels.
//
// Pixel values are kept as they are in the file (0..16, 0..255); dataset.h standardises them.
// Every reader throws rs::InputError naming the file (and line or record) on malformed input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rs::train {

// n samples of one shape; sample i is x[i * sample_size() .. (i + 1) * sample_size()).
struct Samples {
  std::vector<int64_t> shape;  // of one sample: {C, H, W} for images, {F} for tables
  std::vector<float> x;
  std::vector<int64_t> y;       // labels 0 .. n_classes - 1
  std::vector<int64_t> groups;  // each sample's sub-group, or empty when the data has none
  int64_t n_classes = 0;

  int64_t size() const { return static_cast<int64_t>(y.size()); }
  int64_t sample_size() const;
};

Samples read_digits(const std::string& path);         // digits.csv.gz
Samples read_breast_cancer(const std::string& path);  // breast_cancer.csv

// One CIFAR-10 binary file (data_batch_<i>.bin or test_batch.bin) or CIFAR-100 binary file
// (train.bin or test.bin); any number of records. A file that is not a whole number of records
// (truncated, or of the other layout) or holds a label out of range is an error that names
// the file and, for a label, the record.
Samples read_cifar10_file(const std::string& path);
Samples read_cifar100_file(const std::string& path);

struct TrainTest {
  Samples train, test;
};

// The official splits from `folder`. CIFAR-10: data_batch_1.bin .. data_batch_5.bin in that
// order as training data, test_batch.bin as test data. CIFAR-100: train.bin and test.bin.
TrainTest read_cifar10(const std::string& folder);
TrainTest read_cifar100(const std::string& folder);

}  // namespace rs::train
