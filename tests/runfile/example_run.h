// A realistic run record: what the trainer would write for a short GPU run under SLURM.
#pragma once

#include <string>

#include "runfile/run_file.h"

namespace rs::runfile::testing {

// 3 epochs, 6 test samples in 4 classes and 3 sub-groups, every field set to a distinct value.
RunRecord example_run_record();

// Changes two fields of the first object in the file's global heap (the collection "GCOL" that
// holds its variable-length strings) to 0: libhdf5 1.10 then loops forever in
// H5HG__cache_heap_deserialize on the first string read, and so does h5py. What a few
// changed bytes among a run file's first 6 KB did in the fuzzing of issue 18.
void make_hdf5_hang(const std::string& path);

// Puts `bytes` in place of the first occurrence of `old_bytes` (same length) in the file, e.g.
// invalid UTF-8 in place of a string attribute's value.
void replace_bytes(const std::string& path, const std::string& old_bytes, const std::string& bytes);

}  // namespace rs::runfile::testing
