// `sweep submit DIR`: hands the array scripts to sbatch, then the collector with
// --dependency=afterany on all of them (afterok would never start it if one run failed), and
// appends the job ids to DIR/jobs.json.
#pragma once

#include <string>
#include <vector>

namespace rs::sweep {

struct SubmittedJob {
  std::string script;  // file name in DIR/slurm/
  std::string job_id;
};

struct SubmitResult {
  std::vector<SubmittedJob> arrays;
  SubmittedJob collect;
};

// Throws std::runtime_error with sbatch's message when a submission fails; what was submitted
// before the failure is still recorded in jobs.json.
SubmitResult submit_sweep(const std::string& dir);

}  // namespace rs::sweep
