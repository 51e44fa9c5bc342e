// The plan id: which plan an array task was submitted for.
//
// `sweep plan` writes it into sweep.json ("plan_id") and into every array script, which passes
// it to the trainer (`--plan-id`). A task that SLURM still holds from before a `sweep plan
// --force` runs the script it was submitted with, so its id is the old plan's: the trainer
// compares it with sweep.json's and refuses to train whatever run now sits at its index.
#pragma once

#include <string>
#include <vector>

namespace rs::contract {

// XXH3 of the run ids in plan order, 16 hex digits: the same runs at the same indices give the
// same id, whatever else (resources, scripts) a new plan changes.
std::string plan_id(const std::vector<std::string>& run_ids);

// The "plan_id" of the sweep.json next to the plan file at `plan_path`; "" when there is none
// (planned before plan ids, or a preflight plan). Throws rs::InputError when sweep.json exists
// and is not JSON.
std::string planned_plan_id(const std::string& plan_path);

}  // namespace rs::contract
