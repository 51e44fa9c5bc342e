// One run as the statistics see it: its run file plus the numbers every statistic starts from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runfile/run_file.h"

namespace rs::report {

struct EvaluatedRun {
  runfile::RunRecord record;
  std::vector<int64_t> predicted;  // argmax of each /eval/logits row (ties: first index)
  double accuracy = 0;             // final test accuracy, the x_i of docs/statistics.md
  double cross_entropy = 0;        // final test cross-entropy
};

// Why `record` (read with all parts) cannot enter the statistics, or "" when it can: a mode
// other than nd or d, params_json that is not JSON, no test samples, labels or groups of the
// wrong length, a label outside [0, n_classes), or NaN or infinite values in the logits or
// weights (a diverged run, which the collector lists as skipped rather than letting NaN into
// every statistic of its group).
std::string unusable_reason(const runfile::RunRecord& record);

// Computes predictions, accuracy and cross-entropy. `record` must be usable.
EvaluatedRun evaluate_run(runfile::RunRecord record);

}  // namespace rs::report
