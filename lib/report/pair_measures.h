// What the collector compares between every two runs of a group on the test set
// (docs/statistics.md): how many predictions differ, how many samples their two-model ensemble
// gets right, and how their logits correlate.
//
// A group of 100 runs has 4950 pairs, each comparing [N_test x C] logits. The work goes one
// block of test samples at a time through all pairs, so that every run's block stays in the
// cache while the pairs reuse it, and the pairs are spread over the cores (parallel.h).
#pragma once

#include <optional>
#include <vector>

#include "report/evaluated_run.h"

namespace rs::report {

// One entry per pair i < j, in the order of pairs.h.
struct PairMeasures {
  std::vector<double> disagreement;       // fraction of test samples predicted differently
  std::vector<double> ensemble_accuracy;  // accuracy of argmax((logits_i + logits_j) / 2)
  std::vector<std::optional<double>> correlation;  // Pearson r of the flattened logits;
                                                   // nullopt when a run's logits are constant
};

// `models`: two or more models' predictions on the same test set (equal labels and class
// counts).
PairMeasures measure_pairs(const std::vector<Predictions>& models);

}  // namespace rs::report
