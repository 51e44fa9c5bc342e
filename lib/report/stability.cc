#include "report/stability.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "stats/descriptive.h"
#include "stats/pairwise.h"
#include "stats/weights.h"

namespace rs::report {

namespace {

// Predictions can only be compared pairwise on the same test samples in the same order.
bool same_test_set(const std::vector<EvaluatedRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [&](const EvaluatedRun& run) {
    return run.record.n_classes == runs[0].record.n_classes &&
           run.record.labels == runs[0].record.labels;
  });
}

bool same_weight_count(const std::vector<EvaluatedRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [&](const EvaluatedRun& run) {
    return run.record.weights_flat.size() == runs[0].record.weights_flat.size();
  });
}

bool same_last_layer_shape(const std::vector<EvaluatedRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [&](const EvaluatedRun& run) {
    return run.record.last_layer_rows == runs[0].record.last_layer_rows &&
           run.record.last_layer_cols == runs[0].record.last_layer_cols;
  });
}

void measure_predictions(const std::vector<EvaluatedRun>& runs, Stability* result) {
  double disagreement_sum = 0, gain_sum = 0, correlation_sum = 0;
  bool correlation_defined = true;
  int64_t pairs = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (size_t j = i + 1; j < runs.size(); ++j) {
      const runfile::RunRecord& a = runs[i].record;
      const runfile::RunRecord& b = runs[j].record;
      disagreement_sum += stats::disagreement(runs[i].predicted, runs[j].predicted);
      gain_sum += stats::ensemble_gain(a.logits, b.logits, a.n_classes, a.labels);
      std::optional<double> r = stats::pearson_correlation(a.logits, b.logits);
      if (r) {
        correlation_sum += *r;
      } else {
        correlation_defined = false;
      }
      ++pairs;
    }
  }
  result->disagreement_pct = 100 * disagreement_sum / static_cast<double>(pairs);
  result->ensemble_delta_pct = 100 * gain_sum / static_cast<double>(pairs);
  if (correlation_defined) {
    result->correlation = correlation_sum / static_cast<double>(pairs);
  } else {
    result->notes.push_back("correlation: null: a run's logits are all equal (no variance)");
  }
}

void measure_weight_distance(const std::vector<EvaluatedRun>& runs, Stability* result) {
  double distance_sum = 0;
  int64_t pairs = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    for (size_t j = i + 1; j < runs.size(); ++j) {
      const std::vector<float>& a = runs[i].record.weights_flat;
      const std::vector<float>& b = runs[j].record.weights_flat;
      std::optional<double> distance = stats::unit_l2_distance(a.data(), b.data(), a.size());
      if (!distance) {
        result->notes.push_back("l2_normalized: null: a run's /weights/flat is empty or all zeros");
        return;
      }
      distance_sum += *distance;
      ++pairs;
    }
  }
  result->l2_normalized = distance_sum / static_cast<double>(pairs);
}

void measure_last_layer_cosine(const std::vector<EvaluatedRun>& runs, Stability* result) {
  const int64_t rows = runs[0].record.last_layer_rows, cols = runs[0].record.last_layer_cols;
  std::vector<int64_t> undefined_epochs;
  for (int64_t epoch = 0; epoch < rows; ++epoch) {
    EpochCosine entry;
    entry.epoch = epoch;
    std::vector<double> cosines;
    bool defined = true;
    for (size_t i = 0; i < runs.size(); ++i) {
      for (size_t j = i + 1; j < runs.size(); ++j) {
        std::optional<double> cosine = stats::cosine_similarity(
            &runs[i].record.last_layer[epoch * cols], &runs[j].record.last_layer[epoch * cols],
            static_cast<size_t>(cols));
        if (cosine) {
          cosines.push_back(*cosine);
        } else {
          defined = false;
        }
      }
    }
    if (defined) {
      entry.max = *std::max_element(cosines.begin(), cosines.end());
      entry.min = *std::min_element(cosines.begin(), cosines.end());
      entry.mean = stats::mean(cosines);
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
  std::vector<double> accuracies, cross_entropies;
  for (const auto& run : runs) {
    accuracies.push_back(run.accuracy);
    cross_entropies.push_back(run.cross_entropy);
  }
  result.acc_sd = stats::sample_sd(accuracies);
  result.acc_sd_ci95 = stats::bootstrap_sd_ci95(accuracies);
  result.ce_sd = stats::sample_sd(cross_entropies);
  result.ce_sd_ci95 = stats::bootstrap_sd_ci95(cross_entropies);

  if (same_test_set(runs)) {
    measure_predictions(runs, &result);
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
