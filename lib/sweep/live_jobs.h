// The sweep's array jobs that SLURM still has: what `sweep submit` and `sweep plan --force`
// must not act behind the back of.
#pragma once

#include <string>
#include <vector>

namespace rs::sweep {

struct LiveJobs {
  std::vector<std::string> job_ids;  // array jobs of jobs.json with a task in squeue, in order
  size_t tasks = 0;                  // their queued and running tasks
};

// Array jobs of DIR/jobs.json (SLURM submissions only: `sweep run` records none that squeue
// could show) that squeue still lists. Throws std::runtime_error when jobs.json lists SLURM
// jobs and squeue does not answer: whether they still run cannot be told.
LiveJobs live_jobs(const std::string& dir);

// "123, 124 and 3 more": job ids for a message.
std::string job_list(const std::vector<std::string>& job_ids);

}  // namespace rs::sweep
