#include "report/determinism.h"

#include <cmath>

#include <catch2/catch.hpp>

using rs::report::check_d_runs;
using rs::report::DeterminismCheck;
using rs::report::EvaluatedRun;

namespace {

EvaluatedRun d_run(const std::string& run_id, int64_t seed) {
  EvaluatedRun run;
  run.record.run_id = run_id;
  run.record.mode = "d";
  run.record.seeds = {seed, seed, seed, seed, -1};
  run.record.weights_flat = {0.25f, -1.5f, 3.0f};
  run.record.logits = {0.1f, 0.9f};
  return run;
}

}  // namespace

TEST_CASE("D runs with equal seeds and equal bytes pass", "[determinism]") {
  DeterminismCheck check = check_d_runs({d_run("a", 1), d_run("b", 1)});
  CHECK(check.d_identical == true);
  CHECK(check.differing_run_ids.empty());
  CHECK(check.notes.empty());
}

TEST_CASE("D runs with equal seeds that differ by one ULP of one weight fail", "[determinism]") {
  std::vector<EvaluatedRun> runs = {d_run("a", 1), d_run("b", 1)};
  runs[1].record.weights_flat[2] = std::nextafter(3.0f, 4.0f);
  DeterminismCheck check = check_d_runs(runs);
  CHECK(check.d_identical == false);
  CHECK(check.differing_run_ids == std::vector<std::string>{"a", "b"});
}

TEST_CASE("D runs with equal seeds whose logits differ fail", "[determinism]") {
  std::vector<EvaluatedRun> runs = {d_run("a", 1), d_run("b", 1)};
  runs[1].record.logits[0] = 0.2f;
  CHECK(check_d_runs(runs).d_identical == false);
}

TEST_CASE("D runs with different seeds are not compared", "[determinism]") {
  std::vector<EvaluatedRun> runs = {d_run("a", 1), d_run("b", 2)};
  runs[1].record.weights_flat[0] = 9.0f;
  DeterminismCheck check = check_d_runs(runs);
  CHECK_FALSE(check.d_identical.has_value());
  REQUIRE(check.notes.size() == 1);
  CHECK(check.notes[0].rfind("d_identical: null", 0) == 0);
  CHECK_FALSE(check_d_runs({}).d_identical.has_value());
}

TEST_CASE("one failing set of seeds fails the group", "[determinism]") {
  std::vector<EvaluatedRun> runs = {d_run("a", 1), d_run("b", 1), d_run("c", 2), d_run("d", 2)};
  runs[3].record.weights_flat[0] = 9.0f;
  DeterminismCheck check = check_d_runs(runs);
  CHECK(check.d_identical == false);
  CHECK(check.differing_run_ids == std::vector<std::string>{"c", "d"});
}
