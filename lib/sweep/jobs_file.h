// DIR/jobs.json: every time the sweep's arrays were handed to a scheduler, in order.
//
//   [{"kind": "submit" | "resubmit" | "follow-up" | "local", "submitted_at": "...",
//     "arrays": [{"script": "array-000.sbatch", "job_id": "123", "tasks": "0-53"}],
//     "collect_job_id": "124"}, ...]
//
// A sweep with a follow-up job (follow_up.h) has "follow_up_job_id" instead of "collect_job_id"
// in every submission but the last, whose follow-up job queued the collector; each of the
// follow-up job's own submissions (retries, the next window) is one of kind "follow-up".
//
// `sweep status` maps queued tasks and logs (logs/<job_id>_<task>.out) back to runs with it (a
// task that packs runs, slurm.runs_per_task, to each of them: contract/task_runs.h); `sweep
// cancel` cancels what it lists.
#pragma once

#include <cstdint>
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
  std::string collect_job_id;  // "" for local runs and while a follow-up job comes next
  std::string follow_up_job_id;  // the follow-up job queued after these arrays, or ""
};

// "0-2,7,9%50": tasks[begin, end) (ascending) as a --array list, runs of three or more as
// ranges, with the array's throttle when max_parallel > 0.
std::string task_list(const std::vector<int64_t>& tasks, size_t begin, size_t end, int64_t max_parallel);

// The task ids of a --array list: "0-3,7%2" -> 0 1 2 3 7. Throws rs::InputError on another form.
std::vector<int64_t> task_ids(const std::string& tasks);

// An empty list when DIR/jobs.json does not exist yet.
std::vector<Submission> read_jobs(const std::string& dir);

// Appends one submission (written atomically).
void append_submission(const std::string& dir, const Submission& submission);

}  // namespace rs::sweep
