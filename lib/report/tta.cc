#include "report/tta.h"

#include <fmt/format.h>

#include "stats/descriptive.h"
#include "stats/reduction.h"

namespace rs::report {

std::string tta_reduction_formula() {
  return fmt::format("{}, sd_with = tta_acc_sd, sd_without = tta_plain_acc_sd",
                     stats::kReductionFormula);
}

TtaReduction measure_tta(const std::vector<EvaluatedRun>& runs) {
  TtaReduction result;
  for (const auto& run : runs) {
    if (!run.tta_accuracy) continue;
    result.run_ids.push_back(run.record.run_id);
    result.plain_accuracies.push_back(run.accuracy);
    result.tta_accuracies.push_back(*run.tta_accuracy);
  }
  // mean() is nullopt without values, sample_sd() below two.
  result.plain_acc_mean = stats::mean(result.plain_accuracies);
  result.tta_acc_mean = stats::mean(result.tta_accuracies);
  result.plain_acc_sd = stats::sample_sd(result.plain_accuracies);
  result.tta_acc_sd = stats::sample_sd(result.tta_accuracies);
  if (result.plain_acc_sd) {
    result.reduction_pct = stats::reduction_pct(*result.plain_acc_sd, *result.tta_acc_sd);
  }

  if (result.run_ids.empty()) {
    result.notes.push_back(
        "tta_plain_acc_mean, tta_acc_mean, tta_plain_acc_sd, tta_acc_sd, tta_reduction_pct: null: "
        "no stability run has /eval/logits_tta (trained without test-time augmentation)");
  } else if (result.run_ids.size() == 1) {
    result.notes.push_back(
        "tta_plain_acc_sd, tta_acc_sd, tta_reduction_pct: null: one stability run has "
        "/eval/logits_tta; an SD needs two");
  } else if (!result.reduction_pct) {
    result.notes.push_back(
        "tta_reduction_pct: null: the runs' accuracy without TTA does not vary "
        "(tta_plain_acc_sd = 0), so there is no spread to reduce");
  }
  return result;
}

}  // namespace rs::report
