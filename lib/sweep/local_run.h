// `sweep run DIR [-j N]`: the local executor.
//
// It executes the generated array scripts themselves (bash DIR/slurm/array-NNN.sbatch), one
// process per array task, with the SLURM_* variables a real array task would see, N at a time
// (a task that packs slurm.runs_per_task runs trains them side by side, as on the cluster).
// So a sweep that works locally works on the cluster with the same files. Runs whose run file
// is already complete are skipped, which makes `sweep run` safe to repeat after a failure.
//
// When the first tasks to finish (as many as run at a time, at least two) all failed on bad
// input (exit status 2) with the same last log line, every other task would fail the same way
// (a missing dataset, a wrong path): no further task is started, and the result says why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sweep/waves.h"
#include "util/process.h"

namespace rs::sweep {

struct LocalRunOptions {
  std::string dir;
  int64_t jobs = 0;  // tasks at a time; 0 = CPUs / cpus_per_task (at least 1)
};

struct LocalRunResult {
  int64_t total = 0, skipped = 0, succeeded = 0;  // runs
  std::vector<std::string> failed_logs;  // log of every run that failed: its task's, or a packed run's own
  int64_t not_started = 0;   // runs of the tasks left when the run stopped on bad input
  int64_t stopped_after = 0;  // how many first tasks failed alike, when it stopped
  std::string stop_message;   // their common last log line, when it stopped
};

// A sweep with adaptive points runs in waves (waves.h): after each, `read_accuracies` reads the
// run files as the collector does and the next wave runs only the replicas the rules still ask
// for; it ends when a wave has nothing to run. `read_accuracies` is unused without them.
LocalRunResult run_local(const LocalRunOptions& options, const ReadAccuracies& read_accuracies);

// What SLURM gives task `task_id` of array job `array_job_id` (`count` tasks, job name
// `job_name`), in the subset the scripts and the trainer read, for running the script here.
// Job ids are made up; SLURM_CLUSTER_NAME=local marks them as such.
struct LocalTask {
  std::string job_name;
  int64_t count = 1, task_id = 0, cpus_per_task = 1;
  int64_t array_job_id = 0, job_id = 0;
  int64_t ntasks = 1;  // the run's ranks (world_size), all on this machine
};
EnvVars local_task_environment(const LocalTask& task);

}  // namespace rs::sweep
