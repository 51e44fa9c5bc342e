// One run as the statistics see it: its run file plus the numbers every statistic starts from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/weight_blocks.h"
#include "runfile/run_file.h"
#include "stats/metric.h"

namespace rs::report {

struct EvaluatedRun {
  std::string path;  // the run file; /weights/flat is read from it in blocks (weight_blocks.h)
  runfile::RunRecord record;       // without /metrics and /weights/flat (weights_flat is empty)
  WeightsScan weights;             // size, finiteness and norm of /weights/flat
  std::vector<int64_t> predicted;  // argmax of each /eval/logits row (ties: first index)
  double accuracy = 0;             // final test accuracy
  double cross_entropy = 0;        // final test cross-entropy
  // The metric the collector compares (accuracy unless `sweep collect --metric` chose
  // another): the x_i of docs/statistics.md.
  double value = 0;
  // The grid's environment the run belongs to (its params' `environment`); "" = none.
  std::string environment;
  // The same from /eval/logits_tta (test-time augmentation), for runs that have it. Only the
  // TTA measures (tta.h) use them: every other statistic starts from /eval/logits.
  std::vector<int64_t> tta_predicted;
  std::optional<double> tta_accuracy, tta_cross_entropy;
};

// The runs' `value`s (the metric compared) and their accuracies, in the runs' order.
std::vector<double> metric_values(const std::vector<EvaluatedRun>& runs);
std::vector<double> accuracies(const std::vector<EvaluatedRun>& runs);

// One model's predictions on the test set, as the measures that compare runs read them: the
// plain ones (/eval/logits) or those with test-time augmentation (/eval/logits_tta). Points
// into an EvaluatedRun, which must outlive it.
struct Predictions {
  const std::vector<float>* logits = nullptr;      // [n_test x n_classes], row-major
  const std::vector<int64_t>* predicted = nullptr;  // argmax of each row
  const std::vector<int64_t>* labels = nullptr;
  int64_t n_classes = 0;
  double accuracy = 0, cross_entropy = 0;
};

Predictions plain_predictions(const EvaluatedRun& run);
// Precondition: the run has TTA logits (tta_accuracy is set).
Predictions tta_predictions(const EvaluatedRun& run);

// Why `record` (read with eval, last_layer and run_info) cannot enter the statistics, or "" when
// it can: a mode other than nd or d, params_json that is not JSON, no test samples, labels or
// groups of the wrong length, a label outside [0, n_classes), NaN or infinite values in the
// logits, TTA logits or last layer (a diverged run, which the collector lists as skipped rather
// than letting NaN into every statistic of its group) or in /timing or /energy, or `metric`
// undefined for its test set (stats/metric.h; that reason starts with "--metric").
std::string unusable_reason(const runfile::RunRecord& record, stats::Metric metric);

// Reads the run file at `path` for the statistics: everything but /metrics (no statistic uses
// them) and /weights/flat, which it scans into `weights`. Returns nullopt and sets *why_not when the run cannot enter the
// statistics: the file does not read, unusable_reason() says why, or a weight is NaN or
// infinite.
std::optional<EvaluatedRun> read_run(const std::string& path, stats::Metric metric,
                                     std::string* why_not);

// Computes predicted, accuracy, cross_entropy, value (of `metric`), environment and the tta_*
// fields of a run
// from read_run(). Apart from reading so that the collector can read a group's files one by one
// (HDF5 is not thread-safe here) and evaluate them on all cores.
void evaluate(EvaluatedRun* run, stats::Metric metric);

}  // namespace rs::report
