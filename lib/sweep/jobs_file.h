// DIR/jobs.json: every time the sweep's arrays were handed to a scheduler, in order.
//
//   [{"kind": "submit" | "resubmit" | "local", "submitted_at": "...",
//     "arrays": [{"script": "array-000.sbatch", "job_id": "123", "tasks": "0-53"}],
//     "collect_job_id": "124"}, ...]
//
// `sweep status` maps queued tasks and logs (logs/<job_id>_<task>.out) back to runs with it;
// `sweep cancel` cancels what it lists.
#pragma once

#include <string>
#include <vector>

namespace rs::sweep {

struct ArrayJob {
  std::string script;  // file name in DIR/slurm/
  std::string job_id;  // SLURM's array job id (made up for kind "local")
  std::string tasks;   // the --array task list it ran, e.g. "0-53%8" or "3,7,19"
};

struct Submission {
  std::string kind;  // submit | resubmit | local
  std::string submitted_at;
  std::vector<ArrayJob> arrays;
  std::string collect_job_id;  // "" for local runs
};

// An empty list when DIR/jobs.json does not exist yet.
std::vector<Submission> read_jobs(const std::string& dir);

// Appends one submission (written atomically).
void append_submission(const std::string& dir, const Submission& submission);

}  // namespace rs::sweep
