#include "stats/metric.h"

#include <vector>

#include <catch2/catch.hpp>

using namespace rs::stats;

TEST_CASE("metric names round-trip and unknown names are refused", "[metric]") {
  for (Metric metric : {Metric::kAccuracy, Metric::kMacroF1, Metric::kBalancedAccuracy, Metric::kAuc}) {
    CHECK(parse_metric(metric_name(metric)) == metric);
  }
  CHECK_FALSE(parse_metric("f1").has_value());
  CHECK(metric_name(Metric::kBalancedAccuracy) == "balanced_accuracy");
}

TEST_CASE("macro F1 averages 2TP / (2TP + FP + FN) over the classes that occur", "[metric]") {
  // class 0: TP 1, FP 1, FN 1 -> 0.5; class 1: TP 2, FP 1 -> 0.8; class 2: FN 1 -> 0.
  std::vector<int64_t> labels = {0, 0, 1, 1, 2}, predicted = {0, 1, 1, 1, 0};
  CHECK(macro_f1(predicted, labels, 3) == Approx((0.5 + 0.8 + 0) / 3).epsilon(1e-15));
  // A class seen only as a prediction counts (F1 0); one seen nowhere does not.
  std::vector<int64_t> labels2 = {0, 0, 1}, predicted2 = {0, 2, 1};
  CHECK(macro_f1(predicted2, labels2, 3) == Approx((2.0 / 3 + 1 + 0) / 3).epsilon(1e-15));
  CHECK(macro_f1(predicted2, labels2, 4) == Approx((2.0 / 3 + 1 + 0) / 3).epsilon(1e-15));
}

TEST_CASE("balanced accuracy averages recall over the classes that occur as labels", "[metric]") {
  std::vector<int64_t> labels = {0, 0, 1, 1, 2}, predicted = {0, 1, 1, 1, 0};
  CHECK(balanced_accuracy(predicted, labels, 3) == Approx((0.5 + 1 + 0) / 3).epsilon(1e-15));
  std::vector<int64_t> labels2 = {0, 0, 1}, predicted2 = {0, 2, 1};
  CHECK(balanced_accuracy(predicted2, labels2, 3) == Approx(0.75).epsilon(1e-15));
}

TEST_CASE("AUC counts ordered (positive, negative) pairs, ties as one half", "[metric]") {
  // scikit-learn's roc_auc_score example: scores 0.1 0.4 0.35 0.8 for labels 0 0 1 1 -> 0.75.
  // The logits [0, s] give class 1 the probability sigmoid(s), which orders as s does.
  std::vector<int64_t> labels = {0, 0, 1, 1};
  std::vector<float> logits = {0, 0.1f, 0, 0.4f, 0, 0.35f, 0, 0.8f};
  CHECK(binary_auc(logits, labels) == Approx(0.75).epsilon(1e-15));
  CHECK(binary_auc({1, 1, 2, 2}, {0, 1}) == 0.5);  // both have probability 1/2
  CHECK(binary_auc({0, 1, 1, 0}, {1, 0}) == 1.0);
  CHECK(metric_value(Metric::kAuc, logits, 2, {1, 1, 1, 1}, labels) == Approx(0.75));
}

TEST_CASE("AUC is undefined without two classes and a sample of each", "[metric]") {
  CHECK(metric_undefined_reason(Metric::kAuc, 2, {0, 1, 1}).empty());
  CHECK_FALSE(metric_undefined_reason(Metric::kAuc, 3, {0, 1, 2}).empty());
  CHECK_FALSE(metric_undefined_reason(Metric::kAuc, 2, {1, 1}).empty());
  CHECK(metric_undefined_reason(Metric::kMacroF1, 3, {1, 1}).empty());
}

TEST_CASE("accuracy as a metric is the plain accuracy", "[metric]") {
  CHECK(metric_value(Metric::kAccuracy, {}, 3, {0, 1, 2, 2}, {0, 1, 1, 2}) == 0.75);
}
