#include "stats/bootstrap.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "stats/descriptive.h"

using rs::stats::bootstrap_sd_ci95;
using rs::stats::splitmix64_at;

TEST_CASE("splitmix64_at reproduces the reference SplitMix64 stream", "[bootstrap]") {
  // First outputs of Vigna's splitmix64.c seeded with 0.
  CHECK(splitmix64_at(0, 0) == 0xE220A8397B1DCDAFull);
  CHECK(splitmix64_at(0, 1) == 0x6E789E6AA1B965F4ull);
  CHECK(splitmix64_at(0, 2) == 0x06C45D188009454Full);
}

TEST_CASE("bootstrap interval needs two values", "[bootstrap]") {
  CHECK_FALSE(bootstrap_sd_ci95({}).has_value());
  CHECK_FALSE(bootstrap_sd_ci95({0.5}).has_value());
}

TEST_CASE("bootstrap interval of a constant sample is [0, 0]", "[bootstrap]") {
  auto ci = bootstrap_sd_ci95({0.9, 0.9, 0.9});
  REQUIRE(ci.has_value());
  CHECK(ci->lo == 0.0);
  CHECK(ci->hi == 0.0);
}

TEST_CASE("bootstrap interval of two values spans 0 to their SD", "[bootstrap]") {
  // A resample of {0, 1} is {0,0} or {1,1} (SD 0) or {0,1} or {1,0} (SD sqrt(1/2)), each half
  // of the time; with 2000 resamples both tails hold far more than 2.5 % of one value.
  auto ci = bootstrap_sd_ci95({0, 1});
  REQUIRE(ci.has_value());
  CHECK(ci->lo == 0.0);
  CHECK(ci->hi == Approx(std::sqrt(0.5)).epsilon(1e-15));
}

TEST_CASE("bootstrap interval matches an independent recomputation", "[bootstrap]") {
  // Reference: numpy.percentile([std(resample, ddof=1) ...], [2.5, 97.5]) over the same
  // resamples (index k of resample b = splitmix64_at(20240607, 10 b + k) % 10), in Python.
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  auto ci = bootstrap_sd_ci95(x);
  REQUIRE(ci.has_value());
  CHECK(ci->lo == Approx(1.888562063228706).epsilon(1e-12));
  CHECK(ci->hi == Approx(3.6953424138441564).epsilon(1e-12));
  CHECK(ci->lo < *rs::stats::sample_sd(x));
  CHECK(ci->hi > *rs::stats::sample_sd(x));
}

TEST_CASE("bootstrap interval depends only on the data and the seed", "[bootstrap]") {
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  auto first = bootstrap_sd_ci95(x);
  auto again = bootstrap_sd_ci95(x);
  auto other_seed = bootstrap_sd_ci95(x, 1);
  CHECK(first->lo == again->lo);
  CHECK(first->hi == again->hi);
  CHECK((first->lo != other_seed->lo || first->hi != other_seed->hi));
}
