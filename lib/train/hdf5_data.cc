#include "train/hdf5_data.h"

#include <hdf5.h>

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "runfile/hdf5_handle.h"
#include "runfile/hdf5_io.h"
#include "util/error.h"

namespace rs::train {
namespace {

using runfile::Hdf5Dataset;
using runfile::Hdf5Dataspace;
using runfile::Hdf5Datatype;
using runfile::Hdf5File;

class Hdf5Reader {
 public:
  explicit Hdf5Reader(const std::string& path)
      : path_(path), file_(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {
    if (!file_.valid())
      throw InputError(fmt::format("{}: cannot open as HDF5: {}", path, runfile::hdf5_error_message()));
  }

  bool has(const std::string& name) const {
    return H5Lexists(file_.get(), name.c_str(), H5P_DEFAULT) > 0;
  }

  // Dataset `name` whole, after checking that it has `rank` dimensions and integer elements:
  // uint8 ones for T = uint8_t (images), of any integer type for T = int64_t (HDF5 converts).
  // Returns its shape.
  template <class T>
  std::vector<int64_t> read(const std::string& name, int rank, std::vector<T>* values) const {
    constexpr bool images = std::is_same_v<T, uint8_t>;
    const std::string expected = images ? "uint8 [N, C, H, W]" : "integers [N]";
    if (!has(name)) fail(fmt::format("no dataset {} (expected {})", name, expected));
    Hdf5Dataset dataset(H5Dopen2(file_.get(), name.c_str(), H5P_DEFAULT));
    Hdf5Dataspace space(H5Dget_space(dataset.get()));
    Hdf5Datatype type(H5Dget_type(dataset.get()));
    if (!dataset.valid() || !space.valid() || !type.valid()) fail(fmt::format("cannot open {}", name));
    bool type_ok = H5Tget_class(type.get()) == H5T_INTEGER;
    if (images)
      type_ok = type_ok && H5Tget_size(type.get()) == 1 && H5Tget_sign(type.get()) == H5T_SGN_NONE;
    if (H5Sget_simple_extent_ndims(space.get()) != rank || !type_ok)
      fail(fmt::format("{} is not {}", name, expected));
    if (!runfile::fits_file(dataset.get()))  // a changed byte in its shape: before allocating
      fail(fmt::format("{} claims more values than the file holds", name));
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    values->resize(static_cast<size_t>(H5Sget_simple_extent_npoints(space.get())));
    const hid_t memory_type = images ? H5T_NATIVE_UINT8 : H5T_NATIVE_INT64;
    if (H5Dread(dataset.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values->data()) < 0)
      fail(fmt::format("cannot read {}: {}", name, runfile::hdf5_error_message()));
    return std::vector<int64_t>(dims.begin(), dims.end());
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(fmt::format("{}: {}", path_, what));
  }

 private:
  std::string path_;
  Hdf5File file_;
};

// More classes than any data set has: a label this large is a changed byte, and would make the
// model's last layer that wide.
constexpr int64_t kMaxClasses = 1'000'000;

// A per-sample integer dataset `part/name`: one entry per sample, none negative, none above
// `most`.
std::vector<int64_t> read_per_sample(const Hdf5Reader& reader, const std::string& part, const char* name,
                                     int64_t n, int64_t most = INT64_MAX) {
  std::vector<int64_t> values;
  const std::string dataset = part + "/" + name;
  reader.read(dataset, 1, &values);
  if (static_cast<int64_t>(values.size()) != n)
    reader.fail(fmt::format("{} has {} entries, {}/images {}", dataset, values.size(), part, n));
  auto negative = std::find_if(values.begin(), values.end(), [](int64_t v) { return v < 0; });
  if (negative != values.end())
    reader.fail(fmt::format("{}[{}] is {}; expected >= 0", dataset, negative - values.begin(), *negative));
  auto too_large = std::find_if(values.begin(), values.end(), [most](int64_t v) { return v > most; });
  if (too_large != values.end())
    reader.fail(fmt::format("{}[{}] is {}; expected <= {}", dataset, too_large - values.begin(), *too_large, most));
  return values;
}

Samples read_part(const Hdf5Reader& reader, const std::string& part) {
  std::vector<uint8_t> pixels;
  std::vector<int64_t> shape = reader.read(part + "/images", 4, &pixels);
  Samples samples;
  samples.shape = {shape[1], shape[2], shape[3]};
  samples.x.assign(pixels.begin(), pixels.end());
  samples.y = read_per_sample(reader, part, "labels", shape[0], kMaxClasses - 1);
  if (reader.has(part + "/groups")) samples.groups = read_per_sample(reader, part, "groups", shape[0]);
  if (!samples.y.empty()) samples.n_classes = 1 + *std::max_element(samples.y.begin(), samples.y.end());
  return samples;
}

}  // namespace

TrainTest read_hdf5_data(const std::string& path) {
  runfile::silence_hdf5_errors();
  Hdf5Reader reader(path);
  TrainTest split;
  split.train = read_part(reader, "train");
  split.test = read_part(reader, "test");
  if (split.train.shape != split.test.shape)
    reader.fail(fmt::format("test/images are {}, train/images {} (C x H x W)",
                            fmt::join(split.test.shape, "x"), fmt::join(split.train.shape, "x")));
  split.train.n_classes = split.test.n_classes = std::max(split.train.n_classes, split.test.n_classes);
  return split;
}

}  // namespace rs::train
