#include "stats/reduction.h"

#include <string>

#include <catch2/catch.hpp>

TEST_CASE("the reduction is the share of the SD that the change removes, in percent", "[reduction]") {
  CHECK(*rs::stats::reduction_pct(0.04, 0.01) == Approx(75).epsilon(1e-15));
  CHECK(*rs::stats::reduction_pct(0.02, 0.02) == 0);
  CHECK(*rs::stats::reduction_pct(0.02, 0) == 100);
  CHECK(*rs::stats::reduction_pct(0.01, 0.03) == Approx(-200).epsilon(1e-15));  // more spread
  CHECK_FALSE(rs::stats::reduction_pct(0, 0.01).has_value());  // nothing to reduce
  CHECK(std::string(rs::stats::kReductionFormula) == "100 * (1 - sd_with / sd_without)");
}
