#include "stats/pairwise.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

#include "stats/classification.h"

using namespace rs::stats;

TEST_CASE("dot product and squared distance, with and without a remainder", "[pairwise]") {
  std::vector<double> a = {1, 2, 3, 4, 5, 6, 7}, b = {7, 6, 5, 4, 3, 2, 1};
  // 7 + 12 + 15 + 16 + 15 + 12 + 7 = 84; the first four alone: 50.
  CHECK(dot_product(a.data(), b.data(), 7) == 84.0);
  CHECK(dot_product(a.data(), b.data(), 4) == 50.0);
  CHECK(dot_product(a.data(), b.data(), 0) == 0.0);
  std::vector<float> f = {0.5f, -2, 3};
  CHECK(dot_product(f.data(), f.data(), 3) == 13.25);
  // Differences -6 -4 -2 0 2 4 6: 36 + 16 + 4 + 0 + 4 + 16 + 36 = 112.
  CHECK(squared_distance(a.data(), b.data(), 7) == 112.0);
}

TEST_CASE("float products are summed in double", "[pairwise]") {
  // 2^24 + 1 is not a float, so a float sum of these products would lose the ones.
  std::vector<float> big = {4096, 4096, 1, 1, 1, 1}, ones = {4096, 4096, 1, 1, 1, 1};
  CHECK(dot_product(big.data(), ones.data(), 6) == 2.0 * 4096 * 4096 + 4);
}

TEST_CASE("predictions: disagreements and the ensemble, ties to the first class", "[pairwise]") {
  // All labels 0. Model a predicts 0, 0, 1; model b predicts 0, 1, 1. The averaged rows are
  // [1, 0], [0.5, 0.5] (tie -> class 0) and [0, 1]: the ensemble gets two right.
  std::vector<float> a = {1, 0, 1, 0, 0, 1};
  std::vector<float> b = {1, 0, 0, 1, 0, 1};
  std::vector<int64_t> labels = {0, 0, 0};
  std::vector<int64_t> pa = predicted_classes(a, 2), pb = predicted_classes(b, 2);
  PredictionCounts counts = compare_predictions(a.data(), b.data(), pa.data(), pb.data(),
                                                labels.data(), 3, 2);
  CHECK(counts.differing == 1);
  CHECK(counts.ensemble_correct == 2);
  PredictionCounts same = compare_predictions(a.data(), a.data(), pa.data(), pa.data(),
                                              labels.data(), 3, 2);
  CHECK(same.differing == 0);
  CHECK(same.ensemble_correct == 2);
}

TEST_CASE("models that agree make an ensemble that agrees, even at extreme scales",
          "[pairwise]") {
  // Both put class 1 first; class 0 trails by one float step. Summing 1e30 and 1e-30 in double
  // rounds, but cannot bring class 0 level with class 1.
  float top = 1e30f, next = std::nextafter(1e30f, 0.0f);
  std::vector<float> a = {next, top}, b = {1e-30f, 2e-30f};
  std::vector<int64_t> pa = {1}, pb = {1}, labels = {1};
  CHECK(compare_predictions(a.data(), b.data(), pa.data(), pb.data(), labels.data(), 1, 2)
            .ensemble_correct == 1);
  // The same check the long way: the averaged row's argmax is class 1.
  double class_0 = (static_cast<double>(next) + 1e-30f) / 2;
  double class_1 = (static_cast<double>(top) + 2e-30f) / 2;
  CHECK(class_1 > class_0);
}
