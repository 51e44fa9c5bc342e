// One line of a sweep's plan.jsonl: the run that array index N of the sweep trains.
//
//   {"index": N, "run_id": "<16 hex>", "group_id": "<16 hex>", "sweep": "<name>", "params": {...}}
//
// Line N (0-based) holds index N.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace rs::train {

struct PlanEntry {
  int64_t index = -1;
  std::string run_id, group_id, sweep;
  nlohmann::json params;  // parse_train_config() checks it
};

// Reads line `index` of the plan at `path`. The file is scanned in large blocks for newlines,
// so a line near the end of a plan of millions of runs is found in milliseconds. Throws
// rs::InputError when the file cannot be read or has no such line, when the line is not an
// entry as above, or when its "index" is not `index`.
PlanEntry read_plan_entry(const std::string& path, int64_t index);

}  // namespace rs::train
