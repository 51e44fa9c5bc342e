#include "stats/replicas.h"

#include <cmath>
#include <functional>

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/non_central_t.hpp>
#include <boost/math/distributions/students_t.hpp>

namespace rs::stats {

namespace {

// The smallest n in [2, kMaxReplicas] for which `enough(n)` holds, for a condition that stays
// true once it holds (the half-width shrinks and the power grows with n): doubling, then
// bisection. nullopt when it does not hold at kMaxReplicas.
std::optional<int64_t> smallest_n(const std::function<bool(int64_t)>& enough) {
  int64_t lo = 1, hi = 2;  // enough(lo) is false (n = 1 is never enough), enough(hi) unknown
  while (!enough(hi)) {
    if (hi >= kMaxReplicas) return std::nullopt;
    lo = hi;
    hi = std::min(2 * hi, kMaxReplicas);
  }
  while (hi - lo > 1) {
    int64_t mid = lo + (hi - lo) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace

double sd_ci_halfwidth(double sd, int64_t n, double alpha) {
  double k = static_cast<double>(n - 1);
  boost::math::chi_squared chi2(k);
  double upper_quantile = boost::math::quantile(chi2, 1 - alpha / 2);
  double lower_quantile = boost::math::quantile(chi2, alpha / 2);
  return sd * (std::sqrt(k / lower_quantile) - std::sqrt(k / upper_quantile)) / 2;
}

std::optional<int64_t> replicas_for_sd_halfwidth(double sd, double target, double alpha) {
  return smallest_n([&](int64_t n) { return sd_ci_halfwidth(sd, n, alpha) <= target; });
}

double t_test_power(double difference, double nd_sd, double d_sd, int64_t n, double alpha) {
  double a = nd_sd * nd_sd, b = d_sd * d_sd;
  if (a + b == 0) return 1;
  double runs = static_cast<double>(n);
  double ncp = difference / std::sqrt((a + b) / runs);
  double df = (runs - 1) * (a + b) * (a + b) / (a * a + b * b);
  double critical = boost::math::quantile(boost::math::students_t(df), 1 - alpha / 2);
  boost::math::non_central_t shifted(df, ncp);
  return boost::math::cdf(boost::math::complement(shifted, critical)) +
         boost::math::cdf(shifted, -critical);
}

std::optional<int64_t> replicas_for_power(double difference, double nd_sd, double d_sd,
                                          double power, double alpha) {
  return smallest_n(
      [&](int64_t n) { return t_test_power(difference, nd_sd, d_sd, n, alpha) >= power; });
}

}  // namespace rs::stats
