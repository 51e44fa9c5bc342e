#include "stats/metric.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

#include "stats/classification.h"

namespace rs::stats {

namespace {

struct MetricName {
  Metric metric;
  const char* name;
  const char* label;
};

constexpr MetricName kMetricNames[] = {
    {Metric::kAccuracy, "accuracy", "accuracy"},
    {Metric::kMacroF1, "macro_f1", "macro F1"},
    {Metric::kBalancedAccuracy, "balanced_accuracy", "balanced accuracy"},
    {Metric::kAuc, "auc", "AUC"},
};

const MetricName& entry(Metric metric) {
  for (const auto& e : kMetricNames) {
    if (e.metric == metric) return e;
  }
  throw std::logic_error("unknown metric");
}

// Per class: how often it is the label, the prediction, and both.
struct ClassCounts {
  std::vector<int64_t> as_label, as_prediction, correct;
};

ClassCounts count_classes(const std::vector<int64_t>& predicted,
                          const std::vector<int64_t>& labels, int64_t n_classes) {
  if (labels.empty() || predicted.size() != labels.size()) {
    throw std::invalid_argument("predictions and labels differ in size or are empty");
  }
  ClassCounts counts{std::vector<int64_t>(n_classes, 0), std::vector<int64_t>(n_classes, 0),
                     std::vector<int64_t>(n_classes, 0)};
  for (size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0 || labels[i] >= n_classes) throw std::invalid_argument("label out of range");
    counts.as_label[labels[i]] += 1;
    counts.as_prediction[predicted[i]] += 1;
    counts.correct[labels[i]] += predicted[i] == labels[i];
  }
  return counts;
}

}  // namespace

std::string metric_name(Metric metric) { return entry(metric).name; }

std::string metric_label(Metric metric) { return entry(metric).label; }

std::optional<Metric> parse_metric(const std::string& name) {
  for (const auto& e : kMetricNames) {
    if (name == e.name) return e.metric;
  }
  return std::nullopt;
}

std::string metric_undefined_reason(Metric metric, int64_t n_classes,
                                    const std::vector<int64_t>& labels) {
  if (metric != Metric::kAuc) return "";
  if (n_classes != 2) {
    return fmt::format("--metric auc needs a two-class task; this run has {} classes", n_classes);
  }
  bool has_negative = std::count(labels.begin(), labels.end(), 0) > 0;
  bool has_positive = std::count(labels.begin(), labels.end(), 1) > 0;
  if (!has_negative || !has_positive) {
    return "--metric auc needs test samples of both classes; this run's labels hold one";
  }
  return "";
}

double metric_value(Metric metric, const std::vector<float>& logits, int64_t n_classes,
                    const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels) {
  switch (metric) {
    case Metric::kAccuracy: return accuracy(predicted, labels);
    case Metric::kMacroF1: return macro_f1(predicted, labels, n_classes);
    case Metric::kBalancedAccuracy: return balanced_accuracy(predicted, labels, n_classes);
    case Metric::kAuc: return binary_auc(logits, labels);
  }
  throw std::logic_error("unknown metric");
}

double macro_f1(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels,
                int64_t n_classes) {
  ClassCounts counts = count_classes(predicted, labels, n_classes);
  double sum = 0;
  int64_t classes = 0;
  for (int64_t c = 0; c < n_classes; ++c) {
    int64_t tp = counts.correct[c];
    int64_t fp = counts.as_prediction[c] - tp, fn = counts.as_label[c] - tp;
    if (tp + fp + fn == 0) continue;  // neither a label nor a prediction: not a class here
    sum += 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
    classes += 1;
  }
  return sum / static_cast<double>(classes);
}

double balanced_accuracy(const std::vector<int64_t>& predicted,
                         const std::vector<int64_t>& labels, int64_t n_classes) {
  ClassCounts counts = count_classes(predicted, labels, n_classes);
  double sum = 0;
  int64_t classes = 0;
  for (int64_t c = 0; c < n_classes; ++c) {
    if (counts.as_label[c] == 0) continue;  // recall undefined; scikit-learn leaves it out
    sum += static_cast<double>(counts.correct[c]) / static_cast<double>(counts.as_label[c]);
    classes += 1;
  }
  return sum / static_cast<double>(classes);
}

double binary_auc(const std::vector<float>& logits, const std::vector<int64_t>& labels) {
  const size_t n = labels.size();
  if (n == 0 || logits.size() != 2 * n) throw std::invalid_argument("AUC needs two logits per label");
  std::vector<double> score(n);
  for (size_t i = 0; i < n; ++i) {
    double a = logits[2 * i], b = logits[2 * i + 1], top = std::max(a, b);
    double exp_a = std::exp(a - top), exp_b = std::exp(b - top);
    score[i] = exp_b / (exp_a + exp_b);
  }
  // Mann-Whitney: the positives' ranks among all scores (tied scores share their mean rank)
  // give the number of (positive, negative) pairs ordered right, ties counting one half.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t i, size_t j) { return score[i] < score[j]; });
  double positive_rank_sum = 0, positives = 0;
  for (size_t first = 0; first < n;) {
    size_t last = first;
    while (last + 1 < n && score[order[last + 1]] == score[order[first]]) ++last;
    double mean_rank = (static_cast<double>(first + last) + 2) / 2;  // ranks start at 1
    for (size_t k = first; k <= last; ++k) {
      if (labels[order[k]] == 1) {
        positive_rank_sum += mean_rank;
        positives += 1;
      }
    }
    first = last + 1;
  }
  double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) throw std::invalid_argument("AUC needs both classes");
  return (positive_rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace rs::stats
