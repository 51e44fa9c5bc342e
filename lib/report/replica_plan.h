// `sweep power DIR`: per group of a pilot sweep, how many replicas a question needs, from the
// spread of the pilot's final test accuracies (stats/replicas.h; docs/statistics.md "Replica
// planning").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/mode.h"
#include "report/sweep_summary.h"
#include "stats/t_test.h"
#include "util/table.h"

namespace rs::report {

// The questions, in percentage points of accuracy.
struct PowerTargets {
  double sd_halfwidth_pp = 0.1;  // half-width of the accuracy SD's confidence interval
  double difference_pp = 0.5;    // the ND-vs-D difference the t-test should find
  double alpha = 0.05;           // the interval is (1 - alpha); the test's level
  double power = 0.8;
};

struct ReplicaPlan {
  // The SD's interval: over the runs the stability table uses (ND, or D when fewer than two ND).
  contract::Mode sd_over = contract::Mode::kNd;
  int64_t sd_runs = 0;
  std::optional<double> acc_sd_pp;                   // sample SD (ddof = 1) of those runs
  std::optional<double> acc_sd_ci_halfwidth_pp;      // its interval's half-width at sd_runs
  std::optional<int64_t> replicas_for_sd_halfwidth;  // runs for targets.sd_halfwidth_pp
  std::optional<double> sd_ci_halfwidth_at_replicas_pp;  // the half-width with that many
  // ND against D: the test the collector runs for this group (one-sample or Welch's).
  int64_t n_nd = 0, n_d = 0;
  std::optional<stats::TTestKind> test;
  std::optional<double> nd_sd_pp, d_sd_pp;  // d_sd_pp is 0 for the one-sample test
  // ND runs (one-sample) or runs in each mode (Welch) for targets.difference_pp at
  // targets.power.
  std::optional<int64_t> replicas_for_difference;
  std::optional<double> power_at_replicas;  // the power with that many
  std::vector<std::string> notes;  // one per null above, saying why
};

// One plan per group of `summary`, in its order. Targets must be valid (check_targets).
std::vector<ReplicaPlan> plan_replicas(const SweepSummary& summary, const PowerTargets& targets);

// Throws rs::InputError naming the option of a target out of range: half-width and difference
// > 0, alpha and power in (0, 1).
void check_targets(const PowerTargets& targets);

// Everything above with the targets, the method and its assumptions, per group its group_id and
// parameters, and the skipped run files.
nlohmann::json replica_plans_to_json(const SweepSummary& summary, const PowerTargets& targets,
                                     const std::vector<ReplicaPlan>& plans);

// The terminal's table, the method and the notes as footnotes.
Table replica_table(const SweepSummary& summary, const PowerTargets& targets,
                    const std::vector<ReplicaPlan>& plans);

}  // namespace rs::report
