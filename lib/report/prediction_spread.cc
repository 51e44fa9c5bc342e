#include "report/prediction_spread.h"

#include <algorithm>

#include "report/pair_measures.h"
#include "stats/descriptive.h"

namespace rs::report {

namespace {

// Predictions can only be compared pairwise on the same test samples in the same order.
bool same_test_set(const std::vector<Predictions>& models) {
  return std::all_of(models.begin(), models.end(), [&](const Predictions& model) {
    return model.n_classes == models[0].n_classes && *model.labels == *models[0].labels;
  });
}

}  // namespace

PredictionSpread measure_prediction_spread(const std::vector<Predictions>& models) {
  PredictionSpread result;
  if (models.size() < 2) return result;
  std::vector<double> accuracies, cross_entropies;
  for (const auto& model : models) {
    accuracies.push_back(model.accuracy);
    cross_entropies.push_back(model.cross_entropy);
  }
  result.acc_sd = stats::sample_sd(accuracies);
  result.ce_sd = stats::sample_sd(cross_entropies);
  result.same_test_set = same_test_set(models);
  if (!result.same_test_set) return result;

  PairMeasures pairs = measure_pairs(models);
  std::vector<double> gains, correlations;
  size_t p = 0;
  for (size_t i = 0; i < models.size(); ++i) {
    for (size_t j = i + 1; j < models.size(); ++j, ++p) {
      gains.push_back(pairs.ensemble_accuracy[p] - (models[i].accuracy + models[j].accuracy) / 2);
    }
  }
  for (const auto& r : pairs.correlation) {
    if (r) correlations.push_back(*r);
  }
  result.disagreement_pct = 100 * *stats::mean(pairs.disagreement);
  result.ensemble_delta_pct = 100 * *stats::mean(gains);
  result.constant_logits = correlations.size() != pairs.correlation.size();
  if (!result.constant_logits) result.correlation = stats::mean(correlations);
  return result;
}

}  // namespace rs::report
