// `sweep status DIR`: where every run of a sweep stands.
//
//   done     its run file is complete
//   running  a task of it is running (squeue), or a trainer holds its lock (runs/<run_id>.lock:
//            `sweep run`'s tasks, which squeue does not know)
//   pending  a task of it is queued (squeue)
//   failed   a task of it ran (it has a log) and ended without a complete run file
//   missing  none of the above: never submitted, or cancelled before it started
//
// Runs are tied to scheduler tasks through jobs.json: run index = array offset + task id, in
// every submission (resubmits reuse the same scripts with a task list); with
// slurm.runs_per_task K a task holds K runs (contract/task_runs.h), which share its queue state,
// each with a log of its own. Status stays per run. Works without SLURM
// accounting; sacct, when it answers, adds how failed tasks ended (TIMEOUT, OUT_OF_MEMORY, ...).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace rs::sweep {

enum class RunState { kDone, kRunning, kPending, kFailed, kMissing };
inline constexpr std::array<const char*, 5> kRunStateNames = {"done", "running", "pending", "failed",
                                                              "missing"};

struct RunStatus {
  int64_t index = 0;
  std::string run_id;
  RunState state = RunState::kMissing;
  std::string script;  // its array script
  std::string log;     // newest log of its tasks (a packed run's own log), "" when none
  std::string reason;  // for failed runs: sacct's state, or what the log shows
};

struct SweepStatus {
  std::string name;
  std::array<int64_t, 5> counts{};  // by RunState
  std::vector<RunStatus> runs;      // every run, by index
  bool scheduler_reachable = false; // squeue answered
  bool accounting = false;          // sacct answered
};

SweepStatus sweep_status(const std::string& dir);

// Failed runs that ended the same way: the same reason and the same last line in their logs
// (e.g. 120 runs that all miss the same dataset file). `runs` index SweepStatus::runs.
struct FailureGroup {
  std::string reason, message;
  std::vector<size_t> runs;
};

// The failed runs of `status` in groups, largest first (ties: in run order).
std::vector<FailureGroup> group_failures(const SweepStatus& status);

// The last `n` lines of a text file ("" when it cannot be read).
std::string last_lines(const std::string& path, size_t n);

// What a failed task said last, usually its error: the last line of its log that holds more
// than blanks and is not one of the array script's own "reprosweep: run N ..." lines (they
// name the run, so no two tasks' would match); "" when there is none.
std::string last_message(const std::string& path);

}  // namespace rs::sweep
