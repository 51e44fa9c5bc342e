#include "train/dataset.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <ATen/ops/empty.h>
#include <fmt/format.h>

#include "train/data_files.h"
#include "train/hdf5_data.h"
#include "train/synthetic_data.h"
#include "util/error.h"

namespace rs::train {
namespace {

// `path` when it names a file, `path/file_name` when it names a folder, the default folder's
// file when it is empty.
std::string sklearn_file(const std::string& path, const std::string& file_name) {
  if (path.empty()) return sklearn_data_dir() + "/" + file_name;
  if (std::filesystem::is_directory(path)) return path + "/" + file_name;
  return path;
}

// Sample i goes to test iff i % k == 0; both parts keep file order.
TrainTest split_every_kth(const Samples& all, int64_t k) {
  TrainTest split;
  for (Samples* part : {&split.train, &split.test}) {
    part->shape = all.shape;
    part->n_classes = all.n_classes;
  }
  const int64_t size = all.sample_size();
  for (int64_t i = 0; i < all.size(); ++i) {
    Samples& part = i % k == 0 ? split.test : split.train;
    part.x.insert(part.x.end(), all.x.begin() + i * size, all.x.begin() + (i + 1) * size);
    part.y.push_back(all.y[i]);
  }
  return split;
}

// Standardises every channel ({C, H, W}: the H*W values of a channel form one group) or
// feature ({F}: groups of one value) of both parts with the training part's statistics.
// Returns what a raw 0 becomes in each group.
std::vector<float> standardise(Samples& train, Samples& test) {
  const int64_t groups = train.shape[0];
  const int64_t sample_size = train.sample_size();
  const int64_t group_size = sample_size / groups;
  const double count = static_cast<double>(train.size() * group_size);

  auto group_of = [&](int64_t element) { return (element % sample_size) / group_size; };

  std::vector<double> mean(groups, 0.0), var(groups, 0.0);
  for (size_t e = 0; e < train.x.size(); ++e) mean[group_of(e)] += train.x[e];
  for (double& m : mean) m /= count;
  for (size_t e = 0; e < train.x.size(); ++e) {
    double d = train.x[e] - mean[group_of(e)];
    var[group_of(e)] += d * d;
  }
  std::vector<double> std_dev(groups);
  for (int64_t g = 0; g < groups; ++g) {
    std_dev[g] = std::sqrt(var[g] / count);
    if (std_dev[g] == 0.0) std_dev[g] = 1.0;  // a constant feature becomes 0, not NaN
  }
  for (Samples* part : {&train, &test}) {
    for (size_t e = 0; e < part->x.size(); ++e)
      part->x[e] = static_cast<float>((part->x[e] - mean[group_of(e)]) / std_dev[group_of(e)]);
  }
  std::vector<float> raw_zero(groups);
  for (int64_t g = 0; g < groups; ++g) raw_zero[g] = static_cast<float>((0.0 - mean[g]) / std_dev[g]);
  return raw_zero;
}

at::Tensor to_tensor(const std::vector<float>& values, std::vector<int64_t> shape,
                     const c10::Device& device) {
  at::Tensor t = at::empty(shape, at::kFloat);
  std::memcpy(t.data_ptr<float>(), values.data(), values.size() * sizeof(float));
  return t.to(device);
}

at::Tensor to_tensor(const std::vector<int64_t>& values, const c10::Device& device) {
  at::Tensor t = at::empty({static_cast<int64_t>(values.size())}, at::kLong);
  std::memcpy(t.data_ptr<int64_t>(), values.data(), values.size() * sizeof(int64_t));
  return t.to(device);
}

// Keeps the first n samples of `part` (all of them when it has fewer, or n is 0).
void keep_first(Samples& part, int64_t n) {
  if (n <= 0 || n >= part.size()) return;
  part.x.resize(static_cast<size_t>(n * part.sample_size()));
  part.y.resize(static_cast<size_t>(n));
  if (!part.groups.empty()) part.groups.resize(static_cast<size_t>(n));
}

TrainTest read_split(const contract::DatasetConfig& config) {
  if (config.name == "cifar10") return read_cifar10(config.path);
  if (config.name == "cifar100") return read_cifar100(config.path);
  if (config.name == "hdf5") return read_hdf5_data(config.path);
  if (config.name == "synthetic") return make_synthetic_data(config.synthetic);
  Samples all = config.name == "digits"
                    ? read_digits(sklearn_file(config.path, "digits.csv.gz"))
                    : read_breast_cancer(sklearn_file(config.path, "breast_cancer.csv"));
  return split_every_kth(all, std::lround(1.0 / config.test_fraction));  // >= 2: parse_train_config()
}

}  // namespace

std::string sklearn_data_dir() {
  const char* dir = std::getenv("REPROSWEEP_SKLEARN_DATA");
  if (dir != nullptr && dir[0] != '\0') return dir;
  return "/usr/lib/python3/dist-packages/sklearn/datasets/data";
}

Dataset load_dataset(const contract::DatasetConfig& config, const c10::Device& device) {
  TrainTest split = read_split(config);
  keep_first(split.train, config.max_train);
  keep_first(split.test, config.max_test);
  if (split.train.size() == 0 || split.test.size() == 0)
    throw InputError(fmt::format("dataset {}: {} training and {} test samples; need both", config.name,
                                 split.train.size(), split.test.size()));
  const std::vector<float> raw_zero = standardise(split.train, split.test);

  Dataset data;
  data.sample_shape = split.train.shape;
  data.n_classes = split.train.n_classes;
  auto batch_shape = [&](int64_t n) {
    std::vector<int64_t> shape = {n};
    shape.insert(shape.end(), data.sample_shape.begin(), data.sample_shape.end());
    return shape;
  };
  data.train_x = to_tensor(split.train.x, batch_shape(split.train.size()), device);
  data.test_x = to_tensor(split.test.x, batch_shape(split.test.size()), device);
  data.train_y = to_tensor(split.train.y, device);
  data.test_y = to_tensor(split.test.y, device);
  data.raw_zero = to_tensor(raw_zero, {data.sample_shape[0]}, device);
  data.test_groups = std::move(split.test.groups);
  return data;
}

}  // namespace rs::train
