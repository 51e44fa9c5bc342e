// Student t-tests: do the ND runs' values x_i differ from the D runs' value?
//
// One-sample (D is one value mu: one D run, or D runs that are all the same run):
//   t = (mean(x) - mu) / (sd(x) / sqrt(n)),  df = n - 1
// Welch's two-sample (D runs that differ, e.g. with different seeds: their mean is itself a
// sample mean with a spread of its own; scipy.stats.ttest_ind(x, y, equal_var=False)):
//   t = (mean(x) - mean(y)) / sqrt(sd(x)^2 / n_x + sd(y)^2 / n_y)
//   df = (sd(x)^2 / n_x + sd(y)^2 / n_y)^2 /
//        ((sd(x)^2 / n_x)^2 / (n_x - 1) + (sd(y)^2 / n_y)^2 / (n_y - 1))   (Welch-Satterthwaite)
// Both: p = 2 * P(T_df > |t|), from Boost.Math's students_t distribution; sd is the sample SD
// (ddof = 1). With sd(y) = 0 Welch's test is the one-sample test against mean(y), so the choice
// between them never makes the numbers jump.
//
// The cases where the formula breaks down get fixed, documented results (docs/statistics.md):
//   n < 2 (either sample)         t and p undefined (nullopt).
//   zero spread and equal means   t = 0, p = 1: the runs agree exactly.
//   zero spread, different means  t is infinite (nullopt), p = 0.
#pragma once

#include <optional>
#include <vector>

namespace rs::stats {

enum class TTestKind { kOneSample, kWelch };

// "one-sample", "welch": the names summary.json and the tables use.
const char* t_test_name(TTestKind kind);

struct TTest {
  std::optional<double> t;   // nullopt: undefined (n < 2) or infinite (zero spread)
  std::optional<double> p;   // two-sided; nullopt only when undefined
  std::optional<double> df;  // nullopt when undefined; not a whole number for Welch's test
};

TTest one_sample_t_test(const std::vector<double>& x, double mu);

TTest welch_t_test(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace rs::stats
