// Reading a planned sweep folder back: what `sweep run`, `sweep submit` and the collector need
// from plan.jsonl and sweep.json, without the grid file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/adaptive_repeat.h"
#include "contract/plan_file.h"
#include "contract/task_runs.h"
#include "slurm/software.h"

namespace rs::sweep {

struct PlannedArray {
  std::string script;  // file name in DIR/slurm/
  int64_t offset = 0, count = 0;  // runs offset..offset+count-1
  int64_t cpus_per_task = 1, gpus_per_task = 0;
  int64_t max_parallel = 0;  // throttle, 0 = none
  int64_t world_size = 1, nodes = 1;  // ranks per task and the nodes they span
  nlohmann::json resources = nlohmann::json::object();
  std::string environment;  // the grid's environment whose runs it holds; "" = none
  int64_t runs_per_task = 1;  // slurm.runs_per_task: runs packed into each task

  // Its array tasks 0..tasks()-1, and the runs each trains (contract/task_runs.h).
  int64_t tasks() const { return contract::task_count(count, runs_per_task); }
  int64_t first_run(int64_t task) const { return contract::first_run_of_task(offset, task, runs_per_task); }
  int64_t runs_of(int64_t task) const { return contract::runs_of_task(count, task, runs_per_task); }
  int64_t task_of(int64_t run_index) const { return contract::task_of_run(offset, run_index, runs_per_task); }
};

// A grid's environment as sweep.json lists it: what its scripts run and how.
struct PlannedEnvironment {
  std::string name;
  std::string trainer;  // "" = the sweep's trainer
  slurm::Software software;
};

struct PlannedSweep {
  std::string dir;  // absolute
  std::string name;
  std::string trainer;  // the trainer executable the array scripts run
  int64_t points = 0;
  std::vector<PlannedArray> arrays;
  std::vector<PlannedEnvironment> environments;  // sweep.json's; empty for a grid without them
  std::vector<contract::PlannedRun> runs;  // by index
  // slurm.max_retries and slurm.max_queued_tasks (sweep.json's follow_up; 0 when it has none).
  int64_t max_retries = 0, max_queued_tasks = 0;
  // The points whose replicas come in waves (sweep.json's adaptive; sweep/waves.h).
  std::vector<contract::AdaptivePoint> adaptive;
  bool has_follow_up() const { return max_retries > 0 || max_queued_tasks > 0 || !adaptive.empty(); }
};

// Throws rs::InputError when DIR is not a planned sweep folder (no sweep.json / plan.jsonl).
PlannedSweep read_planned_sweep(const std::string& dir);

}  // namespace rs::sweep
