#include "stats/t_test.h"

#include <cmath>

#include <boost/math/distributions/students_t.hpp>

#include "stats/descriptive.h"

namespace rs::stats {

TTest one_sample_t_test(const std::vector<double>& x, double mu) {
  TTest result;
  if (x.size() < 2) return result;
  result.df = static_cast<int64_t>(x.size()) - 1;
  double sd = *sample_sd(x);
  if (sd == 0) {
    // All values are equal (sample_sd returns exactly 0 only then), so compare one of them.
    if (x[0] == mu) {
      result.t = 0.0;
      result.p = 1.0;
    } else {
      result.p = 0.0;
    }
    return result;
  }
  double t = (*mean(x) - mu) / (sd / std::sqrt(static_cast<double>(x.size())));
  boost::math::students_t distribution(static_cast<double>(result.df));
  result.t = t;
  result.p = 2 * boost::math::cdf(boost::math::complement(distribution, std::fabs(t)));
  return result;
}

}  // namespace rs::stats
