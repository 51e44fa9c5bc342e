// Does test-time augmentation (TTA) make the runs of a group agree more? Seed 002 measures it as
// a variability reduction: over the group's stability runs that have /eval/logits_tta, each of
// five measures of spread (prediction_spread.h) from the plain logits and from the TTA logits,
// the relative reduction of each, and their average. Correlation enters that average in one of
// two forms that seed 002's original and replication mixed up (stats/reduction.h), so both
// averages are reported, and every reduction is printed with its formula.
// Formulas and rules: docs/statistics.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "report/evaluated_run.h"
#include "report/prediction_spread.h"

namespace rs::report {

// One reduction figure: its key in summary.json's `tta_reduction_pct`, its formula in
// summary.json's field names, and its value.
struct NamedReduction {
  std::string key;
  std::string formula;
  std::optional<double> pct;
};

struct TtaReduction {
  std::vector<std::string> run_ids;  // the runs that have TTA logits, in the group's order
  std::vector<double> tta_accuracies;                    // theirs, in that order
  std::optional<double> plain_acc_mean, tta_acc_mean;    // nullopt without such runs
  PredictionSpread plain, tta;  // the five measures over those runs, without and with TTA
  // The reduction of each measure, keys acc_sd, ce_sd, disagreement_pct,
  // correlation_one_minus_corr, correlation_corr_change, ensemble_delta_pct, in that order.
  std::vector<NamedReduction> reductions;
  // The average of the five, correlation as 1 - corr / as its relative change; keys
  // mean_one_minus_corr and mean_corr_change. Null when one of the five is.
  NamedReduction mean_one_minus_corr, mean_corr_change;
  std::vector<std::string> notes;  // one per null above, saying why
};

// `runs`: the group's stability runs (one mode), evaluated.
TtaReduction measure_tta(const std::vector<EvaluatedRun>& runs);

// The reductions and the two averages in one list, in the order above.
std::vector<NamedReduction> all_reductions(const TtaReduction& tta);

// Their keys and formulas alone (no values), for summary.json's `formulas`.
std::vector<NamedReduction> tta_reduction_definitions();

}  // namespace rs::report
