// How two models trained under the same parameters differ in their test-set predictions.
//
// Inputs are as in classification.h: row-major float32 logits [n_test, n_classes] of the same
// test set in the same order, computed in double. Throws std::invalid_argument on mismatched
// sizes or empty input.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rs::stats {

// Fraction of test samples whose predicted classes differ ("predictive churn").
double disagreement(const std::vector<int64_t>& predicted_a,
                    const std::vector<int64_t>& predicted_b);

// Pearson correlation of the two flattened logit arrays; nullopt when either is constant
// (its variance is 0 and the correlation is undefined).
std::optional<double> pearson_correlation(const std::vector<float>& a,
                                          const std::vector<float>& b);

// Gain of a two-model ensemble: accuracy of argmax((logits_a + logits_b) / 2) minus the mean
// of the two models' accuracies, as a fraction (ties in the argmax go to the first index).
double ensemble_gain(const std::vector<float>& logits_a, const std::vector<float>& logits_b,
                     int64_t n_classes, const std::vector<int64_t>& labels);

}  // namespace rs::stats
