// The follow-up job: automatic retries (slurm.max_retries) and windowed submission
// (slurm.max_queued_tasks), done by SLURM itself, with nothing left running on the login node.
//
// `sweep submit` of a sweep that sets either key queues the first window of runs (all of them
// without max_queued_tasks) and, instead of the collector, DIR/slurm/follow-up.sbatch with
// --dependency=afterany on those arrays. Each follow-up job runs `sweep follow-up DIR` on a CPU
// node once they have ended, and that queues the next round (next_round()):
//   - retries: every run that is not done, whose newest task log ends with the array script's
//     "reprosweep: run N ended with status 1" (a failure; not 2, bad input, nor 3, checkpointed),
//     and that jobs.json's submissions have listed at most max_retries times so far;
//   - the window: the runs that no submission has listed yet, in index order, as many as fit
//     beside the retries and the sweep's tasks still in the queue under max_queued_tasks;
// then follow-up.sbatch again after them. When a round is empty it queues the collector
// instead, and the chain ends. jobs.json records every round as a submission of kind
// "follow-up" (jobs_file.h), so every attempt of every run is listed there; `sweep cancel`
// cancels the follow-up job with the arrays, which ends the chain.
//
// A round waits for all the tasks of the round before it (afterany on its arrays): a window
// refills when its slowest task ends, not task by task.
//
// With slurm.runs_per_task a task packs several runs (contract/task_runs.h): retries stay per
// run (each run's own log says how its trainer ended, and max_retries counts the submissions
// that listed its task), but what is submitted and what max_queued_tasks counts are tasks. A task
// retried for one run starts its other runs too; those already complete end at once.
//
// Adaptive points (waves.h) take part in the window only with the replicas their wave asks for:
// the first round asks for min of each, and a later round, once a point's runs have all ended
// and none is retried, checks its rule on the run files (as the collector reads them) and asks
// for the next step or stops it. So the waves ride on this chain: no job of their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sweep/jobs_file.h"
#include "sweep/planned_sweep.h"
#include "sweep/status.h"
#include "sweep/waves.h"

namespace rs::sweep {

struct Round {
  std::vector<ArrayJob> arrays;  // task lists per script, job ids empty
  int64_t retries = 0;           // runs in it that failed before
  int64_t new_runs = 0;          // runs in it never submitted before
  std::vector<PointWave> waves;  // per adaptive point (sweep.adaptive), what was decided
};

// The next round of `sweep` given where its runs stand and what was submitted so far. `status`
// may be null before anything was submitted (the first window). `accuracies` are the completed
// runs' values for the adaptive points' rules (unused without them).
Round next_round(const PlannedSweep& sweep, const SweepStatus* status, const std::vector<Submission>& submitted,
                 const RunAccuracies& accuracies = {});

// The status a task's log ends with ("reprosweep: run N ended with status S"), nullopt when
// it has no such line (the task was killed, or its script predates max_retries).
std::optional<int> task_exit_status(const std::string& log);

// How many runs no submission has listed yet (the rest of a window), -1 for a sweep without
// max_queued_tasks.
int64_t runs_not_submitted(const PlannedSweep& sweep, const std::vector<Submission>& submitted);

// The runs of adaptive points that no submission of the current chain listed: replicas no wave
// has asked for (yet). `sweep resubmit` leaves them to the waves; `sweep status` counts them.
std::vector<bool> runs_not_asked(const PlannedSweep& sweep, const std::vector<Submission>& submitted);

// `sweep follow-up DIR`: queues the next round and the follow-up job after it, or the collector
// when the round is empty; records it in jobs.json. `read_accuracies` is called for a sweep
// with adaptive points only. Throws std::runtime_error when squeue does
// not answer (the chain then stops; `sweep resubmit` goes on by hand).
// `waves`, when given, receives the round's decision per adaptive point.
Submission follow_up(const std::string& dir, const ReadAccuracies& read_accuracies,
                     std::vector<PointWave>* waves = nullptr);

}  // namespace rs::sweep
