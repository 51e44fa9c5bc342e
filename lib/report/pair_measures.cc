#include "report/pair_measures.h"

#include <algorithm>
#include <cmath>

#include "report/pairs.h"
#include "util/parallel.h"
#include "stats/pairwise.h"

namespace rs::report {

namespace {

// Test samples per block: 256 samples of 10 classes are 20 KB of doubles per run, so the block
// of all runs of a 100-run group (2 MB) stays in the cache.
constexpr int64_t kBlockSamples = 256;

}  // namespace

PairMeasures measure_pairs(const std::vector<Predictions>& models) {
  const int64_t n = static_cast<int64_t>(models.size());
  const int64_t n_classes = models[0].n_classes;
  const int64_t n_samples = static_cast<int64_t>(models[0].labels->size());
  const int64_t* labels = models[0].labels->data();
  // For Pearson's r: each model's mean logit, and the sum of squared deviations from it (added
  // up block by block below).
  std::vector<double> means, sum_sq(n, 0.0);
  for (const auto& model : models) {
    const std::vector<float>& logits = *model.logits;
    means.push_back(stats::sum(logits.data(), static_cast<int64_t>(logits.size())) /
                    static_cast<double>(logits.size()));
  }

  std::vector<int64_t> differing(pair_count(n), 0), ensemble_correct(pair_count(n), 0);
  std::vector<double> covariance(pair_count(n), 0.0);
  std::vector<std::vector<double>> centered(n, std::vector<double>(kBlockSamples * n_classes));
  for (int64_t start = 0; start < n_samples; start += kBlockSamples) {
    const int64_t samples = std::min(kBlockSamples, n_samples - start);
    const int64_t offset = start * n_classes, values = samples * n_classes;
    for (int64_t r = 0; r < n; ++r) {
      const float* logits = models[r].logits->data() + offset;
      const double mean = means[r];
      for (int64_t k = 0; k < values; ++k) centered[r][k] = logits[k] - mean;
      sum_sq[r] += stats::dot_product(centered[r].data(), centered[r].data(), values);
    }
    // Each pair's sums grow block by block in this order, whichever thread adds to them.
    parallel_for(n, [&](int64_t i) {
      const Predictions& a = models[i];
      for (int64_t j = i + 1; j < n; ++j) {
        const Predictions& b = models[j];
        int64_t p = pair_index(i, j, n);
        stats::PredictionCounts counts = stats::compare_predictions(
            a.logits->data() + offset, b.logits->data() + offset, a.predicted->data() + start,
            b.predicted->data() + start, labels + start, samples, n_classes);
        differing[p] += counts.differing;
        ensemble_correct[p] += counts.ensemble_correct;
        covariance[p] += stats::dot_product(centered[i].data(), centered[j].data(), values);
      }
    });
  }

  PairMeasures measures;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t j = i + 1; j < n; ++j) {
      int64_t p = pair_index(i, j, n);
      double samples = static_cast<double>(n_samples);
      measures.disagreement.push_back(static_cast<double>(differing[p]) / samples);
      measures.ensemble_accuracy.push_back(static_cast<double>(ensemble_correct[p]) / samples);
      double variances = sum_sq[i] * sum_sq[j];
      std::optional<double> r;  // undefined for a constant run (sum_sq 0)
      if (variances > 0) r = covariance[p] / std::sqrt(variances);
      measures.correlation.push_back(r);
    }
  }
  return measures;
}

}  // namespace rs::report
