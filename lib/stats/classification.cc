#include "stats/classification.h"

#include <cmath>
#include <stdexcept>

namespace rs::stats {

namespace {

void check_sizes(size_t n_predicted, size_t n_labels) {
  if (n_labels == 0) throw std::invalid_argument("no test samples");
  if (n_predicted != n_labels) throw std::invalid_argument("predictions and labels differ in size");
}

void check_label(int64_t label, int64_t n_classes) {
  if (label < 0 || label >= n_classes) throw std::invalid_argument("label out of range");
}

}  // namespace

int64_t argmax(const float* row, int64_t n_classes) {
  // The best value is kept rather than re-read as row[best]: each step then waits on a
  // compare, not on a load.
  int64_t best = 0;
  float best_value = row[0];
  for (int64_t c = 1; c < n_classes; ++c) {
    if (row[c] > best_value) {
      best = c;
      best_value = row[c];
    }
  }
  return best;
}

std::vector<int64_t> predicted_classes(const std::vector<float>& logits, int64_t n_classes) {
  if (n_classes < 1 || logits.size() % n_classes != 0) {
    throw std::invalid_argument("logits are not a whole number of rows");
  }
  std::vector<int64_t> predicted(logits.size() / n_classes);
  for (size_t i = 0; i < predicted.size(); ++i) {
    predicted[i] = argmax(&logits[i * n_classes], n_classes);
  }
  return predicted;
}

double accuracy(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels) {
  check_sizes(predicted.size(), labels.size());
  int64_t correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i];
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

double cross_entropy(const std::vector<float>& logits, int64_t n_classes,
                     const std::vector<int64_t>& labels) {
  if (n_classes < 1 || logits.size() != labels.size() * n_classes) {
    throw std::invalid_argument("logits do not have one row per label");
  }
  if (labels.empty()) throw std::invalid_argument("no test samples");
  double total = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    check_label(labels[i], n_classes);
    const float* row = &logits[i * n_classes];
    // Subtract the row's maximum before exponentiating so that exp() cannot overflow.
    double row_max = row[argmax(row, n_classes)];
    double sum_exp = 0;
    for (int64_t c = 0; c < n_classes; ++c) sum_exp += std::exp(row[c] - row_max);
    double log_sum_exp = row_max + std::log(sum_exp);
    total += log_sum_exp - row[labels[i]];
  }
  return total / static_cast<double>(labels.size());
}

std::vector<std::optional<double>> per_class_accuracy(const std::vector<int64_t>& predicted,
                                                      const std::vector<int64_t>& labels,
                                                      int64_t n_classes) {
  check_sizes(predicted.size(), labels.size());
  std::vector<int64_t> correct(n_classes, 0), total(n_classes, 0);
  for (size_t i = 0; i < labels.size(); ++i) {
    check_label(labels[i], n_classes);
    total[labels[i]] += 1;
    correct[labels[i]] += predicted[i] == labels[i];
  }
  std::vector<std::optional<double>> result(n_classes);
  for (int64_t c = 0; c < n_classes; ++c) {
    if (total[c] > 0) result[c] = static_cast<double>(correct[c]) / static_cast<double>(total[c]);
  }
  return result;
}

BinaryRates binary_rates(const std::vector<int64_t>& predicted,
                         const std::vector<int64_t>& labels) {
  check_sizes(predicted.size(), labels.size());
  int64_t tp = 0, fp = 0, tn = 0, fn = 0;
  for (size_t i = 0; i < labels.size(); ++i) {
    bool predicted_positive = predicted[i] == 1;
    bool actually_positive = labels[i] == 1;
    if (predicted_positive && actually_positive) ++tp;
    if (predicted_positive && !actually_positive) ++fp;
    if (!predicted_positive && actually_positive) ++fn;
    if (!predicted_positive && !actually_positive) ++tn;
  }
  BinaryRates rates;
  if (fp + tn > 0) rates.fpr = static_cast<double>(fp) / static_cast<double>(fp + tn);
  if (fn + tp > 0) rates.fnr = static_cast<double>(fn) / static_cast<double>(fn + tp);
  return rates;
}

}  // namespace rs::stats
