#include "report/stability.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "run_files.h"
#include "temp_dir.h"

using rs::report::EvaluatedRun;
using rs::report::measure_stability;
using rs::report::Stability;
using rs::report::testing::test_record;
using rs::report::testing::written_run;
using rs::runfile::RunRecord;

namespace {

// A run file with two test samples of two classes, labels {0, 1}, and a 2 x 2 last layer
// (init and one epoch).
EvaluatedRun run(const rs::testing::TempDir& dir, const std::string& run_id,
                 std::vector<float> logits, std::vector<float> weights,
                 std::vector<float> last_layer) {
  RunRecord record = test_record(run_id);
  record.n_test = 2;
  record.n_classes = 2;
  record.labels = {0, 1};
  record.logits = std::move(logits);
  record.weights_flat = std::move(weights);
  record.last_layer_rows = 2;
  record.last_layer_cols = 2;
  record.last_layer = std::move(last_layer);
  return written_run(dir.path(), record);
}

bool has_note(const Stability& result, const std::string& part) {
  for (const auto& note : result.notes) {
    if (note.find(part) != std::string::npos) return true;
  }
  return false;
}

// Run a predicts {0, 1} (accuracy 1), run b predicts {1, 1} (accuracy 0.5).
std::vector<EvaluatedRun> two_runs(const rs::testing::TempDir& dir) {
  return {run(dir, "a", {2, 0, 0, 1}, {1, 0}, {1, 0, 1, 1}),
          run(dir, "b", {0, 1, 0, 1}, {0, 1}, {1, 0, 1, 0})};
}

}  // namespace

