#include "report/summary_json.h"

#include <cmath>
#include <stdexcept>

#include "contract/mode.h"
#include "contract/noise_source.h"
#include "energy/energy_format.h"
#include "report/significance.h"
#include "stats/bootstrap.h"

namespace rs::report {

using nlohmann::json;

namespace {

// The last line of defence against NaN in the output: statistics return nullopt for undefined
// values, so a non-finite number here is a bug.
json number(std::optional<double> value) {
  if (!value) return nullptr;
  if (!std::isfinite(*value)) throw std::logic_error("non-finite statistic reached summary.json");
  return *value;
}

json boolean(std::optional<bool> value) { return value ? json(*value) : json(nullptr); }

json interval(const std::optional<stats::Interval>& value) {
  if (!value) return nullptr;
  return json::array({number(value->lo), number(value->hi)});
}

json formulas() {
  json out = {
      {"accuracy", "fraction of test samples with argmax(logits row) == label, ties to the "
                   "first index; from /eval/logits and /eval/labels"},
      {"cross_entropy", "mean over test samples of logsumexp(logits row) - logits[label]"},
      {"metric", "the value compared between runs, x_i: accuracy; macro_f1 = mean over the "
                 "classes that occur as label or prediction of 2 TP / (2 TP + FP + FN); "
                 "balanced_accuracy = mean recall over the classes that occur as label; auc = "
                 "ROC AUC of softmax(logits in float64)[:, 1], ties one half (two classes)"},
      {"nd_mean", "mean of x_i over the ND runs (exactly x_0 when all are equal)"},
      {"nd_sd", "sqrt(sum_i (x_i - nd_mean)^2 / (n_nd - 1))"},
      {"d_value", "mean of the D runs' values (exactly their value when all are equal)"},
      {"d_sd", "sample SD (ddof = 1) of the D runs' values"},
      {"delta_pct", "100 * (nd_mean - d_value) / d_value"},
      {"delta_s", "100 * (max_i x_i - min_i x_i) over the ND runs only (D not included)"},
      {"test", "one-sample: the D runs are one run (one D run, or D runs with byte-identical "
               "/eval/logits); welch: they differ (scipy.stats.ttest_ind(nd, d, "
               "equal_var=False))"},
      {"t_stat", "one-sample: (nd_mean - d_value) / (nd_sd / sqrt(n_nd)); welch: (nd_mean - "
                 "d_value) / sqrt(nd_sd^2 / n_nd + d_sd^2 / n_d)"},
      {"t_df", "one-sample: n_nd - 1; welch: Welch-Satterthwaite (nd_sd^2/n_nd + d_sd^2/n_d)^2 "
               "/ ((nd_sd^2/n_nd)^2/(n_nd - 1) + (d_sd^2/n_d)^2/(n_d - 1))"},
      {"p_value", "2 * P(T_df > |t_stat|), Student t (Boost.Math students_t)"},
      {"significant", "p_value <= 0.05"},
      {"nd_values", "x_i, the metric of each ND run, in the order of nd_run_ids"},
      {"d_values", "the metric of each D run, in the order of d_run_ids"},
      {"nd_accuracies", "the accuracy of each ND run, in the order of nd_run_ids"},
      {"d_accuracies", "the accuracy of each D run, in the order of d_run_ids"},
      {"nd_train_s", "mean train_s of the ND runs"},
      {"d_train_s", "mean train_s of the D runs"},
      {"nd_gpu_s", "mean gpu_s of the ND runs, when every run of the group measured it"},
      {"d_gpu_s", "mean gpu_s of the D runs, when every run of the group measured it"},
      {"overhead_train", "d_train_s / nd_train_s (seed 001's form: above 1, D is slower)"},
      {"overhead_gpu", "d_gpu_s / nd_gpu_s (seed 001's form)"},
      {"overhead_train_pct", "100 * (nd_train_s - d_train_s) / d_train_s (seed 000 Table IV's "
                             "form: below 0, D is slower)"},
      {"overhead_gpu_pct", "100 * (nd_gpu_s - d_gpu_s) / d_gpu_s (seed 000 Table IV's form)"},
      {"nd_train_s_sd", "sample SD (ddof = 1) of train_s over the ND runs"},
      {"d_train_s_sd", "sample SD (ddof = 1) of train_s over the D runs"},
      {"overhead_reliable", "min(nd_train_s, d_train_s) >= 10 s: runs long enough to time"},
      {"d_identical", "D runs with identical seeds have byte-identical /weights/flat and "
                      "/eval/logits"},
      {"acc_sd", "sample SD (ddof = 1) of accuracy over the stability_over runs"},
      {"ce_sd", "sample SD (ddof = 1) of cross_entropy over the stability_over runs"},
      {"acc_sd_ci95", "percentile bootstrap 95 % interval of acc_sd (see bootstrap); below 5 "
                      "runs too narrow to read as 95 % (a note says so)"},
      {"ce_sd_ci95", "percentile bootstrap 95 % interval of ce_sd (see bootstrap)"},
      {"metric_sd", "sample SD (ddof = 1) of the metric over the stability_over runs (acc_sd "
                    "for accuracy)"},
      {"metric_sd_ci95", "percentile bootstrap 95 % interval of metric_sd (see bootstrap)"},
      {"disagreement_pct", "100 * mean over pairs i<j of the fraction of test samples whose "
                           "argmax differs"},
      {"correlation", "mean over pairs i<j of the Pearson correlation of the flattened "
                      "[N_test x C] logits"},
      {"ensemble_delta_pct", "100 * mean over pairs i<j of (accuracy(argmax((logits_i + "
                             "logits_j) / 2)) - (acc_i + acc_j) / 2), percentage points"},
      {"l2_normalized", "mean over pairs i<j of || w_i / ||w_i|| - w_j / ||w_j|| || on "
                        "/weights/flat"},
      {"cosine_last_layer", "per row e of /weights/last_layer (0 = after init): max, min, mean "
                            "over pairs i<j of cos(row_i[e], row_j[e])"},
      {"per_class_acc_sd", "per class c: sample SD over runs of the accuracy on class c"},
      {"per_class_sd_ratio", "max_c per_class_acc_sd[c] / acc_sd"},
      {"subgroups", "per /eval/groups value: sample SD over runs of accuracy, FPR = FP / (FP + "
                    "TN), FNR = FN / (FN + TP) (binary, class 1 positive); *_ratio = that SD / "
                    "the SD of the same measure on the whole test set"},
      {"environments", "the stability_over runs split by environment (name = /env environment, "
                       "the grid's environment, \"\" without one; device = /env gpu_name, or "
                       "cpu_model when it is empty; driver, CUDA, cuDNN and torch versions): "
                       "n, mean, sample SD, min and max of their accuracy"},
      {"portability", "per set of five equal seeds and pair of environments a < b with a D run "
                      "each (the first of each environment): identical = weights_identical and "
                      "logits_identical for every pair (null without pairs)"},
      {"weights_identical", "the two runs' /weights/flat are equal byte for byte"},
      {"logits_identical", "the two runs' /eval/logits are equal byte for byte"},
      {"rel_l2_weights", "||w_a - w_b|| / max(||w_a||, ||w_b||) on /weights/flat"},
      {"disagreement_pct (portability)", "100 * fraction of test samples whose argmax differs "
                                         "between the two runs"},
      {"environment_mismatches", "runs whose /env or /settings cpu_threads differ from what "
                                 "their environment promised in sweep.json (expect, threads)"},
      {"env_range", "max - min over the environments of their mean accuracy (over "
                    "environment means)"},
      {"env_range_runs", "max - min of the accuracy over the individual runs of every "
                         "environment (over runs, seed 003's form); null below two "
                         "environments"},
      {"tta_accuracies", "accuracy from /eval/logits_tta of each stability_over run that has "
                         "it, in the order of tta_run_ids"},
      {"tta_plain_acc_mean", "mean accuracy (from /eval/logits) of the tta_run_ids runs"},
      {"tta_acc_mean", "mean of tta_accuracies"},
      {"tta_plain_acc_sd, tta_plain_ce_sd, tta_plain_disagreement_pct, "
       "tta_plain_correlation, tta_plain_ensemble_delta_pct",
       "acc_sd, ce_sd, disagreement_pct, correlation and ensemble_delta_pct of the tta_run_ids "
       "runs from /eval/logits"},
      {"tta_acc_sd, tta_ce_sd, tta_disagreement_pct, tta_correlation, tta_ensemble_delta_pct",
       "the same from /eval/logits_tta"},
      {"tta_reduction_pct", "per measure, the relative reduction from plain to TTA; each "
                            "key's formula is in tta_reduction_formulas"},
      {"tta_reduction_mean_pct_one_minus_corr", "mean of the five reductions, correlation "
                                                "entering as 1 - corr"},
      {"tta_reduction_mean_pct_corr_change", "mean of the five reductions, correlation "
                                             "entering as its relative change"},
      {"energy", "the group's runs' energy, as `sweep energy` totals it (energy.definitions)"},
      {"devices", "the runs by device: /env gpu_name, or cpu_model for a run without GPU"},
      {"cpu_only", "no run of the group used a GPU"},
      {"cpu_note", "names the groups that ran on CPUs alone and whose ND runs equal their D "
                   "runs exactly: the CPU's deterministic kernels, not a finding"},
      {"mean_abs_delta_pct_significant", "mean |delta_pct| over the significant groups"},
      {"mean_abs_delta_pct_all", "mean |delta_pct| over all groups with a delta_pct"},
      {"n_one_sample", "tested groups whose test is one-sample"},
      {"n_welch", "tested groups whose test is welch"},
  };
  json reductions = json::object();
  for (const auto& reduction : tta_reduction_definitions()) {
    reductions[reduction.key] = reduction.formula;
  }
  out["tta_reduction_formulas"] = reductions;
  return out;
}

json cosine_json(const std::vector<EpochCosine>& cosines) {
  json epoch = json::array(), max = json::array(), min = json::array(), mean = json::array();
  for (const auto& entry : cosines) {
    epoch.push_back(entry.epoch);
    max.push_back(number(entry.max));
    min.push_back(number(entry.min));
    mean.push_back(number(entry.mean));
  }
  return {{"epoch", epoch}, {"max", max}, {"min", min}, {"mean", mean}};
}

json subgroups_json(const std::vector<SubgroupSpread>& subgroups) {
  json list = json::array();
  for (const auto& entry : subgroups) {
    list.push_back({{"subgroup", entry.subgroup},
                    {"n_samples", entry.n_samples},
                    {"acc_sd", number(entry.acc_sd)},
                    {"acc_sd_ratio", number(entry.acc_sd_ratio)},
                    {"fpr_sd", number(entry.fpr_sd)},
                    {"fpr_sd_ratio", number(entry.fpr_sd_ratio)},
                    {"fnr_sd", number(entry.fnr_sd)},
                    {"fnr_sd_ratio", number(entry.fnr_sd_ratio)}});
  }
  return list;
}

json environments_json(const std::vector<EnvironmentStats>& environments) {
  json list = json::array();
  for (const auto& entry : environments) {
    const Environment& e = entry.environment;
    list.push_back({{"name", e.name},
                    {"label", environment_label(e)},
                    {"device", e.device},
                    {"driver_version", e.driver_version},
                    {"cuda_version", e.cuda_version},
                    {"cudnn_version", e.cudnn_version},
                    {"torch_version", e.torch_version},
                    {"run_ids", entry.run_ids},
                    {"n", entry.run_ids.size()},
                    {"mean", number(entry.mean)},
                    {"sd", number(entry.sd)},
                    {"min", number(entry.min)},
                    {"max", number(entry.max)}});
  }
  return list;
}

json seeds_json(const contract::SourceSeeds& seeds) {
  json out = json::object();
  for (contract::NoiseSource source : contract::kNoiseSources) out[contract::noise_source_name(source)] = seeds[source];
  return out;
}

json portability_json(const Portability& portability) {
  json pairs = json::array();
  for (const auto& pair : portability.pairs) {
    pairs.push_back({{"environments", {pair.environment_a.name, pair.environment_b.name}},
                     {"labels", {environment_label(pair.environment_a), environment_label(pair.environment_b)}},
                     {"run_ids", {pair.run_a, pair.run_b}},
                     {"seeds", seeds_json(pair.seeds)},
                     {"weights_identical", pair.weights_identical},
                     {"logits_identical", pair.logits_identical},
                     {"rel_l2_weights", number(pair.rel_l2_weights)},
                     {"disagreement_pct", number(pair.disagreement_pct)}});
  }
  return {{"identical", boolean(portability.identical)}, {"pairs", pairs}};
}

json devices_json(const std::vector<DeviceRuns>& devices) {
  json list = json::array();
  for (const auto& device : devices) {
    list.push_back({{"device", device.device}, {"gpu", device.gpu}, {"runs", device.runs}});
  }
  return list;
}

json group_json(const GroupStats& group, const energy::SiteConfig& site) {
  const NdVsD& nd_vs_d = group.nd_vs_d;
  const Stability& stability = group.stability;
  json per_class = json::array();
  for (const auto& sd : stability.class_spread.per_class_acc_sd) per_class.push_back(number(sd));
  json reductions = json::object();
  for (const auto& reduction : group.tta.reductions) {
    reductions[reduction.key] = number(reduction.pct);
  }
  return {
      {"group_id", group.group_id},
      {"params", group.params},
      {"nd_run_ids", group.nd_run_ids},
      {"d_run_ids", group.d_run_ids},
      {"nd_values", group.nd_values},
      {"d_values", group.d_values},
      {"nd_accuracies", group.nd_accuracies},
      {"d_accuracies", group.d_accuracies},
      {"n_nd", nd_vs_d.n_nd},
      {"n_d", nd_vs_d.n_d},
      {"nd_mean", number(nd_vs_d.nd_mean)},
      {"nd_sd", number(nd_vs_d.nd_sd)},
      {"d_value", number(nd_vs_d.d_value)},
      {"d_sd", number(nd_vs_d.d_sd)},
      {"delta_pct", number(nd_vs_d.delta_pct)},
      {"delta_s", number(nd_vs_d.nd_range_pp)},
      {"test", nd_vs_d.test ? json(stats::t_test_name(*nd_vs_d.test)) : json(nullptr)},
      {"t_stat", number(nd_vs_d.t_stat)},
      {"t_df", number(nd_vs_d.t_df)},
      {"p_value", number(nd_vs_d.p_value)},
      {"significant", boolean(nd_vs_d.significant)},
      {"nd_train_s", number(nd_vs_d.nd_train_s)},
      {"d_train_s", number(nd_vs_d.d_train_s)},
      {"nd_train_s_sd", number(nd_vs_d.nd_train_s_sd)},
      {"d_train_s_sd", number(nd_vs_d.d_train_s_sd)},
      {"overhead_reliable", boolean(nd_vs_d.overhead_reliable)},
      {"nd_gpu_s", number(nd_vs_d.nd_gpu_s)},
      {"d_gpu_s", number(nd_vs_d.d_gpu_s)},
      {"overhead_train", number(nd_vs_d.overhead_train)},
      {"overhead_gpu", number(nd_vs_d.overhead_gpu)},
      {"overhead_train_pct", number(nd_vs_d.overhead_train_pct)},
      {"overhead_gpu_pct", number(nd_vs_d.overhead_gpu_pct)},
      {"d_identical", boolean(group.determinism.d_identical)},
      {"determinism_failed", group.determinism.d_identical == false},
      {"d_differing_run_ids", group.determinism.differing_run_ids},
      {"stability_over", contract::mode_name(group.stability_over)},
      {"stability_n", stability.n_runs},
      {"acc_sd", number(stability.acc_sd)},
      {"acc_sd_ci95", interval(stability.acc_sd_ci95)},
      {"metric_sd", number(stability.metric_sd)},
      {"metric_sd_ci95", interval(stability.metric_sd_ci95)},
      {"ce_sd", number(stability.ce_sd)},
      {"ce_sd_ci95", interval(stability.ce_sd_ci95)},
      {"disagreement_pct", number(stability.disagreement_pct)},
      {"correlation", number(stability.correlation)},
      {"ensemble_delta_pct", number(stability.ensemble_delta_pct)},
      {"l2_normalized", number(stability.l2_normalized)},
      {"cosine_last_layer", cosine_json(stability.cosine_last_layer)},
      {"per_class_acc_sd", per_class},
      {"per_class_sd_ratio", number(stability.class_spread.per_class_sd_ratio)},
      {"subgroups", subgroups_json(stability.class_spread.subgroups)},
      {"environments", environments_json(group.environments.environments)},
      {"env_range", number(group.environments.range)},
      {"env_range_runs", number(group.environments.range_runs)},
      {"portability", portability_json(group.portability)},
      {"tta_n", group.tta.run_ids.size()},
      {"tta_run_ids", group.tta.run_ids},
      {"tta_accuracies", group.tta.tta_accuracies},
      {"tta_plain_acc_mean", number(group.tta.plain_acc_mean)},
      {"tta_acc_mean", number(group.tta.tta_acc_mean)},
      {"tta_plain_acc_sd", number(group.tta.plain.acc_sd)},
      {"tta_acc_sd", number(group.tta.tta.acc_sd)},
      {"tta_plain_ce_sd", number(group.tta.plain.ce_sd)},
      {"tta_ce_sd", number(group.tta.tta.ce_sd)},
      {"tta_plain_disagreement_pct", number(group.tta.plain.disagreement_pct)},
      {"tta_disagreement_pct", number(group.tta.tta.disagreement_pct)},
      {"tta_plain_correlation", number(group.tta.plain.correlation)},
      {"tta_correlation", number(group.tta.tta.correlation)},
      {"tta_plain_ensemble_delta_pct", number(group.tta.plain.ensemble_delta_pct)},
      {"tta_ensemble_delta_pct", number(group.tta.tta.ensemble_delta_pct)},
      {"tta_reduction_pct", reductions},
      {"tta_reduction_mean_pct_one_minus_corr", number(group.tta.mean_one_minus_corr.pct)},
      {"tta_reduction_mean_pct_corr_change", number(group.tta.mean_corr_change.pct)},
      {"energy", energy::totals_json(group.energy, site)},
      {"devices", devices_json(group.devices)},
      {"cpu_only", group.cpu_only},
      {"notes", group_notes(group)},
  };
}

// The site factors with their sources, the definitions and the total over all groups, in the
// shape of `sweep energy --format json`.
json energy_json(const SweepSummary& summary) {
  json out = {{"definitions", energy::energy_definitions()},
              {"total", energy::totals_json(total_energy(summary), summary.site)}};
  out.update(energy::site_json(summary.site));
  return out;
}

json significance_json(const std::vector<GroupStats>& groups) {
  json rows = json::array();
  for (const auto& row : significance_by_dataset_optimizer(groups)) {
    rows.push_back({{"dataset", row.dataset},
                    {"optimizer", row.optimizer},
                    {"n_groups", row.n_groups},
                    {"n_tested", row.n_tested},
                    {"n_significant", row.n_significant},
                    {"n_one_sample", row.n_one_sample},
                    {"n_welch", row.n_welch},
                    {"mean_abs_delta_pct_significant", number(row.mean_abs_delta_pct_significant)},
                    {"mean_abs_delta_pct_all", number(row.mean_abs_delta_pct_all)}});
  }
  return rows;
}

}  // namespace

json summary_to_json(const SweepSummary& summary) {
  json groups = json::array();
  json failed_groups = json::array();
  for (const auto& group : summary.groups) {
    groups.push_back(group_json(group, summary.site));
    if (group.determinism.d_identical == false) failed_groups.push_back(group.group_id);
  }
  std::string note = cpu_note(summary);
  json mismatches = json::array();
  for (const auto& broken : summary.broken_promises) {
    mismatches.push_back({{"run_id", broken.run_id}, {"environment", broken.environment}, {"problems", broken.problems}});
  }
  json skipped = json::array();
  for (const auto& run : summary.skipped) {
    skipped.push_back({{"path_or_run_id", run.path_or_run_id}, {"reason", run.reason}});
  }
  json out = {
      {"schema", kSummarySchema},
      {"sweep", summary.sweep_name},
      {"metric", stats::metric_name(summary.metric)},
      {"runs_planned", summary.runs_planned},
      {"runs_read", summary.runs_read},
      {"n_groups", summary.groups.size()},
      {"devices", devices_json(sweep_devices(summary))},
      {"cpu_note", note.empty() ? json(nullptr) : json(note)},
      {"determinism_failed", determinism_failed(summary)},
      {"determinism_failed_groups", failed_groups},
      {"environment_mismatches", mismatches},
      {"sd_convention", "sample SD, ddof = 1"},
      {"significance_level", kSignificanceLevel},
      {"bootstrap",
       {{"method", "percentile"},
        {"resamples", stats::kBootstrapResamples},
        {"seed", stats::kBootstrapSeed},
        {"indices", "index k of resample b = splitmix64_at(seed, b * n + k) mod n"}}},
      {"energy", energy_json(summary)},
      {"formulas", formulas()},
      {"skipped", skipped},
      {"missing", summary.missing_run_ids},
      {"by_dataset_optimizer", significance_json(summary.groups)},
      {"groups", groups},
  };
  // Only for a sweep with adaptive points: every other summary.json stays as it was.
  if (!summary.adaptive.empty()) out["adaptive"] = adaptive_stops_json(summary.adaptive);
  // Only for a sweep planned with --forecast-from.
  if (summary.forecast) out["forecast"] = forecast_check_json(*summary.forecast);
  return out;
}

}  // namespace rs::report
