// Where in the test set the run-to-run variance sits (seed 001): the SD across runs of each
// class's accuracy and, when the data set has sub-groups (/eval/groups), of each sub-group's
// accuracy and (binary tasks, class 1 positive) FPR = FP / (FP + TN) and FNR = FN / (FN + TP).
// Ratios compare such an SD with the SD of the same measure on the whole test set.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/evaluated_run.h"

namespace rs::report {

struct SubgroupSpread {
  int64_t subgroup = 0;   // the value in /eval/groups
  int64_t n_samples = 0;  // test samples in it
  std::optional<double> acc_sd, acc_sd_ratio;  // ratio: acc_sd / SD of overall accuracy
  std::optional<double> fpr_sd, fpr_sd_ratio;  // binary tasks only
  std::optional<double> fnr_sd, fnr_sd_ratio;  // binary tasks only
};

struct ClassSpread {
  std::vector<std::optional<double>> per_class_acc_sd;  // index = class; null: no test sample
  std::optional<double> per_class_sd_ratio;             // max per_class_acc_sd / SD of accuracy
  std::vector<SubgroupSpread> subgroups;                // sorted by id; empty without sub-groups
  std::vector<std::string> notes;
};

// `runs`: at least two runs evaluated on the same test set (equal labels).
ClassSpread measure_class_spread(const std::vector<EvaluatedRun>& runs);

}  // namespace rs::report
