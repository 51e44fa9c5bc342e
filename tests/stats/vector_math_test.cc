#include "stats/vector_math.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using rs::stats::exp_in_place;
using rs::stats::log_in_place;

TEST_CASE("exp_in_place agrees with std::exp within 1e-15 and underflows to 0", "[vector_math]") {
  std::vector<double> x;
  for (double v = -745.0; v <= 700.0; v += 0.37) x.push_back(v);
  x.push_back(-1000.0);  // below the smallest subnormal: exactly 0
  x.push_back(0.0);
  std::vector<double> y = x;
  exp_in_place(y.data(), y.size());
  for (size_t i = 0; i + 2 < x.size(); ++i) {
    double expected = std::exp(x[i]);
    if (expected < 1e-300) continue;  // subnormal results: only absolute closeness is meaningful
    CHECK(std::fabs(y[i] - expected) <= 1e-15 * expected);
  }
  CHECK(y[x.size() - 2] == 0.0);
  CHECK(y.back() == 1.0);
}

TEST_CASE("log_in_place agrees with std::log within 1e-15", "[vector_math]") {
  std::vector<double> x;
  for (double v = 1e-300; v < 1e300; v *= 3.7) x.push_back(v);
  x.push_back(1.0);
  std::vector<double> y = x;
  log_in_place(y.data(), y.size());
  for (size_t i = 0; i + 1 < x.size(); ++i) {
    double expected = std::log(x[i]);
    CHECK(std::fabs(y[i] - expected) <= 1e-15 * std::fabs(expected) + 1e-300);
  }
  CHECK(y.back() == 0.0);
}
