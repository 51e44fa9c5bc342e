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
  CHECK(result.plain_accuracies == std::vector<double>{0.5, 1.0});
  CHECK(result.tta_accuracies == std::vector<double>{0.75, 1.0});
  CHECK(*result.plain_acc_mean == 0.75);
  CHECK(*result.tta_acc_mean == 0.875);
  // SDs of two values: |a - b| / sqrt(2).
  CHECK(*result.plain_acc_sd == Approx(0.5 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(*result.tta_acc_sd == Approx(0.25 / std::sqrt(2.0)).epsilon(1e-15));
  CHECK(*result.reduction_pct == Approx(50).epsilon(1e-12));
  CHECK(result.notes.empty());
  CHECK(rs::report::tta_reduction_formula() ==
        "100 * (1 - sd_with / sd_without), sd_with = tta_acc_sd, sd_without = tta_plain_acc_sd");
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
  CHECK(*result.tta_acc_sd == Approx(std::sqrt(0.5)).epsilon(1e-15));
  CHECK_FALSE(result.reduction_pct.has_value());  // the plain runs do not vary
  REQUIRE(result.notes.size() == 1);
  CHECK_THAT(result.notes[0],
             Catch::Contains("tta_reduction_pct: null: the runs' accuracy without TTA does not vary"));
}

TEST_CASE("the TTA measures need runs with TTA logits, two for an SD", "[tta]") {
  rs::testing::TempDir dir;
  TtaReduction none = measure_tta({run(dir, "a", 2, -1), run(dir, "b", 3, -1)});
  CHECK(none.run_ids.empty());
  CHECK_FALSE(none.plain_acc_mean.has_value());
  CHECK_FALSE(none.reduction_pct.has_value());
  REQUIRE(none.notes.size() == 1);
  CHECK_THAT(none.notes[0], Catch::Contains("no stability run has /eval/logits_tta"));

  TtaReduction one = measure_tta({run(dir, "c", 2, 3), run(dir, "d", 3, -1)});
  CHECK(one.run_ids == std::vector<std::string>{"c"});
  CHECK(*one.tta_acc_mean == 0.75);
  CHECK_FALSE(one.tta_acc_sd.has_value());
  CHECK_FALSE(one.reduction_pct.has_value());
  REQUIRE(one.notes.size() == 1);
  CHECK_THAT(one.notes[0],
             Catch::Contains("one stability run has /eval/logits_tta; an SD needs two"));
}

TEST_CASE("a run whose TTA logits diverged cannot enter the statistics", "[tta]") {
  rs::runfile::RunRecord record = rs::report::testing::test_record("nan");
  record.n_test = 1;
  record.n_classes = 2;
  record.labels = {0};
  record.logits = {1, 0};
  record.logits_tta = {NAN, 0};
  CHECK(rs::report::unusable_reason(record) ==
        "/eval/logits_tta holds NaN or infinite values (diverged?)");
}
