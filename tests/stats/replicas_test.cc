#include "stats/replicas.h"

#include <catch2/catch.hpp>

using rs::stats::replicas_for_power;
using rs::stats::replicas_for_sd_halfwidth;
using rs::stats::sd_ci_halfwidth;
using rs::stats::t_test_power;

// The reference numbers come from scipy 1.10 (Debian's python3-scipy), computed from the
// formulas of stats/replicas.h and nothing of this project:
//
//   from scipy import stats; import numpy as np
//   def hw(s, n, a):
//       k = n - 1
//       return s * (np.sqrt(k / stats.chi2.ppf(a / 2, k)) - np.sqrt(k / stats.chi2.ppf(1 - a / 2, k))) / 2
//   def power(d, s1, s2, n, a):
//       A, B = s1 * s1, s2 * s2
//       ncp = d / np.sqrt((A + B) / n); df = (n - 1) * (A + B) ** 2 / (A * A + B * B)
//       c = stats.t.ppf(1 - a / 2, df)
//       return stats.nct.sf(c, df, ncp) + stats.nct.cdf(-c, df, ncp)
//   smallest n: n = 2, then n += 1 while hw(...) > target (or power(...) < target)

TEST_CASE("the SD's chi-square interval half-width matches scipy", "[replicas]") {
  CHECK(sd_ci_halfwidth(1.0, 10, 0.05) == Approx(0.5688874878852871).epsilon(1e-10));
  CHECK(sd_ci_halfwidth(0.5, 3, 0.05) == Approx(1.4410191074466412).epsilon(1e-10));
  CHECK(sd_ci_halfwidth(0.3, 100, 0.01) == Approx(0.05640925964891143).epsilon(1e-10));
  CHECK(sd_ci_halfwidth(0.0, 10, 0.05) == 0);
}

TEST_CASE("replicas for an SD half-width are scipy's smallest n", "[replicas]") {
  CHECK(replicas_for_sd_halfwidth(0.5, 0.1, 0.05) == 53);
  CHECK(replicas_for_sd_halfwidth(1.0, 0.1, 0.05) == 197);
  CHECK(replicas_for_sd_halfwidth(0.5, 0.5, 0.05) == 6);
  // No spread: the fewest runs that have an SD.
  CHECK(replicas_for_sd_halfwidth(0.0, 0.1, 0.05) == 2);
  // Out of reach: more than kMaxReplicas.
  CHECK_FALSE(replicas_for_sd_halfwidth(1.0, 1e-6, 0.05).has_value());
}

TEST_CASE("t-test power matches scipy's noncentral t", "[replicas]") {
  CHECK(t_test_power(0.5, 1.0, 0.0, 10, 0.05) == Approx(0.29317560653004143).epsilon(1e-8));
  CHECK(t_test_power(0.5, 1.0, 0.5, 20, 0.05) == Approx(0.4885326368852114).epsilon(1e-8));
  CHECK(t_test_power(1.0, 0.2, 0.0, 2, 0.05) == Approx(0.42096140914186275).epsilon(1e-8));
  CHECK(t_test_power(0.1, 0.0, 0.0, 2, 0.05) == 1);
}

TEST_CASE("replicas for a power are scipy's smallest n", "[replicas]") {
  // One-sample, effect 0.5 SD: Cohen's table gives 34 as well.
  CHECK(replicas_for_power(0.5, 1.0, 0.0, 0.8, 0.05) == 34);
  CHECK(replicas_for_power(0.5, 1.0, 0.5, 0.8, 0.05) == 41);
  CHECK(replicas_for_power(0.2, 0.3, 0.0, 0.9, 0.01) == 37);
  CHECK(replicas_for_power(0.1, 0.0, 0.0, 0.8, 0.05) == 2);
}
