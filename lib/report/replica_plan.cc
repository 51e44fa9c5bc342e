#include "report/replica_plan.h"

#include <cmath>

#include <fmt/format.h>

#include "report/number_text.h"
#include "report/result_tables.h"
#include "stats/descriptive.h"
#include "stats/replicas.h"
#include "util/error.h"

namespace rs::report {

namespace {

using nlohmann::json;

std::optional<double> in_pp(std::optional<double> fraction) {
  if (!fraction) return std::nullopt;
  return 100 * *fraction;
}

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }
json optional_json(const std::optional<int64_t>& value) { return value ? json(*value) : json(nullptr); }

std::string count_cell(const std::optional<int64_t>& n) {
  return n ? std::to_string(*n) : std::string(kUndefined);
}

void plan_sd(const GroupStats& group, const PowerTargets& targets, ReplicaPlan* plan) {
  plan->sd_over = group.stability_over;
  const std::vector<double>& runs =
      group.stability_over == contract::Mode::kNd ? group.nd_accuracies : group.d_accuracies;
  plan->sd_runs = static_cast<int64_t>(runs.size());
  plan->acc_sd_pp = in_pp(stats::sample_sd(runs));
  if (!plan->acc_sd_pp) {
    plan->notes.push_back("acc_sd, replicas_for_sd_halfwidth: null: fewer than two runs of one mode");
    return;
  }
  plan->acc_sd_ci_halfwidth_pp = stats::sd_ci_halfwidth(*plan->acc_sd_pp, plan->sd_runs, targets.alpha);
  plan->replicas_for_sd_halfwidth =
      stats::replicas_for_sd_halfwidth(*plan->acc_sd_pp, targets.sd_halfwidth_pp, targets.alpha);
  if (plan->replicas_for_sd_halfwidth) {
    plan->sd_ci_halfwidth_at_replicas_pp =
        stats::sd_ci_halfwidth(*plan->acc_sd_pp, *plan->replicas_for_sd_halfwidth, targets.alpha);
  }
  if (*plan->acc_sd_pp == 0) {
    plan->notes.push_back("replicas_for_sd_halfwidth: the pilot's runs agree exactly (SD 0), so the "
                          "count is the fewest runs that have an SD; it says nothing about runs "
                          "that differ");
  } else if (!plan->replicas_for_sd_halfwidth) {
    plan->notes.push_back(fmt::format("replicas_for_sd_halfwidth: null: more than {} runs",
                                      stats::kMaxReplicas));
  }
}

void plan_difference(const GroupStats& group, const PowerTargets& targets, ReplicaPlan* plan) {
  plan->n_nd = static_cast<int64_t>(group.nd_accuracies.size());
  plan->n_d = static_cast<int64_t>(group.d_accuracies.size());
  plan->nd_sd_pp = in_pp(stats::sample_sd(group.nd_accuracies));
  if (!plan->nd_sd_pp || plan->n_d == 0 || !group.nd_vs_d.test) {
    plan->notes.push_back("replicas_for_difference: null: needs two ND runs and a D run");
    return;
  }
  plan->test = group.nd_vs_d.test;
  // The one-sample test takes D as a known value: no spread of its own.
  plan->d_sd_pp = *plan->test == stats::TTestKind::kWelch
                      ? in_pp(stats::sample_sd(group.d_accuracies))
                      : std::optional<double>(0.0);
  plan->replicas_for_difference = stats::replicas_for_power(
      targets.difference_pp, *plan->nd_sd_pp, *plan->d_sd_pp, targets.power, targets.alpha);
  if (plan->replicas_for_difference) {
    plan->power_at_replicas = stats::t_test_power(targets.difference_pp, *plan->nd_sd_pp, *plan->d_sd_pp,
                                                  *plan->replicas_for_difference, targets.alpha);
  }
  if (*plan->nd_sd_pp == 0 && *plan->d_sd_pp == 0) {
    plan->notes.push_back("replicas_for_difference: the pilot's runs of each mode agree exactly "
                          "(SD 0), so any difference is found with the fewest runs; it says "
                          "nothing about runs that differ");
  } else if (!plan->replicas_for_difference) {
    plan->notes.push_back(fmt::format("replicas_for_difference: null: more than {} runs",
                                      stats::kMaxReplicas));
  }
}

}  // namespace

void check_targets(const PowerTargets& targets) {
  auto refuse = [](const char* option, const char* expected, double value) {
    throw InputError(fmt::format("{}: expected {}, got {}", option, expected, value));
  };
  if (!(targets.sd_halfwidth_pp > 0)) refuse("--sd-halfwidth", "percentage points > 0", targets.sd_halfwidth_pp);
  if (!(targets.difference_pp > 0)) refuse("--difference", "percentage points > 0", targets.difference_pp);
  if (!(targets.alpha > 0 && targets.alpha < 1)) refuse("--alpha", "a level between 0 and 1", targets.alpha);
  if (!(targets.power > 0 && targets.power < 1)) refuse("--power", "a power between 0 and 1", targets.power);
}

std::vector<ReplicaPlan> plan_replicas(const SweepSummary& summary, const PowerTargets& targets) {
  std::vector<ReplicaPlan> plans;
  for (const auto& group : summary.groups) {
    ReplicaPlan plan;
    plan_sd(group, targets, &plan);
    plan_difference(group, targets, &plan);
    plans.push_back(plan);
  }
  return plans;
}

