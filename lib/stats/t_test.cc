#include "stats/t_test.h"

#include <cmath>

#include <boost/math/distributions/students_t.hpp>

#include "stats/descriptive.h"

namespace rs::stats {

namespace {

double two_sided_p(double t, double df) {
  boost::math::students_t distribution(df);
  return 2 * boost::math::cdf(boost::math::complement(distribution, std::fabs(t)));
}

// Both samples without spread: they agree (t = 0, p = 1) or differ by a certain amount
// (t infinite, p = 0).
TTest zero_spread(double mean_x, double mean_y, std::optional<double> df) {
  TTest result;
  result.df = df;
  if (mean_x == mean_y) {
    result.t = 0.0;
    result.p = 1.0;
  } else {
    result.p = 0.0;
  }
  return result;
}

}  // namespace

TTest one_sample_t_test(const std::vector<double>& x, double mu) {
  if (x.size() < 2) return {};
  double n = static_cast<double>(x.size());
  double sd = *sample_sd(x);
  // sample_sd is exactly 0 only when all values are equal, and then mean(x) is that value.
  if (sd == 0) return zero_spread(*mean(x), mu, n - 1);
  TTest result;
  result.df = n - 1;
  result.t = (*mean(x) - mu) / (sd / std::sqrt(n));
  result.p = two_sided_p(*result.t, *result.df);
  return result;
}

TTest welch_t_test(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() < 2 || y.size() < 2) return {};
  double n_x = static_cast<double>(x.size()), n_y = static_cast<double>(y.size());
  double sd_x = *sample_sd(x), sd_y = *sample_sd(y);
  double v_x = sd_x * sd_x / n_x, v_y = sd_y * sd_y / n_y;
  // Without any spread the Welch-Satterthwaite df is 0 / 0 (scipy gives NaN).
  if (v_x + v_y == 0) return zero_spread(*mean(x), *mean(y), std::nullopt);
  double df = (v_x + v_y) * (v_x + v_y) / (v_x * v_x / (n_x - 1) + v_y * v_y / (n_y - 1));
  TTest result;
  result.df = df;
  result.t = (*mean(x) - *mean(y)) / std::sqrt(v_x + v_y);
  result.p = two_sided_p(*result.t, df);
  return result;
}

const char* t_test_name(TTestKind kind) {
  return kind == TTestKind::kWelch ? "welch" : "one-sample";
}

}  // namespace rs::stats
