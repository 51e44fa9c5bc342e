// Owners for HDF5 identifiers. Every hid_t the run file code opens lives in one of these, so an
// exception half way through writing or reading never leaks an open file or object.
#pragma once

#include <hdf5.h>

#include <utility>

namespace rs::runfile {

// Holds one identifier and releases it with `Close` (H5Fclose, H5Gclose, ...). An invalid
// identifier (negative, what HDF5 returns on failure) is held but never closed.
template <herr_t (*Close)(hid_t)>
class Hdf5Handle {
 public:
  explicit Hdf5Handle(hid_t id) : id_(id) {}
  ~Hdf5Handle() { close(); }

  Hdf5Handle(Hdf5Handle&& other) noexcept : id_(std::exchange(other.id_, -1)) {}
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(Hdf5Handle&&) = delete;

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

  // Releases the identifier now. Returns HDF5's status: for a file, closing is what writes the
  // last data out, so the writer must see whether it worked.
  herr_t close() {
    herr_t status = id_ >= 0 ? Close(id_) : 0;
    id_ = -1;
    return status;
  }

 private:
  hid_t id_;
};

using Hdf5File = Hdf5Handle<H5Fclose>;
using Hdf5Group = Hdf5Handle<H5Gclose>;
using Hdf5Dataset = Hdf5Handle<H5Dclose>;
using Hdf5Attribute = Hdf5Handle<H5Aclose>;
using Hdf5Dataspace = Hdf5Handle<H5Sclose>;
using Hdf5Datatype = Hdf5Handle<H5Tclose>;
using Hdf5PropertyList = Hdf5Handle<H5Pclose>;

}  // namespace rs::runfile
