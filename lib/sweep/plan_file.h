// A sweep's plan.jsonl, one run per line (written by `sweep plan`, lib/sweep/write_plan.h):
//
//   {"index": N, "run_id": "<16 hex>", "group_id": "<16 hex>", "sweep": "<name>", "params": {...}}
//
// Line N (0-based) holds index N. The trainer reads one line; `sweep run`, `sweep submit` and
// the collector read the ids of all of them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace rs::sweep {

struct PlanEntry {
  int64_t index = -1;
  std::string run_id, group_id, sweep;
  nlohmann::json params;  // parse_train_config() checks it
};

// Reads line `index` of the plan at `path`: through the plan's index (plan_index.h), a few
// hundred bytes whatever the plan's size, or, without one, by scanning the file in large blocks
// for newlines. Throws rs::InputError when the file cannot be read or has no such line, when
// the line is not an entry as above, or when its "index" is not `index`.
PlanEntry read_plan_entry(const std::string& path, int64_t index);

// The entry that `text`, line `index` of the plan at `path`, holds; throws as above.
PlanEntry parse_plan_entry(const std::string& path, int64_t index, const std::string& text);

struct PlannedRun {
  int64_t index = 0;
  std::string run_id, group_id;
};

struct PlanIds {
  std::string sweep;             // the sweep's name ("" for an empty plan)
  std::vector<PlannedRun> runs;  // by index
};

// The ids of every run in the plan at `path`, without their params. Throws rs::InputError
// ("path:line: ...") on a line that is not an entry as above or out of order.
PlanIds read_plan_ids(const std::string& path);

}  // namespace rs::sweep
