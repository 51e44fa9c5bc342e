#include "report/class_spread.h"

#include <algorithm>
#include <set>

#include "stats/classification.h"
#include "stats/descriptive.h"

namespace rs::report {

namespace {

// Sample SD of values measured in every run; nullopt when one run's value is undefined.
std::optional<double> sd_across_runs(const std::vector<std::optional<double>>& values) {
  std::vector<double> defined;
  for (const auto& value : values) {
    if (!value) return std::nullopt;
    defined.push_back(*value);
  }
  return stats::sample_sd(defined);
}

std::optional<double> ratio(std::optional<double> numerator, std::optional<double> denominator) {
  if (!numerator || !denominator || *denominator == 0) return std::nullopt;
  return *numerator / *denominator;
}

// What one run scores on a subset of the test set.
struct SubsetScores {
  std::optional<double> accuracy, fpr, fnr;
};

SubsetScores score_subset(const EvaluatedRun& run, const std::vector<size_t>& samples) {
  std::vector<int64_t> predicted, labels;
  for (size_t i : samples) {
    predicted.push_back(run.predicted[i]);
    labels.push_back(run.record.labels[i]);
  }
  SubsetScores scores;
  scores.accuracy = stats::accuracy(predicted, labels);
  if (run.record.n_classes == 2) {
    stats::BinaryRates rates = stats::binary_rates(predicted, labels);
    scores.fpr = rates.fpr;
    scores.fnr = rates.fnr;
  }
  return scores;
}

struct ScoreSds {
  std::optional<double> accuracy, fpr, fnr;
};

ScoreSds sds_across_runs(const std::vector<EvaluatedRun>& runs,
                         const std::vector<size_t>& samples) {
  std::vector<std::optional<double>> accuracy, fpr, fnr;
  for (const auto& run : runs) {
    SubsetScores scores = score_subset(run, samples);
    accuracy.push_back(scores.accuracy);
    fpr.push_back(scores.fpr);
    fnr.push_back(scores.fnr);
  }
  return {sd_across_runs(accuracy), sd_across_runs(fpr), sd_across_runs(fnr)};
}

bool same_groups(const std::vector<EvaluatedRun>& runs) {
  return std::all_of(runs.begin(), runs.end(), [&](const EvaluatedRun& run) {
    return run.record.groups == runs[0].record.groups;
  });
}

}  // namespace

ClassSpread measure_class_spread(const std::vector<EvaluatedRun>& runs) {
  ClassSpread spread;
  const runfile::RunRecord& first = runs[0].record;
  std::vector<size_t> all_samples(first.labels.size());
  for (size_t i = 0; i < all_samples.size(); ++i) all_samples[i] = i;
  ScoreSds overall = sds_across_runs(runs, all_samples);

  std::vector<std::vector<std::optional<double>>> class_accuracy(first.n_classes);
  for (const auto& run : runs) {
    auto per_class = stats::per_class_accuracy(run.predicted, run.record.labels, first.n_classes);
    for (int64_t c = 0; c < first.n_classes; ++c) class_accuracy[c].push_back(per_class[c]);
  }
  std::optional<double> max_class_sd;
  for (const auto& accuracies : class_accuracy) {
    spread.per_class_acc_sd.push_back(sd_across_runs(accuracies));
    if (spread.per_class_acc_sd.back()) {
      max_class_sd = std::max(max_class_sd.value_or(0.0), *spread.per_class_acc_sd.back());
    }
  }
  if (std::any_of(spread.per_class_acc_sd.begin(), spread.per_class_acc_sd.end(),
                  [](const auto& sd) { return !sd; })) {
    spread.notes.push_back("per_class_acc_sd: null for classes with no test sample");
  }
  spread.per_class_sd_ratio = ratio(max_class_sd, overall.accuracy);
  if (!spread.per_class_sd_ratio) {
    spread.notes.push_back("per_class_sd_ratio: null: the SD of accuracy is 0");
  }

  if (first.groups.empty()) return spread;
  if (!same_groups(runs)) {
    spread.notes.push_back("subgroups: empty: the runs' /eval/groups differ or some lack them");
    return spread;
  }
  bool any_null_ratio = false;
  for (int64_t subgroup : std::set<int64_t>(first.groups.begin(), first.groups.end())) {
    std::vector<size_t> samples;
    for (size_t i = 0; i < first.groups.size(); ++i) {
      if (first.groups[i] == subgroup) samples.push_back(i);
    }
    ScoreSds sds = sds_across_runs(runs, samples);
    SubgroupSpread entry;
    entry.subgroup = subgroup;
    entry.n_samples = static_cast<int64_t>(samples.size());
    entry.acc_sd = sds.accuracy;
    entry.acc_sd_ratio = ratio(sds.accuracy, overall.accuracy);
    entry.fpr_sd = sds.fpr;
    entry.fpr_sd_ratio = ratio(sds.fpr, overall.fpr);
    entry.fnr_sd = sds.fnr;
    entry.fnr_sd_ratio = ratio(sds.fnr, overall.fnr);
    any_null_ratio = any_null_ratio || !entry.acc_sd_ratio ||
                     (first.n_classes == 2 && (!entry.fpr_sd_ratio || !entry.fnr_sd_ratio));
    spread.subgroups.push_back(entry);
  }
  if (first.n_classes != 2) {
    spread.notes.push_back("subgroups: fpr and fnr are null: defined for binary tasks only");
  }
  if (any_null_ratio) {
    spread.notes.push_back(
        "subgroups: a value is null where a rate is undefined (no negatives or no positives in "
        "the subgroup) or the overall SD it is divided by is 0");
  }
  return spread;
}

}  // namespace rs::report
