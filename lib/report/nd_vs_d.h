// ND against D within one group: how far the non-deterministic runs' values x_i (final test
// accuracy, or the metric `sweep collect --metric` chose) lie from the deterministic value d,
// and what determinism costs in time (seed 000 Tables II-IV, seed 001 Fig. 8).
// Formulas and the rules for undefined values: docs/statistics.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/evaluated_run.h"
#include "stats/t_test.h"

namespace rs::report {

inline constexpr double kSignificanceLevel = 0.05;

// Runs that train for less than this are too short to time: start-up and the timer's
// resolution weigh as much as the training, so their overhead is marked unreliable.
inline constexpr double kMinTimedSeconds = 10;

struct NdVsD {
  int64_t n_nd = 0, n_d = 0;
  std::optional<double> nd_mean;    // mean of x_i
  std::optional<double> nd_sd;      // sample SD of x_i (ddof = 1); needs n_nd >= 2
  std::optional<double> d_value;    // mean of the D runs' values; exactly their value when equal
  std::optional<double> d_sd;       // sample SD of the D runs' values; needs n_d >= 2
  std::optional<double> delta_pct;  // 100 (nd_mean - d) / d
  // The ND runs' range in percentage points, 100 (max x_i - min x_i), D not included; needs
  // n_nd >= 2. summary.json calls it "delta_s".
  std::optional<double> nd_range_pp;
  // The test that fits the design (stats/t_test.h): one-sample when D is one value (one D run,
  // or D runs that are the same run: byte-identical /eval/logits), Welch's two-sample test when
  // the D runs differ (other seeds, or determinism failed); nullopt when no test ran.
  std::optional<stats::TTestKind> test;
  std::optional<double> t_stat;
  std::optional<double> t_df;       // n_nd - 1, or Welch-Satterthwaite's
  std::optional<double> p_value;
  std::optional<bool> significant;  // p_value <= kSignificanceLevel
  std::optional<double> nd_train_s, d_train_s;  // mean train_s of the ND / the D runs
  std::optional<double> nd_train_s_sd, d_train_s_sd;  // their sample SDs; need two runs
  std::optional<double> nd_gpu_s, d_gpu_s;      // mean gpu_s, when every run measured it
  std::optional<double> overhead_train;      // d_train_s / nd_train_s (seed 001)
  std::optional<double> overhead_gpu;        // d_gpu_s / nd_gpu_s
  std::optional<double> overhead_train_pct;  // 100 (nd_train_s - d_train_s) / d_train_s (seed 000)
  std::optional<double> overhead_gpu_pct;    // the same for gpu_s
  // With an overhead: whether both modes' mean train_s reach kMinTimedSeconds.
  std::optional<bool> overhead_reliable;
  std::vector<std::string> notes;            // one per null above, saying why
};

NdVsD compare_nd_vs_d(const std::vector<EvaluatedRun>& nd_runs,
                      const std::vector<EvaluatedRun>& d_runs);

}  // namespace rs::report
