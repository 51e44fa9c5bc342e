#include "stats/classification.h"

#include <cmath>
#include <stdexcept>

#include <catch2/catch.hpp>

using namespace rs::stats;

TEST_CASE("argmax takes the first index on ties", "[classification]") {
  std::vector<float> logits = {1, 2, 3,    // -> 2
                               5, 5, 1,    // tie -> 0
                               0, -1, -2};  // -> 0
  CHECK(predicted_classes(logits, 3) == std::vector<int64_t>{2, 0, 0});
}

TEST_CASE("accuracy counts matching predictions", "[classification]") {
  CHECK(accuracy({2, 0, 0}, {2, 1, 0}) == Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK_THROWS_AS(accuracy({}, {}), std::invalid_argument);
  CHECK_THROWS_AS(accuracy({1}, {1, 0}), std::invalid_argument);
}

TEST_CASE("cross-entropy is the mean negative log softmax of the label", "[classification]") {
  // Row [0, 0] with label 0: log 2. Row [1, 0] with label 1: log(e + 1) - 0.
  std::vector<float> logits = {0, 0, 1, 0};
  CHECK(cross_entropy(logits, 2, {0, 1}) ==
        Approx((std::log(2.0) + std::log(1 + std::exp(1.0))) / 2).epsilon(1e-14));
}

TEST_CASE("cross-entropy of huge logits does not overflow", "[classification]") {
  // logsumexp([1000, 0]) = 1000 + log(1 + e^-1000) = 1000 in double.
  CHECK(cross_entropy({1000, 0}, 2, {1}) == Approx(1000.0).epsilon(1e-15));
  CHECK(cross_entropy({1000, 0}, 2, {0}) == Approx(0.0).margin(1e-300));
  CHECK_THROWS_AS(cross_entropy({1, 0}, 2, {2}), std::invalid_argument);
}

TEST_CASE("per-class accuracy leaves classes without samples undefined", "[classification]") {
  auto per_class = per_class_accuracy({2, 0, 0}, {2, 1, 0}, 4);
  REQUIRE(per_class.size() == 4);
  CHECK(*per_class[0] == 1.0);
  CHECK(*per_class[1] == 0.0);
  CHECK(*per_class[2] == 1.0);
  CHECK_FALSE(per_class[3].has_value());
}

TEST_CASE("binary rates use FP/(FP+TN) and FN/(FN+TP)", "[classification]") {
  // labels    1 1 1 0 0
  // predicted 1 0 1 1 0  -> TP 2, FN 1, FP 1, TN 1
  auto rates = binary_rates({1, 0, 1, 1, 0}, {1, 1, 1, 0, 0});
  CHECK(*rates.fpr == 0.5);
  CHECK(*rates.fnr == Approx(1.0 / 3.0).epsilon(1e-15));
}

TEST_CASE("binary rates are undefined without negatives or positives", "[classification]") {
  auto only_positives = binary_rates({1, 0}, {1, 1});
  CHECK_FALSE(only_positives.fpr.has_value());
  CHECK(*only_positives.fnr == 0.5);
  auto only_negatives = binary_rates({1, 0}, {0, 0});
  CHECK(*only_negatives.fpr == 0.5);
  CHECK_FALSE(only_negatives.fnr.has_value());
}
