// Typed reads and writes of HDF5 attributes and datasets: the words run_file.cc spells the layout
// with. Nothing here knows the layout.
//
// On disk, strings are variable-length UTF-8 scalars, integers little-endian int64, and floating
// point little-endian float64 or float32 as the C++ element type says. Datasets are contiguous
// and uncompressed, written whole with one call each and read whole or in blocks. Every
// dataset written carries its digest, attribute kDigestAttr (uint64): XXH3-64 of its values
// in the C++ element type, row-major, little-endian; reading a dataset whole checks it.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runfile/hdf5_handle.h"

namespace rs::runfile {

// Stops HDF5 from printing its error stack to stderr: we report failures ourselves, once, in
// our own words. HDF5 keeps this setting per thread, so every entry point calls it.
void silence_hdf5_errors();

// The most specific message on HDF5's error stack, e.g. "file signature not found". HDF5 clears
// the stack at the start of every call, so take it right after the call that failed.
std::string hdf5_error_message();

inline constexpr char kDigestAttr[] = "xxh3";

// Whether reading a dataset whole requires its digest (files written since digests exist
// have one on every dataset) or checks it only when there is one (older files).
enum class DigestCheck { kIfPresent, kRequired };

// Writing. Each throws std::runtime_error naming the object when HDF5 fails.
Hdf5Group create_group(hid_t parent, const char* name);
void write_attr(hid_t object, const char* name, const std::string& value);
void write_attr(hid_t object, const char* name, int64_t value);
void write_attr(hid_t object, const char* name, double value);
void write_attr(hid_t object, const char* name, uint64_t value);
// For T = float, double, int64_t. `values` is row-major and must hold rows * cols entries.
template <class T>
void write_vector(hid_t parent, const char* name, const std::vector<T>& values);
template <class T>
void write_matrix(hid_t parent, const char* name, int64_t rows, int64_t cols,
                  const std::vector<T>& values);

// Reading. Each throws RunFileError: "missing <what>" when the object is not there, otherwise
// "cannot read <what>: <HDF5's reason>", a sentence about the wrong shape, "<what> is not
// valid UTF-8" for a string, or "corrupt: digest mismatch of <dataset>".
Hdf5Group open_group(hid_t parent, const char* name);
void read_attr(hid_t object, const char* name, std::string* value);
void read_attr(hid_t object, const char* name, int64_t* value);
void read_attr(hid_t object, const char* name, double* value);
void read_attr(hid_t object, const char* name, uint64_t* value);
bool has_attr(hid_t object, const char* name);
// Names of all attributes of `object`, sorted.
std::vector<std::string> attr_names(hid_t object);
// For T = float, double, int64_t; HDF5 converts from the stored element type.
template <class T>
void read_vector(hid_t parent, const char* name, std::vector<T>* values,
                 DigestCheck check = DigestCheck::kIfPresent);
template <class T>
void read_matrix(hid_t parent, const char* name, int64_t* rows, int64_t* cols,
                 std::vector<T>* values, DigestCheck check = DigestCheck::kIfPresent);

// Reading a 1-D dataset in blocks, for vectors too large to hold whole. open_vector() checks
// that `name` is 1-D and sets *length; read_block() reads entries [offset, offset + count) of
// it (count >= 1), converting to T as read_vector() does. For T = float. The caller checks
// the digest (dataset_digest()) when it has read every block.
Hdf5Dataset open_vector(hid_t parent, const char* name, int64_t* length);
// The dataset's digest, if it has one (files written before digests do not).
std::optional<uint64_t> dataset_digest(hid_t dataset);
// Where an open object sits in its file, e.g. "/weights/flat". For messages.
std::string object_path(hid_t object);

// True when the dataset's shape (each of its dimensions, and their product, computed without
// overflow) claims no more values than its file holds bytes: checked before anything that size
// is allocated, since a changed byte in a dataspace can claim 2^56 values.
bool fits_file(hid_t dataset);
template <class T>
void read_block(hid_t dataset, int64_t offset, int64_t count, T* values);

}  // namespace rs::runfile
