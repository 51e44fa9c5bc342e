#include "stats/classification.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "stats/vector_math.h"

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
  // logsumexp(row) = max + log(sum exp(row - max)): subtracting the row's maximum keeps exp()
  // from overflowing. The exponentials and logarithms are taken a block of rows at a time in
  // vector passes (vector_math.h), not one call per value; a block stays in the cache.
  const size_t rows = labels.size(), columns = static_cast<size_t>(n_classes);
  const size_t kBlockRows = 256;
  std::vector<double> row_max(kBlockRows), shifted(kBlockRows * columns), log_sum(kBlockRows);
  double total = 0;
  for (size_t first = 0; first < rows; first += kBlockRows) {
    const size_t count = std::min(kBlockRows, rows - first);
    for (size_t i = 0; i < count; ++i) {
      check_label(labels[first + i], n_classes);
      const float* row = &logits[(first + i) * columns];
      row_max[i] = row[argmax(row, n_classes)];
      for (size_t c = 0; c < columns; ++c) shifted[i * columns + c] = row[c] - row_max[i];
    }
    exp_in_place(shifted.data(), count * columns);
    for (size_t i = 0; i < count; ++i) {
      log_sum[i] = 0;
      for (size_t c = 0; c < columns; ++c) log_sum[i] += shifted[i * columns + c];
    }
    log_in_place(log_sum.data(), count);
    for (size_t i = 0; i < count; ++i)
      total += row_max[i] + log_sum[i] - logits[(first + i) * columns + labels[first + i]];
  }
  return total / static_cast<double>(rows);
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
