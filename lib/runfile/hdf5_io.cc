#include "runfile/hdf5_io.h"

#include <stdexcept>

#include <fmt/format.h>

#include "runfile/run_file.h"
#include "util/hash.h"
#include "util/text.h"

namespace rs::runfile {

namespace {

template <class T>
hid_t file_type();
template <>
hid_t file_type<float>() { return H5T_IEEE_F32LE; }
template <>
hid_t file_type<double>() { return H5T_IEEE_F64LE; }
template <>
hid_t file_type<int64_t>() { return H5T_STD_I64LE; }
template <>
hid_t file_type<uint64_t>() { return H5T_STD_U64LE; }

template <class T>
hid_t memory_type();
template <>
hid_t memory_type<float>() { return H5T_NATIVE_FLOAT; }
template <>
hid_t memory_type<double>() { return H5T_NATIVE_DOUBLE; }
template <>
hid_t memory_type<int64_t>() { return H5T_NATIVE_INT64; }
template <>
hid_t memory_type<uint64_t>() { return H5T_NATIVE_UINT64; }

// The string type h5py reads back as `str`, used both on disk and in memory.
Hdf5Datatype utf8_string_type() {
  Hdf5Datatype type(H5Tcopy(H5T_C_S1));
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

std::string child_path(hid_t parent, const char* name) {
  std::string path = object_path(parent);
  if (path.back() != '/') path += '/';
  return path + name;
}

std::string attr_description(hid_t object, const char* name) {
  return fmt::format("attribute {} on {}", printable(name), object_path(object));
}

// The fail_* functions take HDF5's reason before they name the object: naming it is an HDF5
// call too, and would clear the error stack.

[[noreturn]] void fail_write(hid_t parent, const char* name) {
  std::string reason = hdf5_error_message();
  throw std::runtime_error(fmt::format("cannot write {}: {}", child_path(parent, name), reason));
}

[[noreturn]] void fail_write_attr(hid_t object, const char* name) {
  std::string reason = hdf5_error_message();
  throw std::runtime_error(
      fmt::format("cannot write {}: {}", attr_description(object, name), reason));
}

[[noreturn]] void fail_read(hid_t parent, const char* name) {
  std::string reason = hdf5_error_message();
  if (H5Lexists(parent, name, H5P_DEFAULT) == 0) {
    throw RunFileError("missing " + child_path(parent, name));
  }
  throw RunFileError(fmt::format("cannot read {}: {}", child_path(parent, name), reason));
}

[[noreturn]] void fail_read_attr(hid_t object, const char* name) {
  std::string reason = hdf5_error_message();
  if (H5Aexists(object, name) == 0) throw RunFileError("missing " + attr_description(object, name));
  throw RunFileError(fmt::format("cannot read {}: {}", attr_description(object, name), reason));
}

void write_scalar_attr(hid_t object, const char* name, hid_t file_type, hid_t memory_type,
                       const void* value) {
  Hdf5Dataspace scalar(H5Screate(H5S_SCALAR));
  Hdf5Attribute attr(H5Acreate2(object, name, file_type, scalar.get(), H5P_DEFAULT, H5P_DEFAULT));
  if (!attr.valid() || H5Awrite(attr.get(), memory_type, value) < 0) {
    fail_write_attr(object, name);
  }
}

// Refuses attributes that hold more than one value: reading one would overrun `value`.
void read_scalar_attr(hid_t object, const char* name, hid_t memory_type, void* value) {
  Hdf5Attribute attr(H5Aopen(object, name, H5P_DEFAULT));
  if (!attr.valid()) fail_read_attr(object, name);
  Hdf5Dataspace space(H5Aget_space(attr.get()));
  if (H5Sget_simple_extent_npoints(space.get()) != 1) {
    throw RunFileError(attr_description(object, name) + " is not a single value");
  }
  if (H5Aread(attr.get(), memory_type, value) < 0) fail_read_attr(object, name);
}

// The digest of `count` values as kDigestAttr defines it: the bytes of the C++ values, which
// are the file's little-endian ones on the little-endian machines the tools run on.
template <class T>
uint64_t values_digest(const T* values, size_t count) {
  return xxh3_64(values, count * sizeof(T));
}

template <class T>
void write_dataset(hid_t parent, const char* name, const std::vector<hsize_t>& dims,
                   const T* values) {
  Hdf5Dataspace space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr));
  Hdf5Dataset dataset(H5Dcreate2(parent, name, file_type<T>(), space.get(), H5P_DEFAULT,
                                 H5P_DEFAULT, H5P_DEFAULT));
  if (!dataset.valid() ||
      H5Dwrite(dataset.get(), memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values) < 0) {
    fail_write(parent, name);
  }
  size_t count = 1;
  for (hsize_t d : dims) count *= d;
  write_attr(dataset.get(), kDigestAttr, values_digest(values, count));
}

// Refuses a dataset whose shape claims more values than its file holds bytes (a changed byte
// in its dataspace), before anything that size is allocated for it.
void check_fits_file(hid_t dataset) {
  if (!fits_file(dataset))
    throw RunFileError(fmt::format("{} claims more values than its file holds", object_path(dataset)));
}

template <class T>
void check_digest(hid_t dataset, const std::vector<T>& values, DigestCheck check) {
  std::optional<uint64_t> expected = dataset_digest(dataset);
  if (!expected) {
    if (check == DigestCheck::kRequired)
      throw RunFileError("corrupt: no digest on " + object_path(dataset));
    return;
  }
  if (values_digest(values.data(), values.size()) != *expected)
    throw RunFileError("corrupt: digest mismatch of " + object_path(dataset));
}

// Reads dataset `name` whole, after checking it has `rank` dimensions. Returns its shape.
template <class T>
std::vector<hsize_t> read_dataset(hid_t parent, const char* name, int rank,
                                  std::vector<T>* values, DigestCheck check) {
  Hdf5Dataset dataset(H5Dopen2(parent, name, H5P_DEFAULT));
  if (!dataset.valid()) fail_read(parent, name);
  Hdf5Dataspace space(H5Dget_space(dataset.get()));
  int actual_rank = H5Sget_simple_extent_ndims(space.get());
  if (actual_rank != rank) {
    throw RunFileError(
        fmt::format("{} is {}-D, expected {}-D", child_path(parent, name), actual_rank, rank));
  }
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  check_fits_file(dataset.get());
  hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail_read(parent, name);
  values->resize(static_cast<size_t>(count));
  if (H5Dread(dataset.get(), memory_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values->data()) < 0) {
    fail_read(parent, name);
  }
  check_digest(dataset.get(), *values, check);
  return dims;
}

}  // namespace

