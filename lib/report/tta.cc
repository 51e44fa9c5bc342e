#include "report/tta.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "stats/descriptive.h"
#include "stats/reduction.h"

namespace rs::report {

namespace {

// 100 * (1 - with / without) of one measure, in summary.json's names.
NamedReduction plain_reduction(const std::string& measure, std::optional<double> without,
                               std::optional<double> with) {
  NamedReduction result{measure,
                        fmt::format("100 * (1 - tta_{0} / tta_plain_{0})", measure), {}};
  if (without && with) result.pct = stats::reduction_pct(*without, *with);
  return result;
}

NamedReduction correlation_reduction(bool one_minus, std::optional<double> without,
                                     std::optional<double> with) {
  NamedReduction result;
  if (one_minus) {
    result.key = "correlation_one_minus_corr";
    result.formula = "100 * (1 - (1 - tta_correlation) / (1 - tta_plain_correlation))";
    if (without && with) result.pct = stats::one_minus_corr_reduction_pct(*without, *with);
  } else {
    result.key = "correlation_corr_change";
    result.formula = "100 * (tta_correlation - tta_plain_correlation) / tta_plain_correlation";
    if (without && with) result.pct = stats::corr_change_pct(*without, *with);
  }
  return result;
}

// The mean of the reductions `members` (keys), null when one of them is; `field` is its name
// in summary.json, for the note.
NamedReduction mean_reduction(const std::string& key, const std::string& field,
                              const std::vector<NamedReduction>& all,
                              const std::vector<std::string>& members,
                              std::vector<std::string>* notes) {
  NamedReduction result{key,
                        fmt::format("mean of tta_reduction_pct {}", fmt::join(members, ", ")),
                        {}};
  std::vector<double> values;
  std::vector<std::string> undefined;
  for (const auto& reduction : all) {
    if (std::find(members.begin(), members.end(), reduction.key) == members.end()) continue;
    if (reduction.pct) {
      values.push_back(*reduction.pct);
    } else {
      undefined.push_back(reduction.key);
    }
  }
  if (undefined.empty()) {
    result.pct = stats::mean(values);
  } else {
    notes->push_back(fmt::format("{}: null: the reduction of {} is undefined", field,
                                 fmt::join(undefined, ", ")));
  }
  return result;
}

// A note for each reduction of two or more runs that is null although no note above explains
// it: its denominator is zero.
void explain_undefined(const TtaReduction& tta, std::vector<std::string>* notes) {
  for (const auto& reduction : tta.reductions) {
    if (reduction.pct) continue;
    bool correlation = reduction.key.rfind("correlation", 0) == 0;
    bool pairwise = correlation || reduction.key == "disagreement_pct" ||
                    reduction.key == "ensemble_delta_pct";
    // Pairwise measures of runs on different test sets, or a correlation of constant logits:
    // the notes of measure_tta say why.
    if (pairwise && !tta.plain.same_test_set) continue;
    if (correlation && (tta.plain.constant_logits || tta.tta.constant_logits)) continue;
    if (reduction.key == "correlation_one_minus_corr") {
      notes->push_back("tta_reduction_pct.correlation_one_minus_corr: null: the plain logits "
                       "correlate perfectly (tta_plain_correlation = 1), nothing to reduce");
    } else if (reduction.key == "correlation_corr_change") {
      notes->push_back("tta_reduction_pct.correlation_corr_change: null: "
                       "tta_plain_correlation = 0 (division by zero)");
    } else {
      notes->push_back(fmt::format(
          "tta_reduction_pct.{0}: null: tta_plain_{0} is 0 (no spread to reduce)", reduction.key));
    }
  }
}

}  // namespace

TtaReduction measure_tta(const std::vector<EvaluatedRun>& runs) {
  TtaReduction result;
  std::vector<Predictions> plain, tta;
  std::vector<double> plain_accuracies;
  for (const auto& run : runs) {
    if (!run.tta_accuracy) continue;
    result.run_ids.push_back(run.record.run_id);
    plain_accuracies.push_back(run.accuracy);
    result.tta_accuracies.push_back(*run.tta_accuracy);
    plain.push_back(plain_predictions(run));
    tta.push_back(tta_predictions(run));
  }
  // mean() is nullopt without values.
  result.plain_acc_mean = stats::mean(plain_accuracies);
  result.tta_acc_mean = stats::mean(result.tta_accuracies);
  result.plain = measure_prediction_spread(plain);
  result.tta = measure_prediction_spread(tta);

  const PredictionSpread &a = result.plain, &b = result.tta;
  result.reductions = {
      plain_reduction("acc_sd", a.acc_sd, b.acc_sd),
      plain_reduction("ce_sd", a.ce_sd, b.ce_sd),
      plain_reduction("disagreement_pct", a.disagreement_pct, b.disagreement_pct),
      correlation_reduction(true, a.correlation, b.correlation),
      correlation_reduction(false, a.correlation, b.correlation),
      plain_reduction("ensemble_delta_pct", a.ensemble_delta_pct, b.ensemble_delta_pct),
  };

  if (result.run_ids.empty()) {
    result.notes.push_back(
        "tta_* measures and reductions: null: no stability run has /eval/logits_tta (trained "
        "without test-time augmentation)");
  } else if (result.run_ids.size() == 1) {
    result.notes.push_back(
        "tta_plain_* and tta_* spreads, tta_reduction_pct, tta_reduction_mean_*: null: one "
        "stability run has /eval/logits_tta; a spread needs two");
  } else {
    if (!a.same_test_set) {
      result.notes.push_back(
          "tta_plain_disagreement_pct, tta_disagreement_pct, tta_plain_correlation, "
          "tta_correlation, tta_plain_ensemble_delta_pct, tta_ensemble_delta_pct: null: the "
          "runs' test labels or class counts differ");
    }
    if (a.constant_logits || b.constant_logits) {
      result.notes.push_back(fmt::format(
          "{}: null: a run's {} logits are all equal (no variance)",
          a.constant_logits ? "tta_plain_correlation" : "tta_correlation",
          a.constant_logits ? "plain" : "TTA"));
    }
    explain_undefined(result, &result.notes);
  }
  std::vector<std::string> notes_of_means;
  result.mean_one_minus_corr = mean_reduction(
      "mean_one_minus_corr", "tta_reduction_mean_pct_one_minus_corr", result.reductions,
      {"acc_sd", "ce_sd", "disagreement_pct", "correlation_one_minus_corr", "ensemble_delta_pct"},
      &notes_of_means);
  result.mean_corr_change = mean_reduction(
      "mean_corr_change", "tta_reduction_mean_pct_corr_change", result.reductions,
      {"acc_sd", "ce_sd", "disagreement_pct", "correlation_corr_change", "ensemble_delta_pct"},
      &notes_of_means);
  // Without two TTA runs the note above already says why everything is null.
  if (result.run_ids.size() >= 2) {
    result.notes.insert(result.notes.end(), notes_of_means.begin(), notes_of_means.end());
  }
  return result;
}

std::vector<NamedReduction> all_reductions(const TtaReduction& tta) {
  std::vector<NamedReduction> all = tta.reductions;
  all.push_back(tta.mean_one_minus_corr);
  all.push_back(tta.mean_corr_change);
  return all;
}

std::vector<NamedReduction> tta_reduction_definitions() {
  // Of no runs: every key and formula, every value null.
  return all_reductions(measure_tta({}));
}

}  // namespace rs::report
