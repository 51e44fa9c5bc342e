#include "runfile/hdf5_lock.h"

namespace rs::runfile {
namespace {

// Never deleted: renew_hdf5_lock_in_child() leaves the old one behind, locked.
std::recursive_mutex*& current_lock() {
  static std::recursive_mutex* lock = new std::recursive_mutex;
  return lock;
}

}  // namespace

std::recursive_mutex& hdf5_lock() { return *current_lock(); }

void renew_hdf5_lock_in_child() { current_lock() = new std::recursive_mutex; }

}  // namespace rs::runfile
