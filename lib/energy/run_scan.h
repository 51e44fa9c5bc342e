// Finding the run files `sweep energy` reads: every *.h5 under the given paths (sweep folders,
// whose run files are in DIR/runs/, or any folders of run files, searched recursively; a path
// may also be a run file itself), read for their metadata only.
//
// Files that are not complete run files of layout version 1 (another schema, unfinished,
// broken, not matching their digests) are listed with the reader's reason instead. The files
// are read in a reader process (runfile/reader_process.h): one that does not read within
// `read_timeout_s` or crashes the reader is listed as unreadable and the scan goes on. Each jobs.json found on the way
// (a sweep folder's record of its submissions, sweep/jobs_file.h) says which array job ids
// `sweep run` made up for local runs: those are no SLURM jobs to ask sacct about.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "runfile/reader_process.h"
#include "runfile/run_file.h"

namespace rs::energy {

struct SkippedFile {
  std::string path;    // printable text (util/text.h), as is the reason
  std::string reason;
};

struct ScannedRuns {
  std::vector<runfile::RunRecord> runs;  // in path order, each file once
  std::vector<SkippedFile> skipped;
  int64_t before_since = 0;  // complete runs left out because they finished before --since
  std::set<std::string> local_array_job_ids;
};

// `since`: "" for all runs, else a date (YYYY-MM-DD) or an ISO 8601 UTC time; runs that
// finished before it are left out. Throws rs::InputError for a path that does not exist or a
// `since` that is neither.
ScannedRuns scan_runs(const std::vector<std::string>& paths, const std::string& since,
                      double read_timeout_s = runfile::kDefaultReadTimeoutS);

}  // namespace rs::energy
