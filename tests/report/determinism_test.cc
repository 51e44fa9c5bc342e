#include "report/determinism.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "run_files.h"
#include "temp_dir.h"

using rs::report::check_d_runs;
using rs::report::DeterminismCheck;
using rs::report::EvaluatedRun;
using rs::report::testing::test_record;
using rs::report::testing::written_run;

namespace {

// A D run file with one test sample; its weights default to {0.25, -1.5, 3}.
EvaluatedRun d_run(const rs::testing::TempDir& dir, const std::string& run_id, int64_t seed,
                   std::vector<float> weights = {0.25f, -1.5f, 3.0f},
                   std::vector<float> logits = {0.1f, 0.9f}) {
  rs::runfile::RunRecord record = test_record(run_id);
  record.mode = "d";
  record.seeds = {seed, seed, seed, seed, -1};
  record.n_test = 1;
  record.n_classes = 2;
  record.labels = {1};
  record.logits = std::move(logits);
  record.weights_flat = std::move(weights);
  return written_run(dir.path(), record);
}

}  // namespace

TEST_CASE("D runs with equal seeds and equal bytes pass", "[determinism]") {
  rs::testing::TempDir dir;
  DeterminismCheck check = check_d_runs({d_run(dir, "a", 1), d_run(dir, "b", 1)});
  CHECK(check.d_identical == true);
  CHECK(check.differing_run_ids.empty());
  CHECK(check.notes.empty());
}

TEST_CASE("D runs with equal seeds that differ by one ULP of one weight fail", "[determinism]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = {
      d_run(dir, "a", 1), d_run(dir, "b", 1, {0.25f, -1.5f, std::nextafter(3.0f, 4.0f)})};
  DeterminismCheck check = check_d_runs(runs);
  CHECK(check.d_identical == false);
  CHECK(check.differing_run_ids == std::vector<std::string>{"a", "b"});
}

TEST_CASE("D runs with equal seeds whose logits differ fail", "[determinism]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = {d_run(dir, "a", 1),
                                    d_run(dir, "b", 1, {0.25f, -1.5f, 3.0f}, {0.2f, 0.9f})};
  CHECK(check_d_runs(runs).d_identical == false);
}

TEST_CASE("D runs with different seeds are not compared", "[determinism]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = {d_run(dir, "a", 1), d_run(dir, "b", 2, {9.0f, -1.5f, 3.0f})};
  DeterminismCheck check = check_d_runs(runs);
  CHECK_FALSE(check.d_identical.has_value());
  REQUIRE(check.notes.size() == 1);
  CHECK(check.notes[0].rfind("d_identical: null", 0) == 0);
  CHECK_FALSE(check_d_runs({}).d_identical.has_value());
}

TEST_CASE("one failing set of seeds fails the group", "[determinism]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = {d_run(dir, "a", 1), d_run(dir, "b", 1), d_run(dir, "c", 2),
                                    d_run(dir, "d", 2, {9.0f, -1.5f, 3.0f})};
  DeterminismCheck check = check_d_runs(runs);
  CHECK(check.d_identical == false);
  CHECK(check.differing_run_ids == std::vector<std::string>{"c", "d"});
}

TEST_CASE("D runs with equal seeds are compared within one environment only", "[determinism]") {
  rs::testing::TempDir dir;
  auto in = [](EvaluatedRun run, const std::string& environment) {
    run.environment = environment;
    return run;
  };
  // Another build gives other weights for the same seeds: portability, not a failed check.
  std::vector<EvaluatedRun> runs = {in(d_run(dir, "a", 1), "wheel"), in(d_run(dir, "b", 1), "wheel"),
                                    in(d_run(dir, "c", 1, {0.5f, -1.5f, 3.0f}), "debian")};
  DeterminismCheck check = check_d_runs(runs);
  CHECK(check.d_identical == true);
  runs.push_back(in(d_run(dir, "d", 1, {0.75f, -1.5f, 3.0f}), "debian"));
  check = check_d_runs(runs);
  CHECK(check.d_identical == false);
  CHECK(check.differing_run_ids == std::vector<std::string>{"c", "d"});

  // One name, but the run saw another torch than its environment's others (a broken promise):
  // another environment, so its other weights are not a failed check either.
  EvaluatedRun stray = in(d_run(dir, "e", 1, {0.5f, -1.5f, 3.0f}), "wheel");
  stray.record.env.torch_version = "9.9.9";
  check = check_d_runs({runs[0], runs[1], stray});
  CHECK(check.d_identical == true);
}
