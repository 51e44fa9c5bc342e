// Handing a sweep to SLURM: `sweep submit`, `sweep resubmit` and `sweep cancel`.
//
// Every submission ends with the collector (collect.sbatch) depending on all its arrays with
// afterany: afterok would leave the collector pending forever after one failed run. A sweep
// with slurm.max_retries or slurm.max_queued_tasks has the follow-up job there instead, which
// queues the collector when nothing is left to submit (follow_up.h). Each
// submission is appended to DIR/jobs.json (jobs_file.h), also when one of its sbatch calls
// fails half way, so that what was queued is never forgotten.
#pragma once

#include <string>
#include <vector>

#include "sweep/jobs_file.h"
#include "sweep/planned_sweep.h"

namespace rs::sweep {

// Checks every script with `sbatch --test-only` first (nothing is queued if one is rejected),
// then submits. With test_only, stops after the check. With after_preflight, every array waits
// for the last submitted preflight (preflight.h) and runs only if it succeeded
// (--dependency=afterok): a preflight whose d copies differ holds the sweep, which then shows
// as pending (DependencyNeverSatisfied) until cancelled. A preflight that has already ended
// decides at once: nothing is submitted when it failed. Throws rs::InputError when
// after_preflight finds no submitted preflight, std::runtime_error with sbatch's message or
// the failed preflight's.
//
// A sweep whose earlier submission still has tasks in squeue is not submitted again (each of
// its runs would be queued twice): rs::InputError naming `sweep status` and `sweep resubmit`,
// unless `force`. With a follow-up job only the first window is submitted (all runs without
// max_queued_tasks), each array with its task list.
Submission submit_sweep(const std::string& dir, bool test_only, bool after_preflight = false, bool force = false);

struct ResubmitOptions {
  bool failed = true;   // runs whose task ended without a complete run file
  bool missing = true;  // runs never submitted or cancelled before they started; not the replicas of
                        // adaptive points no wave asked for (follow_up.h runs_not_asked)
};

// One new array per script over exactly the selected runs (--array=3,7,19, in chunks of at most
// kMaxTasksPerResubmit task ids), then a fresh collector. Returns a submission with no arrays
// when there is nothing to resubmit. Queued, running and done runs are never resubmitted; with
// slurm.runs_per_task a task is resubmitted when one of its runs is selected, and its runs that
// are complete end at once (its trainers find their run files), while the run lock keeps one that
// is training elsewhere from being trained twice.
Submission resubmit_sweep(const std::string& dir, const ResubmitOptions& options);

inline constexpr size_t kMaxTasksPerResubmit = 1000;

struct CancelResult {
  std::vector<std::string> job_ids;
  std::string messages;  // scancel's complaints, e.g. about jobs that had already ended
};

// Submits each array (with --array=<its tasks>, except in a plain `submit` without follow-up
// job, whose scripts already ask for all their tasks), then, with --dependency=afterany on all of
// them, the follow-up job when the sweep has one and `kind` is not "resubmit" and there were
// arrays, else the collector. Appends the submission to jobs.json, also when an sbatch call
// fails part way, so that what was queued is never forgotten. `array_options` go to every
// array's sbatch.
Submission submit_arrays(const PlannedSweep& sweep, const std::string& kind, const std::vector<ArrayJob>& arrays,
                         const std::vector<std::string>& array_options = {});

// scancel every job jobs.json lists (arrays, collectors and follow-up jobs).
CancelResult cancel_sweep(const std::string& dir);

}  // namespace rs::sweep