std::string object_path(hid_t object) {
  ssize_t length = H5Iget_name(object, nullptr, 0);
  if (length <= 0) return "?";
  std::vector<char> path(static_cast<size_t>(length) + 1);
  H5Iget_name(object, path.data(), path.size());
  return path.data();
}

bool fits_file(hid_t dataset) {
  hid_t file = H5Iget_file_id(dataset);
  hsize_t file_size = 0;
  const herr_t status = file < 0 ? -1 : H5Fget_filesize(file, &file_size);
  if (file >= 0) H5Fclose(file);
  Hdf5Datatype stored(H5Dget_type(dataset));
  Hdf5Dataspace space(H5Dget_space(dataset));
  const size_t element_size = stored.valid() ? H5Tget_size(stored.get()) : 0;
  const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (status < 0 || element_size == 0 || rank < 0 || rank > H5S_MAX_RANK) return false;
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  hsize_t values = 1;  // stays <= what the file holds, so the product cannot overflow
  const hsize_t most = file_size / element_size;
  for (hsize_t d : dims) {
    if (d == 0) return true;
    if (d > most || values > most / d) return false;
    values *= d;
  }
  return true;
}

void silence_hdf5_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::string hdf5_error_message() {
  std::string message;
  auto take_first = [](unsigned, const H5E_error2_t* error, void* out) -> herr_t {
    if (error->desc) *static_cast<std::string*>(out) = error->desc;
    return 1;  // stop: walking upward, the first entry is the innermost, most specific one
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, take_first, &message);
  return message.empty() ? "unknown HDF5 error" : message;
}

Hdf5Group create_group(hid_t parent, const char* name) {
  Hdf5Group group(H5Gcreate2(parent, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (!group.valid()) fail_write(parent, name);
  return group;
}

void write_attr(hid_t object, const char* name, const std::string& value) {
  Hdf5Datatype type = utf8_string_type();
  const char* text = value.c_str();
  write_scalar_attr(object, name, type.get(), type.get(), &text);
}

void write_attr(hid_t object, const char* name, int64_t value) {
  write_scalar_attr(object, name, file_type<int64_t>(), memory_type<int64_t>(), &value);
}

void write_attr(hid_t object, const char* name, double value) {
  write_scalar_attr(object, name, file_type<double>(), memory_type<double>(), &value);
}

void write_attr(hid_t object, const char* name, uint64_t value) {
  write_scalar_attr(object, name, file_type<uint64_t>(), memory_type<uint64_t>(), &value);
}

template <class T>
void write_vector(hid_t parent, const char* name, const std::vector<T>& values) {
  write_dataset(parent, name, {values.size()}, values.data());
}

template <class T>
void write_matrix(hid_t parent, const char* name, int64_t rows, int64_t cols,
                  const std::vector<T>& values) {
  if (rows < 0 || cols < 0 || values.size() != static_cast<size_t>(rows * cols)) {
    throw std::runtime_error(fmt::format("cannot write {}: {} values do not make {} x {}",
                                         child_path(parent, name), values.size(), rows, cols));
  }
  write_dataset(parent, name, {static_cast<hsize_t>(rows), static_cast<hsize_t>(cols)},
                values.data());
}

Hdf5Group open_group(hid_t parent, const char* name) {
  Hdf5Group group(H5Gopen2(parent, name, H5P_DEFAULT));
  if (!group.valid()) fail_read(parent, name);
  return group;
}

void read_attr(hid_t object, const char* name, std::string* value) {
  Hdf5Datatype type = utf8_string_type();
  char* text = nullptr;
  read_scalar_attr(object, name, type.get(), &text);
  value->assign(text ? text : "");
  H5free_memory(text);
  // The layout promises UTF-8; anything else is a changed byte, and would stop whatever prints
  // or serialises the text (JSON refuses malformed UTF-8).
  if (!is_valid_utf8(*value))
    throw RunFileError(attr_description(object, name) + " is not valid UTF-8");
}

void read_attr(hid_t object, const char* name, int64_t* value) {
  read_scalar_attr(object, name, memory_type<int64_t>(), value);
}

void read_attr(hid_t object, const char* name, double* value) {
  read_scalar_attr(object, name, memory_type<double>(), value);
}

void read_attr(hid_t object, const char* name, uint64_t* value) {
  read_scalar_attr(object, name, memory_type<uint64_t>(), value);
}

bool has_attr(hid_t object, const char* name) {
  htri_t exists = H5Aexists(object, name);
  if (exists < 0) throw RunFileError(fmt::format("cannot read {}: {}", attr_description(object, name),
                                                 hdf5_error_message()));
  return exists > 0;
}

std::vector<std::string> attr_names(hid_t object) {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->push_back(name);
    return 0;
  };
  if (H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names) < 0)
    throw RunFileError("cannot list attributes: " + hdf5_error_message());
  return names;
}

