// What the scheduler knows about jobs: squeue for queued and running tasks, sacct (when the
// cluster keeps accounting) for how finished ones ended, scancel.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rs::slurm {

// One array task: "<array job id>_<task id>"; in queued_tasks(), task -1 is a job that is no
// array (the follow-up job, the collector).
struct TaskKey {
  std::string job_id;
  long task = 0;
  bool operator<(const TaskKey& other) const {
    return job_id != other.job_id ? job_id < other.job_id : task < other.task;
  }
};

// States (RUNNING, PENDING, ...) of this user's queued jobs, one entry per array task (squeue
// -r) and one, task -1, per job that is no array. nullopt when squeue is missing or cannot reach the controller.
std::optional<std::map<TaskKey, std::string>> queued_tasks();

// Final states (COMPLETED, FAILED, TIMEOUT, ...) of the tasks of `job_ids` from sacct.
// nullopt when the cluster has no accounting (sacct fails), which is common and fine.
std::optional<std::map<TaskKey, std::string>> finished_tasks(const std::vector<std::string>& job_ids);

// scancel JOB_ID...; returns scancel's messages ("" when all went well).
std::string cancel_jobs(const std::vector<std::string>& job_ids);

}  // namespace rs::slurm
