#include "report/stability.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/pairs.h"
#include "report/prediction_spread.h"
#include "util/parallel.h"
#include "report/weight_blocks.h"
#include "stats/descriptive.h"
#include "stats/pairwise.h"

namespace rs::report {

namespace {

bool same_weight_count(const std::vector<EvaluatedRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [&](const EvaluatedRun& run) {
    return run.weights.size == runs[0].weights.size;
  });
}

bool same_last_layer_shape(const std::vector<EvaluatedRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [&](const EvaluatedRun& run) {
    return run.record.last_layer_rows == runs[0].record.last_layer_rows &&
           run.record.last_layer_cols == runs[0].record.last_layer_cols;
  });
}

void measure_weight_distance(const std::vector<EvaluatedRun>& runs, Stability* result) {
  std::vector<std::string> paths;
  std::vector<double> norms;
  for (const auto& run : runs) {
    if (run.weights.norm == 0) {
      result->notes.push_back("l2_normalized: null: a run's /weights/flat is empty or all zeros");
      return;
    }
    paths.push_back(run.path);
    norms.push_back(run.weights.norm);
  }
  result->l2_normalized = stats::mean(unit_l2_distances(paths, norms));
}

void measure_last_layer_cosine(const std::vector<EvaluatedRun>& runs, Stability* result) {
  const int64_t n = static_cast<int64_t>(runs.size());
  const int64_t rows = runs[0].record.last_layer_rows, cols = runs[0].record.last_layer_cols;
  auto row = [&](int64_t r, int64_t epoch) { return &runs[r].record.last_layer[epoch * cols]; };
  // Each row's norm once, so that a pair costs one dot product per epoch.
  std::vector<std::vector<double>> norms(n, std::vector<double>(rows));
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t e = 0; e < rows; ++e) {
      norms[r][e] = std::sqrt(stats::dot_product(row(r, e), row(r, e), cols));
    }
  }
  // cosines[e][p]: epoch e, pair p (pairs.h); nullopt where a row is all zeros.
  std::vector<std::vector<std::optional<double>>> cosines(
      rows, std::vector<std::optional<double>>(pair_count(n)));
  parallel_for(n, [&](int64_t i) {
    for (int64_t j = i + 1; j < n; ++j) {
      for (int64_t e = 0; e < rows; ++e) {
        if (norms[i][e] == 0 || norms[j][e] == 0) continue;
        cosines[e][pair_index(i, j, n)] =
            stats::dot_product(row(i, e), row(j, e), cols) / (norms[i][e] * norms[j][e]);
      }
    }
  });

  std::vector<int64_t> undefined_epochs;
  for (int64_t epoch = 0; epoch < rows; ++epoch) {
    EpochCosine entry;
    entry.epoch = epoch;
    std::vector<double> defined;
    for (const auto& cosine : cosines[epoch]) {
      if (cosine) defined.push_back(*cosine);
    }
    if (defined.size() == cosines[epoch].size()) {
      entry.max = *std::max_element(defined.begin(), defined.end());
      entry.min = *std::min_element(defined.begin(), defined.end());
      entry.mean = stats::mean(defined);
    } else {
      undefined_epochs.push_back(epoch);
    }
    result->cosine_last_layer.push_back(entry);
  }
  if (rows == 0) {
    result->notes.push_back("cosine_last_layer: empty: /weights/last_layer has no rows");
  }
  if (!undefined_epochs.empty()) {
    result->notes.push_back(fmt::format(
        "cosine_last_layer: null at epochs {}: a run's last-layer row is all zeros",
        fmt::join(undefined_epochs, ", ")));
  }
}

}  // namespace

Stability measure_stability(const std::vector<EvaluatedRun>& runs) {
  Stability result;
  result.n_runs = static_cast<int64_t>(runs.size());
  if (runs.size() < 2) {
    result.notes.push_back(
        "stability measures (acc_sd ... cosine_last_layer, per-class and subgroup SDs): null: "
        "fewer than two runs of one mode to compare");
    return result;
  }
  std::vector<double> accuracies, cross_entropies, values;
  for (const auto& run : runs) {
    accuracies.push_back(run.accuracy);
    cross_entropies.push_back(run.cross_entropy);
    values.push_back(run.value);
  }
  std::vector<Predictions> models;
  for (const auto& run : runs) models.push_back(plain_predictions(run));
  PredictionSpread spread = measure_prediction_spread(models);
  result.acc_sd = spread.acc_sd;
  result.acc_sd_ci95 = stats::bootstrap_sd_ci95(accuracies);
  result.ce_sd = spread.ce_sd;
  result.ce_sd_ci95 = stats::bootstrap_sd_ci95(cross_entropies);
  result.metric_sd = stats::sample_sd(values);
  result.metric_sd_ci95 = stats::bootstrap_sd_ci95(values);
  if (result.n_runs < kBootstrapCaveatBelow) {
    result.notes.push_back(fmt::format(
        "acc_sd_ci95, ce_sd_ci95, metric_sd_ci95: caution: a bootstrap of n = {} runs; below {} "
        "the percentile interval is too narrow to be read as a 95 % interval",
        result.n_runs, kBootstrapCaveatBelow));
  }

  if (spread.same_test_set) {
    result.disagreement_pct = spread.disagreement_pct;
    result.correlation = spread.correlation;
    result.ensemble_delta_pct = spread.ensemble_delta_pct;
    if (spread.constant_logits) {
      result.notes.push_back("correlation: null: a run's logits are all equal (no variance)");
    }
    result.class_spread = measure_class_spread(runs);
  } else {
    result.notes.push_back(
        "disagreement_pct, correlation, ensemble_delta_pct, per-class and subgroup SDs: null: "
        "the runs' test labels or class counts differ");
  }
  if (same_weight_count(runs)) {
    measure_weight_distance(runs, &result);
  } else {
    result.notes.push_back("l2_normalized: null: the runs' /weights/flat differ in length");
  }
  if (same_last_layer_shape(runs)) {
    measure_last_layer_cosine(runs, &result);
  } else {
    result.notes.push_back("cosine_last_layer: empty: the runs' /weights/last_layer shapes differ");
  }
  return result;
}

}  // namespace rs::report
