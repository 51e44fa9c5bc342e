// The sweep folder: everything one planned sweep owns, in one place (docs/sweep-folder.md).
//
//   DIR/grid.yaml          copy of the grid file it was planned from
//   DIR/plan.jsonl         one line per run: {index, run_id, group_id, sweep, params}
//   DIR/sweep.json         summary: name, points, runs, arrays (script, offset, count, ...)
//   DIR/slurm/             array-NNN.sbatch, collect.sbatch
//   DIR/runs/<run_id>.h5   run files (docs/run-file.md)
//   DIR/logs/              %A_%a.out per array task, collect_%j.out
//   DIR/jobs.json          job ids of every `sweep submit`
//   DIR/results/           the collector's tables and report
#pragma once

#include <string>

namespace rs::sweep {

inline std::string grid_copy_path(const std::string& dir) { return dir + "/grid.yaml"; }
inline std::string plan_path(const std::string& dir) { return dir + "/plan.jsonl"; }
inline std::string summary_path(const std::string& dir) { return dir + "/sweep.json"; }
inline std::string scripts_dir(const std::string& dir) { return dir + "/slurm"; }
inline std::string collect_script_path(const std::string& dir) { return dir + "/slurm/collect.sbatch"; }
inline std::string runs_dir(const std::string& dir) { return dir + "/runs"; }
inline std::string logs_dir(const std::string& dir) { return dir + "/logs"; }
inline std::string jobs_path(const std::string& dir) { return dir + "/jobs.json"; }
inline std::string results_dir(const std::string& dir) { return dir + "/results"; }

}  // namespace rs::sweep
