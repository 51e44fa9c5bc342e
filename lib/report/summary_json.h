// DIR/results/summary.json: every number the collector computes, with the formula of each.
//
// A value that is not defined is null, and the group's "notes" say why; no NaN or infinity is
// ever written. Accuracies are fractions, *_pct values percent. tests/report/check_summary.py
// recomputes every number from the run files.
#pragma once

#include <nlohmann/json.hpp>

#include "report/sweep_summary.h"

namespace rs::report {

inline constexpr char kSummarySchema[] = "reprosweep-summary/3";

nlohmann::json summary_to_json(const SweepSummary& summary);

}  // namespace rs::report
