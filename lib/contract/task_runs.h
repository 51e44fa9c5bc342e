// Which runs an array task trains: slurm.runs_per_task (K) packs K runs into one task.
//
// An array holds runs offset..offset+runs-1 in order. Task t trains the K runs
// offset + t*K .. offset + t*K + K-1 side by side (the last task fewer when K does not divide
// the array's runs), so an array has ceil(runs / K) tasks; K = 1 is one run per task, run index
// = offset + task id. The array script (slurm/array.sbatch.in) does the same arithmetic in
// bash; everything that ties tasks back to runs (status, resubmit, the follow-up job, `sweep
// run`) uses these.
#pragma once

#include <algorithm>
#include <cstdint>

namespace rs::contract {

inline int64_t task_count(int64_t runs, int64_t runs_per_task) {
  return (runs + runs_per_task - 1) / runs_per_task;
}

// The first run index of task `task`, and how many runs it trains.
inline int64_t first_run_of_task(int64_t offset, int64_t task, int64_t runs_per_task) {
  return offset + task * runs_per_task;
}
inline int64_t runs_of_task(int64_t runs, int64_t task, int64_t runs_per_task) {
  return std::min(runs_per_task, runs - task * runs_per_task);
}

// The task of an array (starting at run `offset`) that trains run `index`.
inline int64_t task_of_run(int64_t offset, int64_t index, int64_t runs_per_task) {
  return (index - offset) / runs_per_task;
}

}  // namespace rs::contract
