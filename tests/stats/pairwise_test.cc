#include "stats/pairwise.h"

#include <stdexcept>

#include <catch2/catch.hpp>

using namespace rs::stats;

TEST_CASE("disagreement is the fraction of differing predictions", "[pairwise]") {
  CHECK(disagreement({0, 1, 2, 1}, {0, 2, 2, 0}) == 0.5);
  CHECK(disagreement({0, 1}, {0, 1}) == 0.0);
  CHECK_THROWS_AS(disagreement({0, 1}, {0}), std::invalid_argument);
}

TEST_CASE("Pearson correlation of flattened logits", "[pairwise]") {
  CHECK(*pearson_correlation({1, 2, 3}, {2, 4, 6}) == Approx(1.0).epsilon(1e-15));
  CHECK(*pearson_correlation({1, 2, 3}, {3, 2, 1}) == Approx(-1.0).epsilon(1e-15));
  // Deviations (-1.5, -0.5, 0.5, 1.5) and (-1.5, 0.5, -0.5, 1.5): covariance 4, variances 5.
  CHECK(*pearson_correlation({1, 2, 3, 4}, {1, 3, 2, 4}) == Approx(0.8).epsilon(1e-15));
}

TEST_CASE("Pearson correlation with a constant array is undefined", "[pairwise]") {
  CHECK_FALSE(pearson_correlation({1, 1, 1}, {1, 2, 3}).has_value());
  CHECK_FALSE(pearson_correlation({1, 2, 3}, {0, 0, 0}).has_value());
}

TEST_CASE("ensemble gain averages logits and breaks ties to the first class", "[pairwise]") {
  // All labels 0. Model a predicts 0, 0, 1 (accuracy 2/3); model b predicts 0, 1, 1 (1/3).
  // The averaged rows are [1, 0], [0.5, 0.5] (tie -> class 0) and [0, 1]: accuracy 2/3.
  // Gain = 2/3 - (2/3 + 1/3) / 2 = 1/6.
  std::vector<float> a = {1, 0, 1, 0, 0, 1};
  std::vector<float> b = {1, 0, 0, 1, 0, 1};
  CHECK(ensemble_gain(a, b, 2, {0, 0, 0}) == Approx(1.0 / 6.0).epsilon(1e-15));
  CHECK(ensemble_gain(a, a, 2, {0, 0, 0}) == 0.0);
  CHECK_THROWS_AS(ensemble_gain(a, b, 2, {0, 0}), std::invalid_argument);
}
