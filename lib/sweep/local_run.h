// `sweep run DIR [-j N]`: the local executor.
//
// It executes the generated array scripts themselves (bash DIR/slurm/array-NNN.sbatch), one
// process per array task, with the SLURM_* variables a real array task would see, N at a time.
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

namespace rs::sweep {

struct LocalRunOptions {
  std::string dir;
  int64_t jobs = 0;  // tasks at a time; 0 = CPUs / cpus_per_task (at least 1)
};

struct LocalRunResult {
  int64_t total = 0, skipped = 0, succeeded = 0;
  std::vector<std::string> failed_logs;  // log file of every task that failed
  int64_t not_started = 0;   // tasks left when the run stopped on bad input
  int64_t stopped_after = 0;  // how many first tasks failed alike, when it stopped
  std::string stop_message;   // their common last log line, when it stopped
};

LocalRunResult run_local(const LocalRunOptions& options);

}  // namespace rs::sweep
