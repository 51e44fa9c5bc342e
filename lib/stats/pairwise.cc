#include "stats/pairwise.h"

#include <cmath>
#include <stdexcept>

#include "stats/classification.h"

namespace rs::stats {

double disagreement(const std::vector<int64_t>& predicted_a,
                    const std::vector<int64_t>& predicted_b) {
  if (predicted_a.empty() || predicted_a.size() != predicted_b.size()) {
    throw std::invalid_argument("disagreement: predictions differ in size or are empty");
  }
  int64_t differing = 0;
  for (size_t i = 0; i < predicted_a.size(); ++i) differing += predicted_a[i] != predicted_b[i];
  return static_cast<double>(differing) / static_cast<double>(predicted_a.size());
}

std::optional<double> pearson_correlation(const std::vector<float>& a,
                                          const std::vector<float>& b) {
  if (a.empty() || a.size() != b.size()) {
    throw std::invalid_argument("pearson_correlation: arrays differ in size or are empty");
  }
  double mean_a = 0, mean_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    mean_a += a[i];
    mean_b += b[i];
  }
  mean_a /= static_cast<double>(a.size());
  mean_b /= static_cast<double>(b.size());
  double cov = 0, var_a = 0, var_b = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double da = a[i] - mean_a, db = b[i] - mean_b;
    cov += da * db;
    var_a += da * da;
    var_b += db * db;
  }
  if (var_a == 0 || var_b == 0) return std::nullopt;
  return cov / std::sqrt(var_a * var_b);
}

double ensemble_gain(const std::vector<float>& logits_a, const std::vector<float>& logits_b,
                     int64_t n_classes, const std::vector<int64_t>& labels) {
  if (n_classes < 1 || logits_a.size() != labels.size() * n_classes ||
      logits_b.size() != logits_a.size()) {
    throw std::invalid_argument("ensemble_gain: logits do not have one row per label");
  }
  std::vector<double> averaged_row(n_classes);
  std::vector<int64_t> ensemble_predicted(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    for (int64_t c = 0; c < n_classes; ++c) {
      size_t k = i * n_classes + c;
      averaged_row[c] = (static_cast<double>(logits_a[k]) + logits_b[k]) / 2;
    }
    int64_t best = 0;
    for (int64_t c = 1; c < n_classes; ++c) {
      if (averaged_row[c] > averaged_row[best]) best = c;
    }
    ensemble_predicted[i] = best;
  }
  double accuracy_a = accuracy(predicted_classes(logits_a, n_classes), labels);
  double accuracy_b = accuracy(predicted_classes(logits_b, n_classes), labels);
  return accuracy(ensemble_predicted, labels) - (accuracy_a + accuracy_b) / 2;
}

}  // namespace rs::stats
