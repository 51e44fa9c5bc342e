#include "report/tta.h"

#include <cmath>

#include <catch2/catch.hpp>

#include "report/stability.h"
#include "run_files.h"
#include "temp_dir.h"

using rs::report::EvaluatedRun;
using rs::report::measure_tta;
using rs::report::TtaReduction;

namespace {

// A run file with four test samples of two classes, labels {0, 1, 0, 1}, whose plain logits get
// the first `plain_right` samples right and whose TTA logits (none when `tta_right` < 0) the
// first `tta_right`.
EvaluatedRun run(const rs::testing::TempDir& dir, const std::string& run_id, int plain_right,
                 int tta_right) {
  auto logits = [](int right) {
    std::vector<float> values;
    for (int i = 0; i < 4; ++i) {
      bool label_one = i % 2 == 1, predict_one = (i < right) == label_one;
      values.push_back(predict_one ? 0.0f : 1.0f);
      values.push_back(predict_one ? 1.0f : 0.0f);
    }
    return values;
  };
  rs::runfile::RunRecord record = rs::report::testing::test_record(run_id);
  record.n_test = 4;
  record.n_classes = 2;
  record.labels = {0, 1, 0, 1};
  record.logits = logits(plain_right);
  if (tta_right >= 0) record.logits_tta = logits(tta_right);
  return rs::report::testing::written_run(dir.path(), record);
}

}  // namespace

TEST_CASE("the TTA reduction compares the SDs of the same runs without and with TTA", "[tta]") {
  rs::testing::TempDir dir;
  // Plain accuracies 0.5 1 0.75 (the third has no TTA logits); TTA 0.75 1.
  std::vector<EvaluatedRun> runs = {run(dir, "a", 2, 3), run(dir, "b", 4, 4), run(dir, "c", 3, -1)};
  TtaReduction result = measure_tta(runs);
  CHECK(result.run_ids == std::vector<std::string>{"a", "b"});
  CHECK(result.tta_accuracies == std::vector<double>{0.75, 1.0});
  CHECK(*result.plain_acc_mean == 0.75);
  CHECK(*result.tta_acc_mean == 0.875);
  // SDs of two values: |a - b| / sqrt(2).
  CHECK(*result.plain.acc_sd == Approx(0.5 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(*result.tta.acc_sd == Approx(0.25 / std::sqrt(2.0)).epsilon(1e-15));
  REQUIRE(result.reductions.size() == 6);
  CHECK(result.reductions[0].key == "acc_sd");
  CHECK(*result.reductions[0].pct == Approx(50).epsilon(1e-12));
  CHECK(result.reductions[0].formula == "100 * (1 - tta_acc_sd / tta_plain_acc_sd)");
  // Plain predictions of a and b differ on samples 2 and 3, TTA ones on sample 3 only.
  CHECK(*result.plain.disagreement_pct == 50);
  CHECK(*result.tta.disagreement_pct == 25);
  CHECK(result.reductions[2].key == "disagreement_pct");
  CHECK(*result.reductions[2].pct == Approx(50).epsilon(1e-12));
}

TEST_CASE("the averages take correlation as 1 - corr or as its relative change", "[tta]") {
  rs::testing::TempDir dir;
  std::vector<EvaluatedRun> runs = {run(dir, "a", 0, 1), run(dir, "b", 0, 0), run(dir, "c", 1, 1)};
  TtaReduction result = measure_tta(runs);
  REQUIRE(result.plain.correlation.has_value());
  REQUIRE(result.tta.correlation.has_value());
  double without = *result.plain.correlation, with = *result.tta.correlation;
  CHECK(result.reductions[3].key == "correlation_one_minus_corr");
  CHECK(*result.reductions[3].pct == Approx(100 * (1 - (1 - with) / (1 - without))).epsilon(1e-12));
  CHECK(result.reductions[4].key == "correlation_corr_change");
  CHECK(*result.reductions[4].pct == Approx(100 * (with - without) / without).epsilon(1e-12));
  std::vector<rs::report::NamedReduction> all = rs::report::all_reductions(result);
  REQUIRE(all.size() == 8);
  auto mean_with = [&](size_t correlation_index) {
    double sum = 0;
    for (size_t k : {size_t{0}, size_t{1}, size_t{2}, correlation_index, size_t{5}}) {
      sum += *result.reductions[k].pct;
    }
    return sum / 5;
  };
  CHECK(*result.mean_one_minus_corr.pct == Approx(mean_with(3)).epsilon(1e-12));
  CHECK(*result.mean_corr_change.pct == Approx(mean_with(4)).epsilon(1e-12));
  CHECK(all[6].key == "mean_one_minus_corr");
  CHECK(all[7].key == "mean_corr_change");
}

TEST_CASE("the other measures keep to the plain logits when runs have TTA logits", "[tta]") {
  rs::testing::TempDir dir;
  // Equal plain predictions, different TTA ones.
  std::vector<EvaluatedRun> runs = {run(dir, "a", 4, 0), run(dir, "b", 4, 4)};
  CHECK(runs[0].accuracy == 1.0);
  CHECK(*runs[0].tta_accuracy == 0.0);
  rs::report::Stability stability = rs::report::measure_stability(runs);
  CHECK(*stability.acc_sd == 0.0);
  CHECK(*stability.disagreement_pct == 0.0);
  CHECK(*stability.ensemble_delta_pct == 0.0);
  TtaReduction result = measure_tta(runs);
  CHECK(*result.tta.acc_sd == Approx(std::sqrt(0.5)).epsilon(1e-15));
  CHECK_FALSE(result.reductions[0].pct.has_value());  // the plain runs do not vary
  CHECK_FALSE(result.mean_one_minus_corr.pct.has_value());
  CHECK_THAT(result.notes[0], Catch::Contains("tta_reduction_pct.acc_sd: null: tta_plain_acc_sd is 0 (no spread"));
  CHECK_THAT(result.notes.back(),
             Catch::Contains("tta_reduction_mean_pct_corr_change: null: the reduction of acc_sd"));
}

TEST_CASE("the TTA measures need runs with TTA logits, two for an SD", "[tta]") {
  rs::testing::TempDir dir;
  TtaReduction none = measure_tta({run(dir, "a", 2, -1), run(dir, "b", 3, -1)});
  CHECK(none.run_ids.empty());
  CHECK_FALSE(none.plain_acc_mean.has_value());
  CHECK_FALSE(none.reductions[0].pct.has_value());
  REQUIRE(none.notes.size() == 1);
  CHECK_THAT(none.notes[0], Catch::Contains("no stability run has /eval/logits_tta"));

  TtaReduction one = measure_tta({run(dir, "c", 2, 3), run(dir, "d", 3, -1)});
  CHECK(one.run_ids == std::vector<std::string>{"c"});
  CHECK(*one.tta_acc_mean == 0.75);
  CHECK_FALSE(one.tta.acc_sd.has_value());
  CHECK_FALSE(one.reductions[0].pct.has_value());
  REQUIRE(one.notes.size() == 1);
  CHECK_THAT(one.notes[0],
             Catch::Contains("one stability run has /eval/logits_tta; a spread needs two"));
}

TEST_CASE("a run whose TTA logits diverged cannot enter the statistics", "[tta]") {
  rs::runfile::RunRecord record = rs::report::testing::test_record("nan");
  record.n_test = 1;
  record.n_classes = 2;
  record.labels = {0};
  record.logits = {1, 0};
  record.logits_tta = {NAN, 0};
  CHECK(rs::report::unusable_reason(record, rs::stats::Metric::kAccuracy) ==
        "/eval/logits_tta holds NaN or infinite values (diverged?)");
}
