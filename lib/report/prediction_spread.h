// How much models' test-set predictions differ: the five measures seed 002 averages its
// variability reduction over (docs/statistics.md). The stability table takes them from the
// plain logits of a group's runs; the TTA comparison (tta.h) from the plain and the
// test-time-augmented logits of the same runs.
#pragma once

#include <optional>
#include <vector>

#include "report/evaluated_run.h"

namespace rs::report {

struct PredictionSpread {
  std::optional<double> acc_sd;              // sample SD (ddof = 1) of the accuracies
  std::optional<double> ce_sd;               // sample SD of the cross-entropies
  std::optional<double> disagreement_pct;    // 100 * mean fraction of differing predictions
  std::optional<double> correlation;         // mean Pearson r of the flattened logits
  std::optional<double> ensemble_delta_pct;  // 100 * mean two-model ensemble gain
  // Why the pairwise measures are null: not the same test set (labels or class counts differ),
  // or a model's logits are constant (Pearson's r undefined).
  bool same_test_set = true;
  bool constant_logits = false;
};

// Every measure needs two models or more; with fewer all are null.
PredictionSpread measure_prediction_spread(const std::vector<Predictions>& models);

}  // namespace rs::report
