// Reading a planned sweep folder back: what `sweep run`, `sweep submit` and the collector need
// from plan.jsonl and sweep.json, without the grid file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rs::sweep {

struct PlannedArray {
  std::string script;  // file name in DIR/slurm/
  int64_t offset = 0, count = 0;
  int64_t cpus_per_task = 1, gpus_per_task = 0;
  nlohmann::json resources = nlohmann::json::object();
};

struct PlannedRun {
  int64_t index = 0;
  std::string run_id, group_id;
};

struct PlannedSweep {
  std::string dir;  // absolute
  std::string name;
  int64_t points = 0;
  std::vector<PlannedArray> arrays;
  std::vector<PlannedRun> runs;  // by index
};

// Throws rs::InputError when DIR is not a planned sweep folder (no sweep.json / plan.jsonl).
PlannedSweep read_planned_sweep(const std::string& dir);

// Line `index` (0-based) of a plan.jsonl, parsed. Reads in large blocks so that the last line
// of a million-run plan is found quickly. Throws rs::InputError when there is no such line.
nlohmann::json read_plan_line(const std::string& plan_path, int64_t index);

}  // namespace rs::sweep
