// The sweep folder: everything one planned sweep owns, in one place (docs/sweep-folder.md).
// Every module that writes or reads a sweep folder takes its names from here, and the batch
// scripts get them substituted into their templates (slurm/*.sbatch.in, lib/slurm/script.h).
//
//   DIR/grid.yaml                  copy of the grid file it was planned from
//   DIR/plan.jsonl                 one line per run: {index, run_id, group_id, sweep, params}
//   DIR/plan.jsonl.idx             where each line of plan.jsonl starts (plan_index.h)
//   DIR/sweep.json                 summary: name, points, runs, arrays (script, offset, count, ...)
//   DIR/forecast.json              `sweep plan --forecast-from`'s forecast, with the plan's plan_id
//   DIR/slurm/                     array-NNN.sbatch, collect.sbatch, follow-up.sbatch (only with
//                                  slurm.max_retries, slurm.max_queued_tasks or adaptive points)
//   DIR/runs/<run_id>.h5           run files (docs/run-file.md)
//   DIR/runs/<run_id>.h5.<host>-<pid>.partial   a run file being written by process pid on host
//   DIR/runs/<run_id>.ckpt         the checkpoint of a run in progress (docs/trainer.md); with
//                                  .<host>-<pid>.partial while written, .corrupt when set aside
//   DIR/runs/<run_id>.lock         held by the trainer training the run (util/lock_file.h); each
//                                  further rank r of a distributed run holds <run_id>.rank<r>.lock
//   DIR/logs/                      <array job id>_<task>.out per array task, collect_<job id>.out,
//                                  follow-up_<job id>.out; with slurm.runs_per_task > 1 also
//                                  <array job id>_<task>.run<index>.out, each packed run's own
//   DIR/jobs.json                  job ids of every `sweep submit` (jobs_file.h)
//   DIR/results/                   the collector's tables and report
//   DIR/preflight/                 the last `sweep preflight`: plan.jsonl, slurm/, runs/, logs/ and
//                                  jobs.json as above, and preflight.json
#pragma once

#include <cstdint>
#include <string>

#include "util/lock_file.h"

namespace rs::contract {

// Names in the sweep folder.
inline constexpr char kGridCopyName[] = "grid.yaml";
inline constexpr char kPlanFileName[] = "plan.jsonl";
inline constexpr char kPlanIndexSuffix[] = ".idx";  // the plan's index: plan.jsonl.idx
inline constexpr char kSummaryName[] = "sweep.json";
inline constexpr char kForecastName[] = "forecast.json";
inline constexpr char kScriptsDirName[] = "slurm";
inline constexpr char kCollectScriptName[] = "collect.sbatch";
inline constexpr char kFollowUpScriptName[] = "follow-up.sbatch";
inline constexpr char kRunsDirName[] = "runs";
inline constexpr char kLogsDirName[] = "logs";
inline constexpr char kJobsFileName[] = "jobs.json";
inline constexpr char kResultsDirName[] = "results";
inline constexpr char kPreflightDirName[] = "preflight";

// Names in runs/: `<run_id>.h5`, `<run_id>.ckpt`, and either with `.<host>-<pid>.partial` while
// it is being written (partial_path(); renamed when complete) or, a checkpoint, `.corrupt` when
// it was set aside.
inline constexpr char kRunFileSuffix[] = ".h5";
inline constexpr char kCheckpointSuffix[] = ".ckpt";
inline constexpr char kPartialSuffix[] = ".partial";
inline constexpr char kCorruptSuffix[] = ".corrupt";
inline constexpr char kLockSuffix[] = ".lock";

// Names in logs/: SLURM's --output patterns (%A array job id, %a task, %j job id).
inline constexpr char kTaskLogPattern[] = "%A_%a.out";
inline constexpr char kCollectLogPattern[] = "collect_%j.out";
inline constexpr char kFollowUpLogPattern[] = "follow-up_%j.out";

inline std::string grid_copy_path(const std::string& dir) { return dir + "/" + kGridCopyName; }
inline std::string plan_path(const std::string& dir) { return dir + "/" + kPlanFileName; }
inline std::string summary_path(const std::string& dir) { return dir + "/" + kSummaryName; }
inline std::string forecast_path(const std::string& dir) { return dir + "/" + kForecastName; }
inline std::string scripts_dir(const std::string& dir) { return dir + "/" + kScriptsDirName; }
inline std::string collect_script_path(const std::string& dir) {
  return scripts_dir(dir) + "/" + kCollectScriptName;
}
inline std::string follow_up_script_path(const std::string& dir) {
  return scripts_dir(dir) + "/" + kFollowUpScriptName;
}
inline std::string runs_dir(const std::string& dir) { return dir + "/" + kRunsDirName; }
inline std::string logs_dir(const std::string& dir) { return dir + "/" + kLogsDirName; }
inline std::string jobs_path(const std::string& dir) { return dir + "/" + kJobsFileName; }
inline std::string results_dir(const std::string& dir) { return dir + "/" + kResultsDirName; }
inline std::string preflight_dir(const std::string& dir) { return dir + "/" + kPreflightDirName; }

// `<runs_dir>/<run_id>.h5` and `<runs_dir>/<run_id>.ckpt`.
std::string run_file_path(const std::string& runs_dir, const std::string& run_id);
std::string checkpoint_path(const std::string& runs_dir, const std::string& run_id);
// `<runs_dir>/<run_id>.lock`, held by the process that trains the run (rank 0 of a distributed
// run); rank r > 0 holds `<runs_dir>/<run_id>.rank<r>.lock`, so that the ranks of one task do not
// shut each other out, while every rank of a second task for the same run finds its lock held.
std::string lock_path(const std::string& runs_dir, const std::string& run_id, int64_t rank = 0);

// `<path>.<host>-<pid>.partial` (dots in the host name become '-'): where the process named
// `process` ("<host> <pid>", util/lock_file.h; this one by default) writes `path` before it
// renames it into place. A name of its own per process, so that two processes writing the same
// run (where the run's lock does not reach) never write into each other's half-written file.
std::string partial_path(const std::string& path, const std::string& process = this_process_name());

// DIR/logs/<job_id>_<task>.out: kTaskLogPattern filled in.
inline std::string task_log_path(const std::string& dir, const std::string& job_id, int64_t task) {
  return logs_dir(dir) + "/" + job_id + "_" + std::to_string(task) + ".out";
}

// DIR/logs/<job_id>_<task>.run<index>.out: the log of run `index` in a task that packs several
// runs (task_runs.h), written by the array script beside the task's own log.
inline std::string run_log_path(const std::string& dir, const std::string& job_id, int64_t task, int64_t index) {
  return logs_dir(dir) + "/" + job_id + "_" + std::to_string(task) + ".run" + std::to_string(index) + ".out";
}

}  // namespace rs::contract
