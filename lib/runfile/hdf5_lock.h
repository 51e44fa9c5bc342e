// The one lock around HDF5. Debian's HDF5 is built without thread safety: every call into it
// from lib/runfile holds this lock, so that the collector can read run files on one thread
// while it computes on others. Internal to lib/runfile.
#pragma once

#include <mutex>

namespace rs::runfile {

// Recursive: RunFileReader's methods call one another.
std::recursive_mutex& hdf5_lock();

// For a child process forked while its parent's thread held hdf5_lock() (reader_process.cc
// forks so, so that no other thread is inside HDF5 then): gives the child a new, unlocked
// lock. The child's copy of the old one stays locked, owned by a thread the child does not
// have.
void renew_hdf5_lock_in_child();

}  // namespace rs::runfile
