#include "catch_torch.h"  // first: see there

#include <hdf5.h>

#include <vector>

#include "runfile/hdf5_handle.h"
#include "train/dataset.h"
#include "train/hdf5_data.h"
#include "train/tensors.h"
#include "train_test_util.h"
#include "util/error.h"

namespace rs::train {
namespace {

using runfile::Hdf5Dataset;
using runfile::Hdf5Dataspace;
using runfile::Hdf5File;
using testing::TempDir;

// Writes `values` as dataset `name` (e.g. "train/images", parent groups made as needed) of
// HDF5 type `type`, which is also their type in memory.
template <class T>
void write(hid_t file, const std::string& name, hid_t type, const std::vector<hsize_t>& dims,
           const std::vector<T>& values) {
  Hdf5Dataspace space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  hid_t link_options = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(link_options, 1);
  Hdf5Dataset dataset(
      H5Dcreate2(file, name.c_str(), type, space.get(), link_options, H5P_DEFAULT, H5P_DEFAULT));
  H5Pclose(link_options);
  REQUIRE(dataset.valid());
  REQUIRE(H5Dwrite(dataset.get(), type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
}

// n images 2 x 3 x 4, pixel j of image i = (i + j) % 256, labels i % 3, groups i % 2.
void write_part(hid_t file, const std::string& part, hsize_t n, bool groups) {
  std::vector<uint8_t> pixels(n * 24);
  for (size_t k = 0; k < pixels.size(); ++k) pixels[k] = static_cast<uint8_t>((k / 24 + k % 24) % 256);
  std::vector<int64_t> labels(n), group(n);
  for (size_t i = 0; i < n; ++i) {
    labels[i] = static_cast<int64_t>(i % 3);
    group[i] = static_cast<int64_t>(i % 2);
  }
  write(file, part + "/images", H5T_NATIVE_UINT8, {n, 2, 3, 4}, pixels);
  write(file, part + "/labels", H5T_NATIVE_INT64, {n}, labels);
  if (groups) write(file, part + "/groups", H5T_NATIVE_INT64, {n}, group);
}

std::string write_file(const TempDir& dir, bool test_groups) {
  const std::string path = dir.path() + "/data.h5";
  Hdf5File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  write_part(file.get(), "train", 12, false);
  write_part(file.get(), "test", 5, test_groups);
  return path;
}

TEST_CASE("hdf5: train and test images, labels and test groups load") {
  TempDir dir;
  const std::string path = write_file(dir, true);
  TrainTest raw = read_hdf5_data(path);
  CHECK(raw.train.shape == std::vector<int64_t>{2, 3, 4});
  REQUIRE(raw.train.size() == 12);
  REQUIRE(raw.test.size() == 5);
  CHECK(raw.train.n_classes == 3);
  CHECK(raw.train.x[7 * 24 + 5] == 12);
  CHECK(raw.test.y == std::vector<int64_t>{0, 1, 2, 0, 1});
  CHECK(raw.test.groups == std::vector<int64_t>{0, 1, 0, 1, 0});
  CHECK(raw.train.groups.empty());

  contract::DatasetConfig config;
  config.name = "hdf5";
  config.path = path;
  Dataset data = load_dataset(config, c10::Device(c10::kCPU));
  CHECK(data.train_x.sizes() == at::IntArrayRef({12, 2, 3, 4}));
  CHECK(data.n_classes == 3);
  CHECK(data.test_groups == std::vector<int64_t>{0, 1, 0, 1, 0});
}

TEST_CASE("hdf5: a file of another layout is an input error naming the file and the dataset") {
  TempDir dir;
  const std::string path = dir.path() + "/data.h5";
  auto error_of = [&](auto edit) {
    {
      Hdf5File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
      edit(file.get());
    }
    try {
      read_hdf5_data(path);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };

  CHECK(error_of([](hid_t file) { write_part(file, "train", 4, false); }) ==
        path + ": no dataset test/images (expected uint8 [N, C, H, W])");
  CHECK(error_of([](hid_t file) {
          write_part(file, "train", 4, false);
          write(file, "test/images", H5T_NATIVE_FLOAT, {1, 2, 3, 4}, std::vector<float>(24));
        }) == path + ": test/images is not uint8 [N, C, H, W]");
  CHECK(error_of([](hid_t file) {
          write_part(file, "train", 4, false);
          write(file, "test/images", H5T_NATIVE_UINT8, {2, 24}, std::vector<uint8_t>(48));
        }) == path + ": test/images is not uint8 [N, C, H, W]");
  CHECK(error_of([](hid_t file) {
          write_part(file, "train", 4, false);
          write(file, "test/images", H5T_NATIVE_UINT8, {2, 2, 3, 4}, std::vector<uint8_t>(48));
          write(file, "test/labels", H5T_NATIVE_INT64, {3}, std::vector<int64_t>{0, 1, 2});
        }) == path + ": test/labels has 3 entries, test/images 2");
  CHECK(error_of([](hid_t file) {
          write_part(file, "train", 4, false);
          write(file, "test/images", H5T_NATIVE_UINT8, {1, 2, 3, 4}, std::vector<uint8_t>(24));
          write(file, "test/labels", H5T_NATIVE_INT64, {1}, std::vector<int64_t>{-1});
        }) == path + ": test/labels[0] is -1; expected >= 0");
  CHECK(error_of([](hid_t file) {
          write_part(file, "train", 4, false);
          write(file, "test/images", H5T_NATIVE_UINT8, {1, 1, 3, 4}, std::vector<uint8_t>(12));
          write(file, "test/labels", H5T_NATIVE_INT32, {1}, std::vector<int32_t>{0});
        }) == path + ": test/images are 1x3x4, train/images 2x3x4 (C x H x W)");
  CHECK(error_of([](hid_t file) {
          write_part(file, "train", 4, false);
          write(file, "test/images", H5T_NATIVE_UINT8, {1, 2, 3, 4}, std::vector<uint8_t>(24));
          write(file, "test/labels", H5T_NATIVE_INT64, {1}, std::vector<int64_t>{int64_t{1} << 56});
        }) == path + ": test/labels[0] is 72057594037927936; expected <= 999999");
  CHECK(error_of([](hid_t file) {
          // A shape of 2^36 images with no storage written yet: what a changed byte in a
          // dataspace claims, in a file of a few KB.
          write_part(file, "train", 4, false);
          const hsize_t dims[4] = {hsize_t{1} << 36, 2, 3, 4};
          Hdf5Dataspace space(H5Screate_simple(4, dims, nullptr));
          runfile::Hdf5Group test(H5Gcreate2(file, "test", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
          Hdf5Dataset images(H5Dcreate2(test.get(), "images", H5T_NATIVE_UINT8, space.get(), H5P_DEFAULT,
                                        H5P_DEFAULT, H5P_DEFAULT));
          REQUIRE(images.valid());
        }) == path + ": test/images claims more values than the file holds");
  CHECK_THROWS_WITH(read_hdf5_data(dir.path() + "/none.h5"),
                    Catch::StartsWith(dir.path() + "/none.h5: cannot open"));
}

}  // namespace
}  // namespace rs::train
