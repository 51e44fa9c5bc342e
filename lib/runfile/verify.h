// `sweep verify`: whether run files still hold what was written (docs/run-file.md, "Digests").
#pragma once

#include <string>
#include <vector>

#include "runfile/reader_process.h"

namespace rs::runfile {

enum class Integrity {
  kGood,        // complete, and every part matches its digest
  kNoDigests,   // complete and readable, but written before run files had digests
  kCorrupt,     // a part does not match its digest, or lacks one in a file that has them,
                // or part of the HDF5 structure is damaged
  kUnreadable,  // not a complete run file that reads: not HDF5, cut short, a missing or
                // malformed field, a read that did not finish or crashed the reader
};

struct Verdict {
  std::string path;  // printable text (util/text.h), as is the reason
  Integrity integrity = Integrity::kUnreadable;
  std::string reason;  // why, without the "corrupt: " or "unreadable: "; "" for the others
};

// Reads all of every file, /weights/flat in blocks, in a reader process with `timeout_s` per
// file, checking every digest on the way and every object's header (check_structure()). In the
// order given.
std::vector<Verdict> verify_run_files(const std::vector<std::string>& paths,
                                      double timeout_s = kDefaultReadTimeoutS);

}  // namespace rs::runfile
