#include "stats/t_test.h"

#include <cmath>

#include <catch2/catch.hpp>

using rs::stats::one_sample_t_test;

TEST_CASE("t-test with one degree of freedom matches the Cauchy closed form", "[t_test]") {
  // mean 2, sd sqrt(2), n 2: t = 2 / (sqrt(2) / sqrt(2)) = 2. With df = 1 the t distribution is
  // Cauchy, so the two-sided p = 1 - (2 / pi) atan(|t|).
  auto result = one_sample_t_test({1, 3}, 0);
  REQUIRE(result.t.has_value());
  REQUIRE(result.p.has_value());
  CHECK(*result.t == Approx(2.0).epsilon(1e-14));
  CHECK(result.df == 1);
  CHECK(*result.p == Approx(1 - 2 / std::acos(-1.0) * std::atan(2.0)).epsilon(1e-12));
}

TEST_CASE("t-test with two degrees of freedom matches the closed form", "[t_test]") {
  // mean 3, sd sqrt(7), n 3: t = 3 sqrt(3) / sqrt(7). For df = 2, p = 1 - |t| / sqrt(2 + t^2),
  // which here is 1 - sqrt(27 / 41).
  auto result = one_sample_t_test({1, 2, 6}, 0);
  CHECK(*result.t == Approx(3 * std::sqrt(3.0) / std::sqrt(7.0)).epsilon(1e-14));
  CHECK(result.df == 2);
  CHECK(*result.p == Approx(1 - std::sqrt(27.0 / 41.0)).epsilon(1e-12));
}

TEST_CASE("t-test is symmetric in the sign of t", "[t_test]") {
  auto result = one_sample_t_test({-1, -3}, 0);
  CHECK(*result.t == Approx(-2.0).epsilon(1e-14));
  CHECK(*result.p == Approx(1 - 2 / std::acos(-1.0) * std::atan(2.0)).epsilon(1e-12));
}

TEST_CASE("t-test of fewer than two values is undefined", "[t_test]") {
  auto result = one_sample_t_test({0.5}, 0.4);
  CHECK_FALSE(result.t.has_value());
  CHECK_FALSE(result.p.has_value());
  CHECK(result.df == 0);
}

TEST_CASE("t-test of equal values that match the reference gives t = 0, p = 1", "[t_test]") {
  auto result = one_sample_t_test({0.9, 0.9, 0.9}, 0.9);
  CHECK(*result.t == 0.0);
  CHECK(*result.p == 1.0);
}

TEST_CASE("t-test of equal values that miss the reference gives infinite t, p = 0", "[t_test]") {
  auto result = one_sample_t_test({0.9, 0.9}, 0.8);
  CHECK_FALSE(result.t.has_value());
  CHECK(*result.p == 0.0);
}

TEST_CASE("t-test of a far-off reference gives a tiny but valid p", "[t_test]") {
  auto result = one_sample_t_test({10, 10.001, 10.002}, 0);
  CHECK(*result.t > 1e4);
  CHECK(*result.p >= 0.0);
  CHECK(*result.p < 1e-6);
}
