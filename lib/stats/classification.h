// Accuracy and cross-entropy of one model from its test-set logits and labels.
//
// Logits are row-major [n_test, n_classes] float32 as stored in a run file; everything is
// computed in double. The predicted class is the argmax of a row, ties going to the first
// (lowest) index, as numpy.argmax does. Labels must lie in [0, n_classes); functions throw
// std::invalid_argument on empty input or mismatched sizes (the collector checks runs first).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rs::stats {

// Index of the largest of row[0..n_classes); the first one on ties.
int64_t argmax(const float* row, int64_t n_classes);

// The predicted class of every test sample.
std::vector<int64_t> predicted_classes(const std::vector<float>& logits, int64_t n_classes);

// Fraction of samples with predicted == label.
double accuracy(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels);

// Mean over samples of -log softmax(row)[label] = logsumexp(row) - row[label].
double cross_entropy(const std::vector<float>& logits, int64_t n_classes,
                     const std::vector<int64_t>& labels);

// Accuracy on the samples of each class; nullopt for a class with no test sample.
std::vector<std::optional<double>> per_class_accuracy(const std::vector<int64_t>& predicted,
                                                      const std::vector<int64_t>& labels,
                                                      int64_t n_classes);

// Error rates of a binary task, class 1 being "positive":
//   FPR = FP / (FP + TN),  FNR = FN / (FN + TP);  nullopt when the denominator is 0.
struct BinaryRates {
  std::optional<double> fpr, fnr;
};
BinaryRates binary_rates(const std::vector<int64_t>& predicted,
                         const std::vector<int64_t>& labels);

}  // namespace rs::stats
