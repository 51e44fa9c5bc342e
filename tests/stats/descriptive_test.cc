#include "stats/descriptive.h"

#include <cmath>

#include <catch2/catch.hpp>

using rs::stats::mean;
using rs::stats::quantile;
using rs::stats::range;
using rs::stats::sample_sd;

TEST_CASE("mean and sample SD of a textbook sample", "[descriptive]") {
  // Sum of squared deviations from the mean 5 is 32; ddof = 1 divides by 7, not 8.
  std::vector<double> x = {2, 4, 4, 4, 5, 5, 7, 9};
  CHECK(*mean(x) == 5.0);
  CHECK(*sample_sd(x) == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-15));
  CHECK(*range(x) == 7.0);
}

TEST_CASE("SD needs two values, mean and range need one", "[descriptive]") {
  CHECK_FALSE(mean({}).has_value());
  CHECK_FALSE(range({}).has_value());
  CHECK_FALSE(sample_sd({}).has_value());
  CHECK_FALSE(sample_sd({0.7}).has_value());
  CHECK(*mean({0.7}) == 0.7);
  CHECK(*range({0.7}) == 0.0);
}

TEST_CASE("equal values have an SD of exactly zero", "[descriptive]") {
  // 0.1 is not representable; a two-pass SD would leave a rounding residue here.
  CHECK(*sample_sd({0.1, 0.1, 0.1}) == 0.0);
}

TEST_CASE("quantiles interpolate between sorted values as numpy.percentile does", "[descriptive]") {
  // Sorted: 1 2 3 4 10. Position q * 4: 0.25 -> 2; 0.5 -> 3; 0.9 -> 3.6, between 4 and 10.
  std::vector<double> x = {10, 2, 4, 1, 3};
  CHECK(*quantile(x, 0.0) == 1.0);
  CHECK(*quantile(x, 0.25) == 2.0);
  CHECK(*quantile(x, 0.5) == 3.0);
  CHECK(*quantile(x, 0.9) == Approx(4 + 0.6 * 6).epsilon(1e-15));
  CHECK(*quantile(x, 1.0) == 10.0);
  CHECK(*quantile({0.7}, 0.3) == 0.7);
  CHECK_FALSE(quantile({}, 0.5).has_value());
}
