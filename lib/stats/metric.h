// The value compared between runs: final test accuracy by default, or another classification
// score (`sweep collect --metric`), each as scikit-learn defines it:
//
//   accuracy           fraction of samples with predicted == label
//   macro_f1           mean over classes of 2 TP / (2 TP + FP + FN); the classes are those that
//                      occur as a label or a prediction (f1_score(average="macro"))
//   balanced_accuracy  mean over the classes that occur as a label of their recall
//                      TP / (TP + FN) (balanced_accuracy_score)
//   auc                two classes only: area under the ROC curve of the softmax probability of
//                      class 1 computed in double, ties counted as one half
//                      (roc_auc_score(y, softmax(logits.astype(float64))[:, 1]))
//
// The predicted class is the argmax of a logits row (classification.h). Values are fractions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rs::stats {

enum class Metric { kAccuracy, kMacroF1, kBalancedAccuracy, kAuc };

// "accuracy", "macro_f1", "balanced_accuracy", "auc": the names of the command line and of
// summary.json.
std::string metric_name(Metric metric);
std::optional<Metric> parse_metric(const std::string& name);
// What a table title calls it: "accuracy", "macro F1", "balanced accuracy", "AUC".
std::string metric_label(Metric metric);

// Why `metric` is undefined for a test set with these labels, or "" when it is defined: AUC
// needs two classes and a sample of each.
std::string metric_undefined_reason(Metric metric, int64_t n_classes,
                                    const std::vector<int64_t>& labels);

// The metric of one model. `logits` ([n, n_classes] row-major) are read for AUC only.
// Precondition: metric_undefined_reason() is "".
double metric_value(Metric metric, const std::vector<float>& logits, int64_t n_classes,
                    const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels);

// The scores themselves.
double macro_f1(const std::vector<int64_t>& predicted, const std::vector<int64_t>& labels,
                int64_t n_classes);
double balanced_accuracy(const std::vector<int64_t>& predicted,
                         const std::vector<int64_t>& labels, int64_t n_classes);
// `logits` has two columns; class 1 is positive. The probability of class 1 is computed as
// softmax computes it (exp of the row minus its maximum, over their sum), in double, so that
// samples tie exactly where scikit-learn's ranking of scipy.special.softmax's output ties.
double binary_auc(const std::vector<float>& logits, const std::vector<int64_t>& labels);

}  // namespace rs::stats
