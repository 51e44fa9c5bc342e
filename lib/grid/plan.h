// Expanding a grid into points, runs and SLURM arrays (docs/grid-file.md, "Run order").
//
// Order, stable across re-planning: environments (in file order; a grid without them has one),
// within each the resources combinations (first key slowest), within each the
// cartesian grid points (axes in file order, first slowest; zip entries after grid keys) minus
// excluded ones, then include entries in file order; each point's replicas 0..n-1 in a row.
// Each environment x resources combination is one or more arrays (chunks of at most
// max_array_size tasks, of slurm.runs_per_task runs each: contract/task_runs.h). world_size and nodes (distributed runs) are array-level too: within a
// resources combination the points keep their order but move, stably, into ascending
// (world_size, nodes), and each such stretch has arrays of its own. A grid that sets neither
// keeps its order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/adaptive_repeat.h"
#include "contract/noise_source.h"
#include "grid/grid_spec.h"
#include "slurm/options.h"

namespace rs::grid {

struct Point {
  // Everything that defines the point: base and axis values, noise, mode, seed and, with a
  // `resources` section, resources: {key: value}, with `environments` environment: name. Not
  // replica and seeds (those are per run).
  nlohmann::json params;
  std::string group_id;  // hash of params without mode and environment
  // params as canonical JSON members ("\"key\":value,..."), in three pieces: the keys that sort
  // before "replica", between "replica" and "seeds", and after "seeds". A run's canonical JSON
  // is the pieces with its replica and seeds between them, so a point is serialised once, not
  // once per run (which matters at a million runs).
  std::array<std::string, 3> params_text_pieces;
  int64_t replicas = 1;  // an adaptive point's max
  std::optional<contract::AdaptiveRepeat> adaptive;  // its waves, when its repeat is adaptive
  size_t resources_index = 0;  // which environment x resources combination (and so arrays) it runs in
  int64_t world_size = 1, nodes = 1;  // ranks per run and nodes they span: array-level too
};

struct Run {
  int64_t index = 0;  // 0..N-1: position in plan.jsonl
  size_t point = 0;   // into Plan::points
  int64_t replica = 0;
  contract::SourceSeeds seeds;  // -1 = bitflip off
  std::string run_id;          // hash of the run's params
};

struct ArrayChunk {
  std::string script;  // file name in DIR/slurm/, e.g. "array-000.sbatch"
  int64_t offset = 0;  // its first run's index
  int64_t count = 0;   // runs offset..offset+count-1, in slurm.runs_per_task per array task
  nlohmann::json resources = nlohmann::json::object();
  // The grid's slurm options with this array's environment's and resources applied.
  slurm::SlurmOptions slurm;
  std::string environment;  // its environment's name; "" without environments
  slurm::Software software;  // the environment's modules and container
  std::string trainer;       // the environment's trainer; "" = the sweep's own
  int64_t world_size = 1, nodes = 1;  // each task's ranks and nodes
};

struct Plan {
  std::string name;
  std::string name_json;  // name as a JSON string, written into every plan.jsonl line
  std::vector<Point> points;
  std::vector<Run> runs;
  std::vector<ArrayChunk> arrays;
  std::vector<std::string> warnings;  // e.g. an exclude entry that matches no point
};

// Throws rs::InputError("file:line:col: ...") for points that are invalid for the trainer,
// a preset given together with mode, or duplicate points.
Plan expand_grid(const GridSpec& spec, int64_t max_array_size);

// The full parameters of one run: its point's params plus replica and seeds.
nlohmann::json run_params(const Plan& plan, const Run& run);

// The same as canonical JSON text: equal to run_params(plan, run).dump(), only faster.
std::string run_params_text(const Plan& plan, const Run& run);
void append_run_params_text(std::string& out, const Plan& plan, const Run& run);

// The line plan.jsonl holds for `run` (contract/plan_file.h; no trailing newline).
std::string plan_line(const Plan& plan, const Run& run);
void append_plan_line(std::string& out, const Plan& plan, const Run& run);

// The plan's adaptive points (sweep.json's "adaptive"), in run order.
std::vector<contract::AdaptivePoint> adaptive_points(const Plan& plan);

}  // namespace rs::grid
