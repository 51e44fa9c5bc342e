#include "catch_torch.h"  // first: see there

#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <ATen/ops/equal.h>
#include <fmt/format.h>

#include "train/data_files.h"
#include "train/dataset.h"
#include "train/tensors.h"
#include "train_test_util.h"
#include "util/error.h"

namespace rs::train {
namespace {

using testing::TempDir;

const c10::Device kCpu(c10::kCPU);

contract::DatasetConfig dataset(const std::string& name, const std::string& path = "",
                      double test_fraction = 0.2) {
  contract::DatasetConfig config;
  config.name = name;
  config.path = path;
  config.test_fraction = test_fraction;
  return config;
}

// Population mean and standard deviation of every channel (dim 1) of [N, C, ...] or feature of [N, F].
std::pair<at::Tensor, at::Tensor> per_group_stats(const at::Tensor& x) {
  at::Tensor groups = x.transpose(0, 1).reshape({x.size(1), -1}).to(at::kDouble);
  return {groups.mean(1), groups.std(1, /*unbiased=*/false)};
}

void check_standardised(const at::Tensor& x) {
  auto [mean, std_dev] = per_group_stats(x);
  CHECK(mean.abs().max().item<double>() < 1e-5);
  CHECK(std_dev.sub(1).abs().max().item<double>() < 1e-4);
}

TEST_CASE("digits: every 5th sample is test data, 1437 train / 360 test") {
  Dataset data = load_dataset(dataset("digits"), kCpu);
  CHECK(data.sample_shape == std::vector<int64_t>{1, 8, 8});
  CHECK(data.n_classes == 10);
  CHECK(data.train_x.sizes() == at::IntArrayRef({1437, 1, 8, 8}));
  CHECK(data.test_x.sizes() == at::IntArrayRef({360, 1, 8, 8}));

  Samples all = read_digits(sklearn_data_dir() + "/digits.csv.gz");
  REQUIRE(all.size() == 1797);
  std::vector<int64_t> train_labels, test_labels;
  for (int64_t i = 0; i < all.size(); ++i) (i % 5 == 0 ? test_labels : train_labels).push_back(all.y[i]);
  CHECK(to_int64s(data.test_y) == test_labels);
  CHECK(to_int64s(data.train_y) == train_labels);
}

TEST_CASE("n_train and n_test keep the first samples of each part, standardised on what is kept") {
  const Dataset all = load_dataset(dataset("digits"), kCpu);
  contract::DatasetConfig config = dataset("digits");
  config.max_train = 100;
  config.max_test = 5000;  // more than the 360 there are: all of them
  const Dataset first = load_dataset(config, kCpu);
  CHECK(first.train_x.size(0) == 100);
  CHECK(first.test_x.size(0) == 360);
  CHECK(at::equal(first.train_y, all.train_y.slice(0, 0, 100)));
  CHECK(at::equal(first.test_y, all.test_y));
  check_standardised(first.train_x);
}

TEST_CASE("digits: standardised per channel with the training split's statistics") {
  Dataset data = load_dataset(dataset("digits"), kCpu);
  check_standardised(data.train_x);

  // The test split uses the same transform: undoing it with the training statistics of the
  // raw pixels gives back the raw test pixels.
  Samples all = read_digits(sklearn_data_dir() + "/digits.csv.gz");
  double sum = 0, sum_sq = 0, count = 0;
  for (int64_t i = 0; i < all.size(); ++i) {
    if (i % 5 == 0) continue;
    for (int64_t j = 0; j < 64; ++j) {
      double v = all.x[i * 64 + j];
      sum += v;
      sum_sq += v * v;
      count += 1;
    }
  }
  const double mean = sum / count, std_dev = std::sqrt(sum_sq / count - mean * mean);
  const float restored = static_cast<float>(data.test_x[1][0][3][4].item<double>() * std_dev + mean);
  CHECK(restored == Approx(all.x[5 * 64 + 3 * 8 + 4]).margin(1e-4));
  // Augmentation pads with a raw 0 (black), standardised the same way.
  CHECK(data.raw_zero.item<float>() == Approx(-mean / std_dev));
}

TEST_CASE("breast_cancer: 30 features, 2 classes, 455 train / 114 test, standardised per feature") {
  Dataset data = load_dataset(dataset("breast_cancer"), kCpu);
  CHECK(data.sample_shape == std::vector<int64_t>{30});
  CHECK_FALSE(data.is_image());
  CHECK(data.n_classes == 2);
  CHECK(data.train_x.size(0) == 455);
  CHECK(data.test_x.size(0) == 114);
  check_standardised(data.train_x);
}

TEST_CASE("test_fraction sets k = round(1 / test_fraction)") {
  CHECK(load_dataset(dataset("digits", "", 0.25), kCpu).test_x.size(0) == 450);  // k = 4
  CHECK(load_dataset(dataset("digits", "", 0.5), kCpu).test_x.size(0) == 899);   // k = 2
}

TEST_CASE("dataset.path may name the file or its folder") {
  TempDir dir;
  const std::string file = dir.path() + "/digits.csv.gz";
  gzFile out = gzopen(file.c_str(), "wb");
  for (int row = 0; row < 10; ++row) {
    std::string line;
    for (int j = 0; j < 64; ++j) line += std::to_string((row + j) % 17) + ",";
    line += std::to_string(row % 10) + "\n";
    gzputs(out, line.c_str());
  }
  gzclose(out);

  for (const std::string& path : {file, dir.path()}) {
    Dataset data = load_dataset(dataset("digits", path), kCpu);
    CHECK(data.train_x.size(0) == 8);
    CHECK(data.test_x.size(0) == 2);
    CHECK(data.test_y[1].item<int64_t>() == 5);
  }
}

TEST_CASE("malformed sklearn files are input errors naming the line") {
  TempDir dir;
  const std::string file = dir.path() + "/breast_cancer.csv";
  std::ofstream(file) << "2,2,a,b\n1.0,2.0,0\n1.0,x,1\n";
  REQUIRE_THROWS_WITH(read_breast_cancer(file), Catch::Contains("breast_cancer.csv:3"));
  std::ofstream(file) << "2,2,a,b\n1.0,2.0,0\n1.0,2.0,2\n";
  CHECK_THROWS_WITH(read_breast_cancer(file), Catch::Contains("label 2"));
  std::ofstream(file) << "3,2,a,b\n1.0,2.0,0\n1.0,2.0,1\n";
  CHECK_THROWS_WITH(read_breast_cancer(file), Catch::Contains("header says 3 samples"));
  CHECK_THROWS_AS(read_digits(dir.path() + "/missing.csv.gz"), InputError);
}

// CIFAR-10's binary layout: per record one label byte, then 3072 pixel bytes, channel-major.
// Record r of file f has label (f + r) % 10 and pixel j = (7 * f + 3 * r + j) % 256.
unsigned char pixel(int file, int record, int j) {
  return static_cast<unsigned char>((7 * file + 3 * record + j) % 256);
}

void write_cifar_file(const std::string& path, int file, int records) {
  std::ofstream out(path, std::ios::binary);
  for (int r = 0; r < records; ++r) {
    out.put(static_cast<char>((file + r) % 10));
    for (int j = 0; j < 3072; ++j) out.put(static_cast<char>(pixel(file, r, j)));
  }
}

TEST_CASE("cifar10: binary batch files load with their labels and pixels") {
  TempDir dir;
  for (int f = 1; f <= 5; ++f)
    write_cifar_file(fmt::format("{}/data_batch_{}.bin", dir.path(), f), f, 2);
  write_cifar_file(dir.path() + "/test_batch.bin", 0, 3);

  TrainTest raw = read_cifar10(dir.path());
  REQUIRE(raw.train.size() == 10);
  REQUIRE(raw.test.size() == 3);
  CHECK(raw.train.shape == std::vector<int64_t>{3, 32, 32});
  for (int f = 1; f <= 5; ++f) {
    for (int r = 0; r < 2; ++r) {
      const int64_t i = (f - 1) * 2 + r;
      CHECK(raw.train.y[i] == (f + r) % 10);
      for (int j : {0, 1, 1023, 1024, 2048, 3071}) CHECK(raw.train.x[i * 3072 + j] == pixel(f, r, j));
    }
  }
  CHECK(raw.test.y == std::vector<int64_t>{0, 1, 2});
  CHECK(raw.test.x[2 * 3072 + 5] == pixel(0, 2, 5));

  contract::DatasetConfig config = dataset("cifar10", dir.path());
  Dataset data = load_dataset(config, kCpu);
  CHECK(data.train_x.sizes() == at::IntArrayRef({10, 3, 32, 32}));
  CHECK(data.test_x.sizes() == at::IntArrayRef({3, 3, 32, 32}));
  CHECK(data.train_y[9].item<int64_t>() == (5 + 1) % 10);
  check_standardised(data.train_x);
}

TEST_CASE("cifar10: a truncated file or a missing file is an input error naming it") {
  TempDir dir;
  const std::string file = dir.path() + "/test_batch.bin";
  write_cifar_file(file, 0, 1);
  std::ofstream(file, std::ios::app) << "x";
  CHECK_THROWS_WITH(read_cifar10_file(file),
                    Catch::Contains(file) && Catch::Contains("3074 bytes is not a whole number of 3073-byte "
                                                             "CIFAR-10 records") &&
                        Catch::Contains("truncated"));
  CHECK_THROWS_WITH(read_cifar10(dir.path()), Catch::Contains("data_batch_1.bin"));
}

// CIFAR-100's layout: a coarse label byte, a fine label byte, then 3072 pixel bytes. Record r of
// file f has coarse label r % 20, fine label (f + 3 * r) % 100 and pixel j = (f + r + j) % 256.
void write_cifar100_file(const std::string& path, int file, int records) {
  std::ofstream out(path, std::ios::binary);
  for (int r = 0; r < records; ++r) {
    out.put(static_cast<char>(r % 20));
    out.put(static_cast<char>((file + 3 * r) % 100));
    for (int j = 0; j < 3072; ++j) out.put(static_cast<char>((file + r + j) % 256));
  }
}

TEST_CASE("cifar100: train.bin and test.bin load with their fine labels") {
  TempDir dir;
  write_cifar100_file(dir.path() + "/train.bin", 1, 40);
  write_cifar100_file(dir.path() + "/test.bin", 2, 3);
  TrainTest raw = read_cifar100(dir.path());
  REQUIRE(raw.train.size() == 40);
  REQUIRE(raw.test.size() == 3);
  CHECK(raw.train.n_classes == 100);
  CHECK(raw.train.y[33] == (1 + 3 * 33) % 100);
  CHECK(raw.train.x[33 * 3072 + 1000] == (1 + 33 + 1000) % 256);
  CHECK(raw.test.y == std::vector<int64_t>{2, 5, 8});

  Dataset data = load_dataset(dataset("cifar100", dir.path()), kCpu);
  CHECK(data.n_classes == 100);
  CHECK(data.train_x.sizes() == at::IntArrayRef({40, 3, 32, 32}));
  check_standardised(data.train_x);
}

TEST_CASE("cifar100: a truncated file or another layout is an input error naming the file") {
  TempDir dir;
  const std::string file = dir.path() + "/train.bin";
  write_cifar100_file(file, 0, 2);
  std::filesystem::resize_file(file, 2 * 3074 - 100);
  CHECK_THROWS_WITH(read_cifar100_file(file),
                    Catch::Contains(file) && Catch::Contains("is not a whole number of 3074-byte CIFAR-100 "
                                                             "records (2 label bytes + 3072 pixels)"));

  // 3074 CIFAR-10 records are a whole number of CIFAR-100 records; their labels give them away.
  write_cifar_file(file, 0, 3074);
  CHECK_THROWS_WITH(read_cifar100_file(file), Catch::Contains(file) && Catch::Contains(" label ") &&
                                                  Catch::Contains("not CIFAR-100's layout?"));
  CHECK_THROWS_WITH(read_cifar100(dir.path() + "/missing"), Catch::Contains("missing/train.bin"));
}

TEST_CASE("synthetic: random images of the configured shape, the same every time") {
  contract::DatasetConfig config = dataset("synthetic");
  config.synthetic = {30, 10, 4, 2, 5};
  Dataset data = load_dataset(config, kCpu);
  CHECK(data.sample_shape == std::vector<int64_t>{2, 5, 5});
  CHECK(data.n_classes == 4);
  CHECK(data.train_x.sizes() == at::IntArrayRef({30, 2, 5, 5}));
  CHECK(data.test_x.sizes() == at::IntArrayRef({10, 2, 5, 5}));
  CHECK(data.train_y.min().item<int64_t>() >= 0);
  CHECK(data.train_y.max().item<int64_t>() < 4);
  CHECK(data.train_y.ne(data.train_y[0]).any().item<bool>());
  check_standardised(data.train_x);

  Dataset again = load_dataset(config, kCpu);
  CHECK(at::equal(data.train_x, again.train_x));
  CHECK(at::equal(data.test_y, again.test_y));
  CHECK_FALSE(at::equal(data.train_x.slice(0, 0, 10), data.test_x));  // the parts differ
}

}  // namespace
}  // namespace rs::train
