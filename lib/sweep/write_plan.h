// `sweep plan`: writing a planned sweep folder (layout.h).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "grid/grid_spec.h"
#include "grid/plan.h"

namespace rs::sweep {

struct WriteOptions {
  std::string dir;      // the sweep folder; created if missing
  std::string trainer;  // absolute path written into the array scripts
  std::string sweep;    // absolute path of `sweep`, for collect.sbatch
  bool force = false;   // replace a different plan already in `dir`
};

// The summary of a plan (sweep.json, `sweep plan --format json`): name, points, runs, arrays
// [{script, offset, count (runs), resources, cpus_per_task, gpus_per_task, environment (with
// environments only), runs_per_task and tasks (with slurm.runs_per_task > 1 only)}], environments (when the grid has some), gpu_hours when known.
nlohmann::json plan_summary(const grid::GridSpec& spec, const grid::Plan& plan);

// The grid's environments as sweep.json lists them (its "environments", only when the grid has
// some): name, slurm (key: value text), modules, container, trainer ("" = the sweep's),
// threads (0 = not set) and expect (the /env fields promised). The collector and `sweep
// preflight` compare what runs saw against them (runfile/environment_promise.h).
nlohmann::json environments_json(const grid::GridSpec& spec);

// Writes grid.yaml, plan.jsonl, the scripts and sweep.json, creating runs/ and logs/.
// Run files already in runs/ are never touched. Throws rs::InputError when `dir` holds a
// different plan and `force` is false (so existing results never silently change meaning).
void write_plan(const grid::GridSpec& spec, const grid::Plan& plan, const WriteOptions& options);

}  // namespace rs::sweep
