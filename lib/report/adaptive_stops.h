// Why each adaptive point stopped adding replicas (sweep/waves.h; docs/statistics.md, "Stopping
// rule"): the collector checks every adaptive point's rule on the runs it read, with the same
// function the waves decided with, and says per point whether the rule holds, max was reached,
// or neither (waves still to come, or runs that failed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/adaptive_repeat.h"
#include "contract/plan_file.h"
#include "report/group_stats.h"
#include "sweep/waves.h"

namespace rs::report {

enum class StopReason { kRuleMet, kReachedMax, kOpen };

struct AdaptiveStop {
  contract::AdaptivePoint point;
  std::string group_id, mode;  // mode "" when none of its runs was read
  sweep::StoppingCheck check;  // over the runs read, in replica order
  StopReason reason = StopReason::kOpen;
  // Replicas after the wave it stopped in: never asked for, so not missing.
  std::vector<std::string> not_needed_run_ids;
};

// The adaptive points DIR/sweep.json lists, checked against the runs of `groups`; empty for a
// sweep without them. `planned`: plan.jsonl's runs, by index. Throws rs::InputError for an
// unreadable sweep.json.
std::vector<AdaptiveStop> adaptive_stops(const std::string& sweep_dir, const std::vector<contract::PlannedRun>& planned,
                                         const std::vector<GroupStats>& groups);

// "rule met at 15 runs", "reached max (100 runs); rule not met", "rule not met at 7 of 20 runs:
// waves still to come, or runs failed".
std::string stop_reason_text(const AdaptiveStop& stop);

nlohmann::json adaptive_stops_json(const std::vector<AdaptiveStop>& stops);

// The final test accuracy of every run of `groups`, by run id.
sweep::RunAccuracies run_accuracies(const std::vector<GroupStats>& groups);

}  // namespace rs::report
