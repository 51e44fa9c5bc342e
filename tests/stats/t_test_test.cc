#include "stats/t_test.h"

#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "stats/descriptive.h"

using rs::stats::one_sample_t_test;
using rs::stats::welch_t_test;

TEST_CASE("t-test with one degree of freedom matches the Cauchy closed form", "[t_test]") {
  // mean 2, sd sqrt(2), n 2: t = 2 / (sqrt(2) / sqrt(2)) = 2. With df = 1 the t distribution is
  // Cauchy, so the two-sided p = 1 - (2 / pi) atan(|t|).
  auto result = one_sample_t_test({1, 3}, 0);
  REQUIRE(result.t.has_value());
  REQUIRE(result.p.has_value());
  CHECK(*result.t == Approx(2.0).epsilon(1e-14));
  CHECK(*result.df == 1);
  CHECK(*result.p == Approx(1 - 2 / std::acos(-1.0) * std::atan(2.0)).epsilon(1e-12));
}

TEST_CASE("t-test with two degrees of freedom matches the closed form", "[t_test]") {
  // mean 3, sd sqrt(7), n 3: t = 3 sqrt(3) / sqrt(7). For df = 2, p = 1 - |t| / sqrt(2 + t^2),
  // which here is 1 - sqrt(27 / 41).
  auto result = one_sample_t_test({1, 2, 6}, 0);
  CHECK(*result.t == Approx(3 * std::sqrt(3.0) / std::sqrt(7.0)).epsilon(1e-14));
  CHECK(*result.df == 2);
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
  CHECK_FALSE(result.df.has_value());
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

TEST_CASE("t-test of equal values against their own mean gives p = 1 at any count", "[t_test]") {
  // Summed and divided, three 0.8s make 0.8000000000000002: the reference must be compared
  // with the values themselves, or equal ND and D runs come out "significant".
  std::vector<double> d = {0.8, 0.8, 0.8};
  auto result = one_sample_t_test({0.8, 0.8, 0.8, 0.8, 0.8}, *rs::stats::mean(d));
  CHECK(*result.t == 0.0);
  CHECK(*result.p == 1.0);
}

TEST_CASE("Welch's test with equal sizes and variances matches the closed form", "[t_test]") {
  // Means 2 and 1, variances 2 and 2, n 2 each: t = 1 / sqrt(2/2 + 2/2), df = (1 + 1)^2 /
  // (1 + 1) = 2, and for df = 2, p = 1 - |t| / sqrt(2 + t^2) = 1 - sqrt(0.2).
  auto result = welch_t_test({1, 3}, {0, 2});
  CHECK(*result.t == Approx(1 / std::sqrt(2.0)).epsilon(1e-14));
  CHECK(*result.df == Approx(2.0).epsilon(1e-14));
  CHECK(*result.p == Approx(1 - std::sqrt(0.2)).epsilon(1e-12));
}

TEST_CASE("Welch's df lies between the smaller n - 1 and n_x + n_y - 2", "[t_test]") {
  auto result = welch_t_test({0.80, 0.82, 0.85, 0.81, 0.79}, {0.70, 0.90, 0.75});
  CHECK(*result.df > 2);
  CHECK(*result.df < 6);
  CHECK(*result.t == Approx((0.814 - 0.78333333333333333) /
                            std::sqrt(0.000530 / 5 + 0.010833333333333334 / 3))
                         .epsilon(1e-9));
}

TEST_CASE("Welch's test against values without spread is the one-sample test", "[t_test]") {
  std::vector<double> x = {0.80, 0.82, 0.85, 0.81};
  auto welch = welch_t_test(x, {0.8, 0.8, 0.8});
  auto one_sample = one_sample_t_test(x, 0.8);
  CHECK(*welch.t == Approx(*one_sample.t).epsilon(1e-14));
  CHECK(*welch.df == Approx(*one_sample.df).epsilon(1e-14));
  CHECK(*welch.p == Approx(*one_sample.p).epsilon(1e-12));
}

TEST_CASE("Welch's test needs two values on each side", "[t_test]") {
  CHECK_FALSE(welch_t_test({1, 2, 3}, {1}).p.has_value());
  CHECK_FALSE(welch_t_test({1}, {1, 2}).p.has_value());
}

TEST_CASE("the tests' names are those of summary.json", "[t_test]") {
  CHECK(std::string(rs::stats::t_test_name(rs::stats::TTestKind::kOneSample)) == "one-sample");
  CHECK(std::string(rs::stats::t_test_name(rs::stats::TTestKind::kWelch)) == "welch");
}
