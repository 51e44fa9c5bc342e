// How many replicas a question needs, from a pilot's spread (`sweep power`; the formulas,
// assumptions and what they do not promise: docs/statistics.md "Replica planning").
//
// Both treat the pilot's sample SD as the true SD of normally distributed run values.
//
// The SD's confidence interval (chi-square; exact for a normal sample): from n values with
// sample SD s, the (1 - alpha) interval of the true SD is
//   [s sqrt((n - 1) / chi2(1 - alpha/2; n - 1)),  s sqrt((n - 1) / chi2(alpha/2; n - 1))]
// with chi2(q; k) the q quantile of the chi-square distribution with k degrees of freedom. Its
// half-width is half the difference of the bounds.
//
// The power of the two-sided t-test the collector runs (stats/t_test.h) at level alpha, when
// the true ND mean lies `difference` from the D value, with n runs:
//   one-sample (D is one value; d_sd = 0):  ncp = difference / (nd_sd / sqrt(n)),  df = n - 1
//   Welch (D runs that differ), n runs in each mode:
//     ncp = difference / sqrt((nd_sd^2 + d_sd^2) / n),
//     df = (n - 1) (nd_sd^2 + d_sd^2)^2 / (nd_sd^4 + d_sd^4)        (Welch-Satterthwaite)
//   power = P(T' > t(1 - alpha/2; df)) + P(T' < -t(1 - alpha/2; df)),  T' ~ noncentral t(df, ncp)
// exact for the one-sample test; for Welch's, the usual approximation that takes its df as
// fixed. Both from Boost.Math (chi_squared, students_t, non_central_t).
#pragma once

#include <cstdint>
#include <optional>

namespace rs::stats {

// The counts are searched from 2 up to this; a question that needs more gets nullopt.
inline constexpr int64_t kMaxReplicas = 1000000;

// Half-width of the (1 - alpha) chi-square interval of an SD `sd` estimated from n >= 2 values.
double sd_ci_halfwidth(double sd, int64_t n, double alpha);

// The smallest n >= 2 whose sd_ci_halfwidth(sd, n, alpha) <= target (target > 0, sd >= 0);
// nullopt when it exceeds kMaxReplicas.
std::optional<int64_t> replicas_for_sd_halfwidth(double sd, double target, double alpha);

// Power of the two-sided test above with n >= 2 runs (in each mode, for Welch's test) to find
// a true difference > 0. d_sd = 0 is the one-sample test. No spread at all (nd_sd = d_sd = 0):
// any difference is found, power 1.
double t_test_power(double difference, double nd_sd, double d_sd, int64_t n, double alpha);

// The smallest n >= 2 with t_test_power(...) >= power; nullopt when it exceeds kMaxReplicas.
std::optional<int64_t> replicas_for_power(double difference, double nd_sd, double d_sd,
                                          double power, double alpha);

}  // namespace rs::stats