template <class T>
void read_vector(hid_t parent, const char* name, std::vector<T>* values, DigestCheck check) {
  read_dataset(parent, name, 1, values, check);
}

template <class T>
void read_matrix(hid_t parent, const char* name, int64_t* rows, int64_t* cols,
                 std::vector<T>* values, DigestCheck check) {
  std::vector<hsize_t> dims = read_dataset(parent, name, 2, values, check);
  *rows = static_cast<int64_t>(dims[0]);
  *cols = static_cast<int64_t>(dims[1]);
}

Hdf5Dataset open_vector(hid_t parent, const char* name, int64_t* length) {
  Hdf5Dataset dataset(H5Dopen2(parent, name, H5P_DEFAULT));
  if (!dataset.valid()) fail_read(parent, name);
  Hdf5Dataspace space(H5Dget_space(dataset.get()));
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank != 1) {
    throw RunFileError(fmt::format("{} is {}-D, expected 1-D", child_path(parent, name), rank));
  }
  check_fits_file(dataset.get());
  hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail_read(parent, name);
  *length = static_cast<int64_t>(count);
  return dataset;
}

std::optional<uint64_t> dataset_digest(hid_t dataset) {
  if (!has_attr(dataset, kDigestAttr)) return std::nullopt;
  uint64_t digest = 0;
  read_attr(dataset, kDigestAttr, &digest);
  return digest;
}

template <class T>
void read_block(hid_t dataset, int64_t offset, int64_t count, T* values) {
  if (offset < 0 || count < 1) {
    throw std::invalid_argument(
        fmt::format("read_block: no entries {}..{}", offset, offset + count));
  }
  hsize_t start = static_cast<hsize_t>(offset), size = static_cast<hsize_t>(count);
  Hdf5Dataspace file_space(H5Dget_space(dataset));
  Hdf5Dataspace memory_space(H5Screate_simple(1, &size, nullptr));
  if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &size, nullptr) < 0 ||
      H5Dread(dataset, memory_type<T>(), memory_space.get(), file_space.get(), H5P_DEFAULT,
              values) < 0) {
    std::string reason = hdf5_error_message();
    throw RunFileError(fmt::format("cannot read entries {}..{} of {}: {}", offset,
                                   offset + count, object_path(dataset), reason));
  }
}

template void write_vector(hid_t, const char*, const std::vector<float>&);
template void write_vector(hid_t, const char*, const std::vector<double>&);
template void write_vector(hid_t, const char*, const std::vector<int64_t>&);
template void write_matrix(hid_t, const char*, int64_t, int64_t, const std::vector<float>&);
template void write_matrix(hid_t, const char*, int64_t, int64_t, const std::vector<double>&);
template void write_matrix(hid_t, const char*, int64_t, int64_t, const std::vector<int64_t>&);
template void read_vector(hid_t, const char*, std::vector<float>*, DigestCheck);
template void read_vector(hid_t, const char*, std::vector<double>*, DigestCheck);
template void read_vector(hid_t, const char*, std::vector<int64_t>*, DigestCheck);
template void read_matrix(hid_t, const char*, int64_t*, int64_t*, std::vector<float>*, DigestCheck);
template void read_matrix(hid_t, const char*, int64_t*, int64_t*, std::vector<double>*, DigestCheck);
template void read_matrix(hid_t, const char*, int64_t*, int64_t*, std::vector<int64_t>*, DigestCheck);
template void read_block(hid_t, int64_t, int64_t, float*);

}  // namespace rs::runfile
