// Does test-time augmentation (TTA) make the runs of a group agree more? Over the group's
// stability runs that have /eval/logits_tta: the SD of their accuracy without TTA (from
// /eval/logits) and with it, and the variability reduction between the two, always printed with
// its formula (stats/reduction.h). Formulas and rules: docs/statistics.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/evaluated_run.h"

namespace rs::report {

// The reduction's formula in the names summary.json gives its two SDs.
std::string tta_reduction_formula();

struct TtaReduction {
  std::vector<std::string> run_ids;  // the runs that have TTA logits, in the group's order
  std::vector<double> plain_accuracies, tta_accuracies;  // theirs, in that order
  std::optional<double> plain_acc_mean, tta_acc_mean;    // nullopt without such runs
  std::optional<double> plain_acc_sd, tta_acc_sd;        // sample SD; nullopt below two runs
  std::optional<double> reduction_pct;  // 100 * (1 - tta_acc_sd / plain_acc_sd)
  std::vector<std::string> notes;       // one per null above, saying why
};

// `runs`: the group's stability runs (one mode), evaluated.
TtaReduction measure_tta(const std::vector<EvaluatedRun>& runs);

}  // namespace rs::report
