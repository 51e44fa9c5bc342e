// Adaptive replicas in the grid file (`repeat: {min, max, step, until}`): what is accepted,
// what is refused with file:line:col, and that the plan holds max replicas of each adaptive
// point with exactly the run ids and seeds a fixed `repeat: max` gives them.
#include <catch2/catch.hpp>

#include "grid_test_util.h"

using rs::grid::testing::parse;
using rs::grid::testing::plan;
using rs::grid::testing::plan_error;
using Catch::Matchers::Contains;

namespace {

const std::string kHead = "name: t\nbase: {dataset: digits, epochs: 2}\ngrid: {optimizer: [sgd, adam], mode: [nd, d]}\n"
                          "noise: [init, shuffle]\n";

}  // namespace

TEST_CASE("repeat: {min, max, step, until} plans max replicas, with the rule on the point") {
  auto p = plan(kHead + "repeat: {min: 3, max: 8, step: 2, until: {acc_sd_ci_halfwidth: 0.25}}\n"
                        "repeat_when:\n  - {match: {mode: d}, repeat: 1}\n");
  REQUIRE(p.points.size() == 4);
  REQUIRE(p.points[0].replicas == 8);
  REQUIRE(p.points[0].adaptive);
  CHECK(p.points[0].adaptive->min == 3);
  CHECK(p.points[0].adaptive->max == 8);
  CHECK(p.points[0].adaptive->step == 2);
  CHECK(p.points[0].adaptive->acc_sd_ci_halfwidth_pp == 0.25);
  REQUIRE(p.points[1].replicas == 1);  // the d points: repeat_when's fixed count
  CHECK_FALSE(p.points[1].adaptive);
  REQUIRE(p.runs.size() == 2 * (8 + 1));
  const auto points = rs::grid::adaptive_points(p);
  REQUIRE(points.size() == 2);
  CHECK(points[0].first_run == 0);
  CHECK(points[1].first_run == 9);  // after the 8 sgd nd runs and the one sgd d run
  CHECK(points[1].repeat.max == 8);
}

TEST_CASE("an adaptive point's runs are those of a fixed repeat: max: same ids, seeds and params") {
  auto adaptive = plan(kHead + "repeat: {min: 2, max: 6, until: {acc_sd_ci_halfwidth: 0.1}}\n");
  auto fixed = plan(kHead + "repeat: 6\n");
  REQUIRE(adaptive.runs.size() == fixed.runs.size());
  for (size_t i = 0; i < fixed.runs.size(); ++i) {
    CHECK(adaptive.runs[i].run_id == fixed.runs[i].run_id);
    CHECK(adaptive.runs[i].seeds == fixed.runs[i].seeds);
    CHECK(rs::grid::plan_line(adaptive, adaptive.runs[i]) == rs::grid::plan_line(fixed, fixed.runs[i]));
  }
  // step defaults to 1.
  CHECK(adaptive.points[0].adaptive->step == 1);
}

TEST_CASE("a fixed repeat has no adaptive points") {
  CHECK(rs::grid::adaptive_points(plan(kHead + "repeat: 5\n")).empty());
  CHECK_FALSE(parse(kHead + "repeat: 5\n").adaptive);
}

TEST_CASE("repeat_when may give an adaptive repeat of its own") {
  auto p = plan(kHead + "repeat: 2\nrepeat_when:\n  - {match: {mode: nd}, repeat: {min: 4, max: 10, step: 3, "
                        "until: {acc_sd_ci_halfwidth: 0.5}}}\n");
  REQUIRE(p.points[0].adaptive);
  CHECK(p.points[0].replicas == 10);
  CHECK(p.points[0].adaptive->step == 3);
  CHECK_FALSE(p.points[1].adaptive);
  CHECK(p.points[1].replicas == 2);
}

TEST_CASE("bad adaptive repeats are errors at their place") {
  CHECK_THAT(plan_error(kHead + "repeat: {min: 5, max: 3, until: {acc_sd_ci_halfwidth: 0.1}}\n"),
             Contains("g.yaml:5:23") && Contains("repeat.max: expected an integer >= min (5), got 3"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 1, max: 3, until: {acc_sd_ci_halfwidth: 0.1}}\n"),
             Contains("g.yaml:5:15") && Contains("repeat.min: expected an integer >= 2"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 2, max: 3, step: 0, until: {acc_sd_ci_halfwidth: 0.1}}\n"),
             Contains("g.yaml:5:32") && Contains("repeat.step: expected an integer >= 1, got 0"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 2, max: 3, until: {acc_sd_ci_halfwith: 0.1}}\n"),
             Contains("g.yaml:5:34") && Contains("unknown repeat.until key 'acc_sd_ci_halfwith'") &&
                 Contains("did you mean 'acc_sd_ci_halfwidth'"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 2, max: 3, until: {acc_sd_ci_halfwidth: 0}}\n"),
             Contains("g.yaml:5:55") && Contains("acc_sd_ci_halfwidth: expected percentage points > 0"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 2, max: 3, stop: 4, until: {acc_sd_ci_halfwidth: 0.1}}\n"),
             Contains("g.yaml:5:26") && Contains("unknown repeat key 'stop'") && Contains("'step'"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 2, max: 3}\n"),
             Contains("g.yaml:5:9") && Contains("repeat: missing 'until'"));
  CHECK_THAT(plan_error(kHead + "repeat: {min: 2, max: 3, until: {}}\n"),
             Contains("g.yaml:5:33") && Contains("repeat.until: expected a rule"));
  CHECK_THAT(plan_error(kHead + "repeat_when:\n  - {match: {mode: d}, repeat: {min: 2, max: x, until: "
                                "{acc_sd_ci_halfwidth: 0.1}}}\n"),
             Contains("g.yaml:6:46") && Contains("repeat_when.repeat.max: expected an integer >= 1"));
}
