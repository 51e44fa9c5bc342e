#include "stats/reduction.h"

#include <string>

#include <catch2/catch.hpp>

TEST_CASE("the reduction is the share of the SD that the change removes, in percent", "[reduction]") {
  CHECK(*rs::stats::reduction_pct(0.04, 0.01) == Approx(75).epsilon(1e-15));
  CHECK(*rs::stats::reduction_pct(0.02, 0.02) == 0);
  CHECK(*rs::stats::reduction_pct(0.02, 0) == 100);
  CHECK(*rs::stats::reduction_pct(0.01, 0.03) == Approx(-200).epsilon(1e-15));  // more spread
  CHECK_FALSE(rs::stats::reduction_pct(0, 0.01).has_value());  // nothing to reduce
}

TEST_CASE("correlation enters the reduction as 1 - corr or as its relative change", "[reduction]") {
  // corr 0.90 -> 0.95: 1 - corr halves (a 50 % reduction), corr itself rises by 5.56 %.
  CHECK(*rs::stats::one_minus_corr_reduction_pct(0.90, 0.95) == Approx(50).epsilon(1e-12));
  CHECK(*rs::stats::corr_change_pct(0.90, 0.95) == Approx(100 * 0.05 / 0.90).epsilon(1e-12));
  CHECK_FALSE(rs::stats::one_minus_corr_reduction_pct(1.0, 1.0).has_value());
  CHECK_FALSE(rs::stats::corr_change_pct(0.0, 0.5).has_value());
}
