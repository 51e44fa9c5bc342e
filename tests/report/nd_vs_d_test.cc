#include "report/nd_vs_d.h"

#include <cmath>

#include <catch2/catch.hpp>

using rs::report::compare_nd_vs_d;
using rs::report::EvaluatedRun;
using rs::report::NdVsD;

namespace {

// Runs with the given values (of the metric compared) and train times, and logits that are
// equal for all (the same run) or, with `distinct`, differ (other seeds); compare_nd_vs_d
// reads nothing else.
std::vector<EvaluatedRun> runs(const std::vector<double>& values,
                               const std::vector<double>& train_s = {}, bool distinct = false) {
  std::vector<EvaluatedRun> result(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    result[i].value = values[i];
    result[i].record.logits = {1.0f, distinct ? static_cast<float>(i) : 0.0f};
    result[i].record.timing.train_s = i < train_s.size() ? train_s[i] : 1.0;
  }
  return result;
}

bool has_note(const NdVsD& result, const std::string& part) {
  for (const auto& note : result.notes) {
    if (note.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("ND vs D with every value defined", "[nd_vs_d]") {
  // x = 0.8 0.9, d = 0.8: mean 0.85, sd sqrt(0.005), t = 0.05 / (sqrt(0.005) / sqrt(2)) = 1.
  // With df = 1 (Cauchy) p = 1 - (2 / pi) atan(1) = 0.5.
  NdVsD result = compare_nd_vs_d(runs({0.8, 0.9}, {10, 20}), runs({0.8}, {18}));
  CHECK(*result.nd_mean == Approx(0.85).epsilon(1e-15));
  CHECK(*result.nd_sd == Approx(std::sqrt(0.005)).epsilon(1e-14));
  CHECK(*result.d_value == 0.8);
  CHECK(*result.delta_pct == Approx(6.25).epsilon(1e-13));
  CHECK(*result.nd_range_pp == Approx(10.0).epsilon(1e-13));
  CHECK(result.test == rs::stats::TTestKind::kOneSample);
  CHECK(*result.t_stat == Approx(1.0).epsilon(1e-13));
  CHECK(*result.t_df == 1);
  CHECK(*result.p_value == Approx(0.5).epsilon(1e-13));
  CHECK(*result.significant == false);
  CHECK(*result.nd_train_s == 15.0);
  CHECK(*result.d_train_s == 18.0);
  CHECK(*result.overhead_train == Approx(18.0 / 15.0).epsilon(1e-15));
  CHECK(*result.overhead_train_pct == Approx(100 * (15.0 - 18.0) / 18.0).epsilon(1e-14));
  // gpu_s defaults to -1 (not measured).
  CHECK_FALSE(result.nd_gpu_s.has_value());
  CHECK_FALSE(result.overhead_gpu.has_value());
  CHECK(has_note(result, "overhead_gpu, overhead_gpu_pct: null"));
}

TEST_CASE("ND vs D without D runs", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d(runs({0.8, 0.9}), {});
  CHECK(*result.nd_mean == Approx(0.85).epsilon(1e-15));
  CHECK(result.nd_range_pp.has_value());
  CHECK_FALSE(result.d_value.has_value());
  CHECK_FALSE(result.delta_pct.has_value());
  CHECK_FALSE(result.t_stat.has_value());
  CHECK_FALSE(result.p_value.has_value());
  CHECK_FALSE(result.significant.has_value());
  CHECK_FALSE(result.overhead_train.has_value());
  CHECK(has_note(result, "no D runs"));
}

TEST_CASE("ND vs D without ND runs", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d({}, runs({0.7, 0.7}));
  CHECK(*result.d_value == 0.7);
  CHECK_FALSE(result.nd_mean.has_value());
  CHECK_FALSE(result.nd_sd.has_value());
  CHECK_FALSE(result.nd_range_pp.has_value());
  CHECK_FALSE(result.p_value.has_value());
  CHECK(has_note(result, "no ND runs"));
}

TEST_CASE("ND vs D with one ND run", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d(runs({0.75}), runs({0.7}));
  CHECK(*result.delta_pct == Approx(100 * 0.05 / 0.7).epsilon(1e-13));
  CHECK_FALSE(result.nd_sd.has_value());
  CHECK_FALSE(result.nd_range_pp.has_value());
  CHECK_FALSE(result.t_stat.has_value());
  CHECK(has_note(result, "one ND run"));
}

TEST_CASE("ND vs D with a D accuracy of 0", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d(runs({0.1, 0.3}), runs({0.0}));
  CHECK_FALSE(result.delta_pct.has_value());
  CHECK(has_note(result, "d_value is 0"));
  // t = 0.2 / (sqrt(0.02) / sqrt(2)) = 2, df = 1.
  CHECK(*result.t_stat == Approx(2.0).epsilon(1e-13));
}

TEST_CASE("ND vs D with zero spread follows the documented rules", "[nd_vs_d]") {
  NdVsD equal = compare_nd_vs_d(runs({0.9, 0.9}), runs({0.9}));
  CHECK(*equal.t_stat == 0.0);
  CHECK(*equal.p_value == 1.0);
  CHECK(*equal.significant == false);
  CHECK(has_note(equal, "t_stat = 0, p_value = 1 by rule"));

  NdVsD different = compare_nd_vs_d(runs({0.9, 0.9}), runs({0.8}));
  CHECK_FALSE(different.t_stat.has_value());
  CHECK(*different.p_value == 0.0);
  CHECK(*different.significant == true);
  CHECK(has_note(different, "null (infinite)"));
}

TEST_CASE("ND vs D time overhead needs a non-zero ND time", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d(runs({0.8, 0.9}, {0, 0}), runs({0.8}, {5}));
  CHECK_FALSE(result.overhead_train.has_value());
  CHECK(has_note(result, "overhead_train: null"));
}

TEST_CASE("ND vs D GPU overhead when every run measured gpu_s", "[nd_vs_d]") {
  std::vector<EvaluatedRun> nd = runs({0.8, 0.9}), d = runs({0.8});
  nd[0].record.timing.gpu_s = 4;
  nd[1].record.timing.gpu_s = 6;
  d[0].record.timing.gpu_s = 7;
  NdVsD result = compare_nd_vs_d(nd, d);
  CHECK(*result.nd_gpu_s == 5.0);
  CHECK(*result.d_gpu_s == 7.0);
  CHECK(*result.overhead_gpu == Approx(1.4).epsilon(1e-15));
}

TEST_CASE("ND equal to three identical D runs is not significant", "[nd_vs_d]") {
  // Summed, three 0.8s are 2.4000000000000004: a plain mean would put d one ULP above the ND
  // runs, and the zero-spread rule would call them different (p = 0).
  NdVsD result = compare_nd_vs_d(runs({0.8, 0.8, 0.8, 0.8, 0.8}), runs({0.8, 0.8, 0.8}));
  CHECK(*result.d_value == 0.8);
  CHECK(*result.d_sd == 0.0);
  CHECK(result.test == rs::stats::TTestKind::kOneSample);
  CHECK(*result.t_stat == 0.0);
  CHECK(*result.p_value == 1.0);
  CHECK(*result.significant == false);
}

TEST_CASE("D runs that differ are tested with Welch's two-sample test", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d(runs({1, 3}), runs({0, 2}, {}, true));
  CHECK(result.test == rs::stats::TTestKind::kWelch);
  CHECK(*result.d_value == 1.0);
  CHECK(*result.d_sd == Approx(std::sqrt(2.0)).epsilon(1e-15));
  // As in tests/stats/t_test_test.cc: t = 1 / sqrt(2), df = 2, p = 1 - sqrt(0.2).
  CHECK(*result.t_stat == Approx(1 / std::sqrt(2.0)).epsilon(1e-14));
  CHECK(*result.t_df == Approx(2.0).epsilon(1e-14));
  CHECK(*result.p_value == Approx(1 - std::sqrt(0.2)).epsilon(1e-12));
}

TEST_CASE("Welch's test applies even when the ND runs have no spread", "[nd_vs_d]") {
  NdVsD result = compare_nd_vs_d(runs({0.9, 0.9, 0.9}), runs({0.8, 0.85}, {}, true));
  CHECK(result.test == rs::stats::TTestKind::kWelch);
  REQUIRE(result.t_stat.has_value());
  CHECK(*result.t_df == Approx(1.0).epsilon(1e-14));  // all variance from D: n_d - 1
  CHECK_FALSE(has_note(result, "by rule"));
}

TEST_CASE("D runs that differ but tie on the metric still get Welch's test", "[nd_vs_d]") {
  // Other seeds, same accuracy on a small test set: D is not one run. Welch's test with no D
  // spread gives the one-sample test's numbers.
  NdVsD welch = compare_nd_vs_d(runs({0.80, 0.82, 0.85}), runs({0.8, 0.8}, {}, true));
  NdVsD one_sample = compare_nd_vs_d(runs({0.80, 0.82, 0.85}), runs({0.8, 0.8}));
  CHECK(welch.test == rs::stats::TTestKind::kWelch);
  CHECK(one_sample.test == rs::stats::TTestKind::kOneSample);
  CHECK(*welch.p_value == Approx(*one_sample.p_value).epsilon(1e-12));
  CHECK(*welch.t_df == Approx(*one_sample.t_df).epsilon(1e-12));
}