TEST_CASE("stability of two runs, computed by hand", "[stability]") {
  rs::testing::TempDir dir;
  Stability result = measure_stability(two_runs(dir));
  CHECK(result.n_runs == 2);
  CHECK(*result.acc_sd == Approx(std::sqrt(0.125)).epsilon(1e-15));
  REQUIRE(result.acc_sd_ci95.has_value());
  CHECK(*result.metric_sd == *result.acc_sd);  // the metric is accuracy
  // Two runs are too few for a bootstrap interval to mean 95 %: a note says so.
  REQUIRE_FALSE(result.notes.empty());
  CHECK(result.notes[0].rfind("acc_sd_ci95, ce_sd_ci95, metric_sd_ci95: caution", 0) == 0);
  // Cross-entropy of a: (log(1 + e^-2) + log(1 + e^-1)) / 2,
  //               of b: (log(1 + e) + log(1 + e^-1)) / 2.
  double ce_a = (std::log(1 + std::exp(-2.0)) + std::log(1 + std::exp(-1.0))) / 2;
  double ce_b = (std::log(1 + std::exp(1.0)) + std::log(1 + std::exp(-1.0))) / 2;
  CHECK(*result.ce_sd == Approx(std::fabs(ce_a - ce_b) / std::sqrt(2.0)).epsilon(1e-12));
  // Predictions differ on one of two samples.
  CHECK(*result.disagreement_pct == 50.0);
  // Averaged logits [1, 0.5], [0, 1] predict {0, 1}: accuracy 1 against a mean of 0.75.
  CHECK(*result.ensemble_delta_pct == Approx(25.0).epsilon(1e-14));
  // Deviations (1.25, -0.75, -0.75, 0.25) and (-0.5, 0.5, -0.5, 0.5): cov -0.5, var 2.75 and 1.
  CHECK(*result.correlation == Approx(-0.5 / std::sqrt(2.75)).epsilon(1e-14));
  CHECK(*result.l2_normalized == Approx(std::sqrt(2.0)).epsilon(1e-15));
  REQUIRE(result.cosine_last_layer.size() == 2);
  CHECK(result.cosine_last_layer[0].epoch == 0);
  CHECK(*result.cosine_last_layer[0].mean == 1.0);
  CHECK(*result.cosine_last_layer[1].max == Approx(1 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(*result.cosine_last_layer[1].min == Approx(1 / std::sqrt(2.0)).epsilon(1e-15));
  // Class 0 accuracy is 1 and 0 (SD sqrt(0.5)), class 1 is 1 and 1 (SD 0).
  const auto& per_class = result.class_spread.per_class_acc_sd;
  REQUIRE(per_class.size() == 2);
  CHECK(*per_class[0] == Approx(std::sqrt(0.5)).epsilon(1e-15));
  CHECK(*per_class[1] == 0.0);
  CHECK(*result.class_spread.per_class_sd_ratio == Approx(2.0).epsilon(1e-14));
  CHECK(result.class_spread.subgroups.empty());
  CHECK(result.notes.size() == 1);  // the bootstrap caveat alone: every value is defined
}

TEST_CASE("stability needs two runs", "[stability]") {
  rs::testing::TempDir dir;
  Stability result = measure_stability({two_runs(dir)[0]});
  CHECK(result.n_runs == 1);
  CHECK_FALSE(result.acc_sd.has_value());
  CHECK_FALSE(result.acc_sd_ci95.has_value());
  CHECK_FALSE(result.disagreement_pct.has_value());
  CHECK_FALSE(result.l2_normalized.has_value());
  CHECK(result.cosine_last_layer.empty());
  CHECK(has_note(result, "fewer than two runs"));
}

TEST_CASE("constant logits leave the correlation undefined", "[stability]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = two_runs(dir);
  runs.push_back(run(dir, "c", {1, 1, 1, 1}, {1, 1}, {1, 0, 1, 0}));
  Stability result = measure_stability(runs);
  CHECK_FALSE(result.correlation.has_value());
  CHECK(has_note(result, "correlation: null"));
  CHECK(result.disagreement_pct.has_value());
}

TEST_CASE("zero weights leave distance and cosine undefined", "[stability]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = {two_runs(dir)[0],
                                    run(dir, "zero", {0, 1, 0, 1}, {0, 0}, {0, 0, 1, 0})};
  Stability result = measure_stability(runs);
  CHECK_FALSE(result.l2_normalized.has_value());
  CHECK(has_note(result, "l2_normalized: null"));
  CHECK_FALSE(result.cosine_last_layer[0].mean.has_value());
  CHECK(result.cosine_last_layer[1].mean.has_value());
  CHECK(has_note(result, "cosine_last_layer: null at epochs 0"));
}

TEST_CASE("runs on different test sets are not compared pairwise", "[stability]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = two_runs(dir);
  runs[1].record.labels = {1, 1};
  Stability result = measure_stability(runs);
  CHECK(result.acc_sd.has_value());
  CHECK_FALSE(result.disagreement_pct.has_value());
  CHECK_FALSE(result.correlation.has_value());
  CHECK_FALSE(result.ensemble_delta_pct.has_value());
  CHECK(result.class_spread.per_class_acc_sd.empty());
  CHECK(has_note(result, "test labels or class counts differ"));
}

TEST_CASE("weights of different lengths are not compared", "[stability]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = two_runs(dir);
  runs.push_back(run(dir, "longer", {0, 1, 0, 1}, {1, 2, 3}, {1, 0, 1, 0}));
  runs.back().record.last_layer_rows = 1;
  Stability result = measure_stability(runs);
  CHECK_FALSE(result.l2_normalized.has_value());
  CHECK(has_note(result, "differ in length"));
  CHECK(result.cosine_last_layer.empty());
  CHECK(has_note(result, "shapes differ"));
}

TEST_CASE("sub-group spread of a binary task", "[stability]") {
  // Four samples, labels {0, 1, 0, 1}, sub-groups {0, 0, 1, 1}. Run a is right everywhere;
  // run b predicts 1 for sample 2 (a false positive in sub-group 1).
  rs::testing::TempDir dir;
  auto binary_run = [&](const std::string& run_id, std::vector<float> logits) {
    RunRecord record = test_record(run_id);
    record.n_test = 4;
    record.n_classes = 2;
    record.labels = {0, 1, 0, 1};
    record.groups = {0, 0, 1, 1};
    record.logits = std::move(logits);
    record.weights_flat = {1, 2};
    return written_run(dir.path(), record);
  };
  std::vector<EvaluatedRun> runs = {binary_run("a", {1, 0, 0, 1, 1, 0, 0, 1}),
                                    binary_run("b", {1, 0, 0, 1, 0, 1, 0, 1})};
  Stability result = measure_stability(runs);
  const auto& subgroups = result.class_spread.subgroups;
  REQUIRE(subgroups.size() == 2);
  // Sub-group 0: both runs right, every SD 0, so ratios to a non-zero overall SD are 0.
  CHECK(*subgroups[0].acc_sd == 0.0);
  CHECK(*subgroups[0].acc_sd_ratio == 0.0);
  // Sub-group 1: accuracy 1 and 0.5 (SD sqrt(0.125)); FPR 0 and 1 (SD sqrt(0.5)); FNR 0 and 0.
  // Overall: accuracy 1 and 0.75 (SD sqrt(0.03125)); FPR 0 and 0.5 (SD sqrt(0.125)); FNR SD 0.
  CHECK(*subgroups[1].acc_sd == Approx(std::sqrt(0.125)).epsilon(1e-15));
  CHECK(*subgroups[1].acc_sd_ratio == Approx(2.0).epsilon(1e-14));
  CHECK(*subgroups[1].fpr_sd == Approx(std::sqrt(0.5)).epsilon(1e-15));
  CHECK(*subgroups[1].fpr_sd_ratio == Approx(2.0).epsilon(1e-14));
  CHECK(*subgroups[1].fnr_sd == 0.0);
  CHECK_FALSE(subgroups[1].fnr_sd_ratio.has_value());  // the overall FNR SD is 0
}
