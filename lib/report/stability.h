// How much the runs of one group differ from each other (seeds 001 and 002): the SD of their
// final test accuracy and cross-entropy, and pairwise measures over all pairs i < j.
// Formulas and the rules for undefined values: docs/statistics.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/class_spread.h"
#include "report/evaluated_run.h"
#include "stats/bootstrap.h"

namespace rs::report {

// Cosine similarity of the runs' last-layer weights after one epoch, over all pairs.
struct EpochCosine {
  int64_t epoch = 0;  // row of /weights/last_layer: 0 = after initialisation
  std::optional<double> max, min, mean;
};

// A percentile bootstrap interval of so few values is too narrow to be a 95 % interval; below
// this many runs every interval carries a note saying so.
inline constexpr int64_t kBootstrapCaveatBelow = 5;

struct Stability {
  int64_t n_runs = 0;
  std::optional<double> acc_sd;  // sample SD (ddof = 1) of final test accuracy
  std::optional<stats::Interval> acc_sd_ci95;
  // The SD of the compared metric (EvaluatedRun::value); equal to acc_sd for accuracy.
  std::optional<double> metric_sd;
  std::optional<stats::Interval> metric_sd_ci95;
  std::optional<double> ce_sd;  // sample SD of final test cross-entropy
  std::optional<stats::Interval> ce_sd_ci95;
  std::optional<double> disagreement_pct;    // 100 * mean fraction of differing predictions
  std::optional<double> correlation;         // mean Pearson r of flattened logits
  std::optional<double> ensemble_delta_pct;  // 100 * mean two-model ensemble gain
  std::optional<double> l2_normalized;       // mean unit-normalised L2 distance of weights
  std::vector<EpochCosine> cosine_last_layer;
  ClassSpread class_spread;
  std::vector<std::string> notes;  // one per null above, saying why
};

// `runs`: the group's runs of one mode. Fewer than two gives all-null measures and a note.
Stability measure_stability(const std::vector<EvaluatedRun>& runs);

}  // namespace rs::report
