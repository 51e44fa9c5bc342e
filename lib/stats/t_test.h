// One-sample Student t-test: do the ND runs' values x_i differ from the D value `mu`?
//
//   t = (mean(x) - mu) / (sd(x) / sqrt(n)),  df = n - 1,  p = 2 * P(T_df > |t|)
//
// sd is the sample SD (ddof = 1); p comes from Boost.Math's students_t distribution. The cases
// where the formula breaks down get fixed, documented results (docs/statistics.md):
//   n < 2                   t and p undefined (nullopt).
//   sd = 0 and mean = mu    t = 0, p = 1: the runs agree with mu exactly.
//   sd = 0 and mean != mu   t is infinite (nullopt), p = 0.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rs::stats {

struct TTest {
  std::optional<double> t;  // nullopt: undefined (n < 2) or infinite (zero spread)
  std::optional<double> p;  // two-sided; nullopt only when n < 2
  int64_t df = 0;           // n - 1 (0 when n < 2)
};

TTest one_sample_t_test(const std::vector<double>& x, double mu);

}  // namespace rs::stats