namespace {

json method_json(const PowerTargets& targets) {
  return {
      {"values", "final test accuracy of each run, in percentage points; SDs are sample SDs (ddof = 1)"},
      {"sd_halfwidth",
       fmt::format("smallest n >= 2 with s/2 (sqrt((n-1)/chi2({:g}; n-1)) - sqrt((n-1)/chi2({:g}; "
                   "n-1))) <= {:g}: the chi-square {:g} % interval of an SD from n normal values, "
                   "s the pilot's SD",
                   targets.alpha / 2, 1 - targets.alpha / 2, targets.sd_halfwidth_pp,
                   100 * (1 - targets.alpha))},
      {"difference",
       fmt::format("smallest n >= 2 with power >= {:g} of the two-sided t-test at alpha {:g} for a "
                   "true difference of {:g} pp: P(|T'| > t(1-alpha/2; df)), T' noncentral t with "
                   "ncp = difference / sqrt((nd_sd^2 + d_sd^2) / n) and df = (n-1) (nd_sd^2 + "
                   "d_sd^2)^2 / (nd_sd^4 + d_sd^4); one-sample (d_sd = 0, df = n-1): n ND runs "
                   "against the D value; Welch: n runs in each mode",
                   targets.power, targets.alpha, targets.difference_pp)},
      {"assumptions",
       "normally distributed run values whose true SD is the pilot's sample SD; the counts are as "
       "uncertain as the pilot's SD"},
  };
}

}  // namespace

json replica_plans_to_json(const SweepSummary& summary, const PowerTargets& targets,
                           const std::vector<ReplicaPlan>& plans) {
  json groups = json::array();
  for (size_t g = 0; g < plans.size(); ++g) {
    const ReplicaPlan& plan = plans[g];
    const GroupStats& group = summary.groups[g];
    groups.push_back({
        {"group", g + 1},
        {"group_id", group.group_id},
        {"params", group.params},
        {"sd_over", contract::mode_name(plan.sd_over)},
        {"sd_runs", plan.sd_runs},
        {"acc_sd_pp", optional_json(plan.acc_sd_pp)},
        {"acc_sd_ci_halfwidth_pp", optional_json(plan.acc_sd_ci_halfwidth_pp)},
        {"replicas_for_sd_halfwidth", optional_json(plan.replicas_for_sd_halfwidth)},
        {"sd_ci_halfwidth_at_replicas_pp", optional_json(plan.sd_ci_halfwidth_at_replicas_pp)},
        {"n_nd", plan.n_nd},
        {"n_d", plan.n_d},
        {"test", plan.test ? json(stats::t_test_name(*plan.test)) : json(nullptr)},
        {"nd_sd_pp", optional_json(plan.nd_sd_pp)},
        {"d_sd_pp", optional_json(plan.d_sd_pp)},
        {"replicas_for_difference", optional_json(plan.replicas_for_difference)},
        {"power_at_replicas", optional_json(plan.power_at_replicas)},
        {"notes", plan.notes},
    });
  }
  json skipped = json::array();
  for (const auto& run : summary.skipped) {
    skipped.push_back({{"path_or_run_id", run.path_or_run_id}, {"reason", run.reason}});
  }
  return {
      {"sweep", summary.sweep_name},
      {"targets",
       {{"sd_halfwidth_pp", targets.sd_halfwidth_pp},
        {"difference_pp", targets.difference_pp},
        {"alpha", targets.alpha},
        {"power", targets.power}}},
      {"method", method_json(targets)},
      {"groups", groups},
      {"skipped", skipped},
  };
}

Table replica_table(const SweepSummary& summary, const PowerTargets& targets,
                    const std::vector<ReplicaPlan>& plans) {
  Table table;
  table.title = fmt::format("{}: replicas needed", summary.sweep_name);
  table.headers = {"#", "group", "over", "n", "acc_sd%", "CI +-", fmt::format("n for +-{:g}", targets.sd_halfwidth_pp),
                   "test", "nd_sd%", "d_sd%", fmt::format("n for {:g}pp", targets.difference_pp)};
  table.align = "rllrrrrlrrr";
  table.group_columns = 2;
  std::vector<std::string> labels = group_labels(summary);
  for (size_t g = 0; g < plans.size(); ++g) {
    const ReplicaPlan& plan = plans[g];
    table.rows.push_back({std::to_string(g + 1), labels[g], contract::mode_name(plan.sd_over),
                          std::to_string(plan.sd_runs), fixed(plan.acc_sd_pp, 2),
                          fixed(plan.acc_sd_ci_halfwidth_pp, 2), count_cell(plan.replicas_for_sd_halfwidth),
                          plan.test ? stats::t_test_name(*plan.test) : kUndefined, fixed(plan.nd_sd_pp, 2),
                          fixed(plan.d_sd_pp, 2), count_cell(plan.replicas_for_difference)});
  }
  table.footnotes.push_back(fmt::format(
      "n for +-{0:g}: runs for a {1:g} % interval of acc_sd no wider than +-{0:g} pp (chi-square "
      "interval of an SD from normal values; CI +-: its half-width with the pilot's n).",
      targets.sd_halfwidth_pp, 100 * (1 - targets.alpha)));
  table.footnotes.push_back(fmt::format(
      "n for {:g}pp: runs for power {:g} of the collector's two-sided t-test at alpha {:g} to find "
      "an ND-vs-D difference of {:g} pp (noncentral t): ND runs against the D value (one-sample), "
      "or runs in each mode (welch).",
      targets.difference_pp, targets.power, targets.alpha, targets.difference_pp));
  table.footnotes.push_back("Both take the pilot's SDs as the true ones (normal values); "
                            "docs/statistics.md \"Replica planning\".");
  for (size_t g = 0; g < plans.size(); ++g) {
    for (const auto& note : plans[g].notes) table.footnotes.push_back(fmt::format("#{}: {}", g + 1, note));
  }
  return table;
}

}  // namespace rs::report
