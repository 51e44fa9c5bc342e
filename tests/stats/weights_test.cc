#include "stats/weights.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using rs::stats::cosine_similarity;
using rs::stats::unit_l2_distance;

namespace {

std::optional<double> distance(const std::vector<float>& a, const std::vector<float>& b) {
  return unit_l2_distance(a.data(), b.data(), a.size());
}

std::optional<double> cosine(const std::vector<float>& a, const std::vector<float>& b) {
  return cosine_similarity(a.data(), b.data(), a.size());
}

}  // namespace

TEST_CASE("unit L2 distance ignores scale", "[weights]") {
  CHECK(*distance({3, 4}, {6, 8}) == 0.0);
  CHECK(*distance({1, 0}, {0, 2}) == Approx(std::sqrt(2.0)).epsilon(1e-15));
  CHECK(*distance({1, 0}, {-1, 0}) == 2.0);
  // (1, 1)/sqrt(2) - (1, 0) has squared length (1 - 1/sqrt(2))^2 + 1/2 = 2 - sqrt(2).
  CHECK(*distance({1, 1}, {1, 0}) == Approx(std::sqrt(2 - std::sqrt(2.0))).epsilon(1e-15));
}

TEST_CASE("cosine similarity", "[weights]") {
  CHECK(*cosine({3, 4}, {6, 8}) == Approx(1.0).epsilon(1e-15));
  CHECK(*cosine({1, 0}, {0, 2}) == 0.0);
  CHECK(*cosine({1, 0}, {-1, 0}) == -1.0);
  CHECK(*cosine({1, 1}, {1, 0}) == Approx(1 / std::sqrt(2.0)).epsilon(1e-15));
}

TEST_CASE("a zero vector has no direction", "[weights]") {
  CHECK_FALSE(distance({0, 0}, {1, 0}).has_value());
  CHECK_FALSE(cosine({1, 0}, {0, 0}).has_value());
}
