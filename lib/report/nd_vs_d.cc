#include "report/nd_vs_d.h"

#include <algorithm>

#include <fmt/format.h>

#include "stats/descriptive.h"
#include "stats/t_test.h"

namespace rs::report {

namespace {

std::vector<double> train_seconds(const std::vector<EvaluatedRun>& runs) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(run.record.timing.train_s);
  return values;
}

std::vector<double> gpu_seconds(const std::vector<EvaluatedRun>& runs) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(run.record.timing.gpu_s);
  return values;
}

// gpu_s is -1 in runs that used no GPU.
bool all_measured(const std::vector<double>& seconds) {
  return std::all_of(seconds.begin(), seconds.end(), [](double s) { return s >= 0; });
}

// The two forms of the determinism overhead, from the mean times of the ND and the D runs:
// seed 001's ratio D / ND and seed 000's percentage 100 (ND - D) / D.
void overheads(double nd_seconds, double d_seconds, const std::string& field,
               std::optional<double>* ratio, std::optional<double>* pct,
               std::vector<std::string>* notes) {
  if (nd_seconds <= 0) {
    notes->push_back(field + ": null: the ND runs' mean time is 0");
  } else {
    *ratio = d_seconds / nd_seconds;
  }
  if (d_seconds <= 0) {
    notes->push_back(field + "_pct: null: the D runs' mean time is 0");
  } else {
    *pct = 100 * (nd_seconds - d_seconds) / d_seconds;
  }
}

// D runs that are all the same run: their logits are equal byte for byte. (Equal accuracies
// alone are not enough: runs with different seeds can tie on a small test set.)
bool same_run(const std::vector<EvaluatedRun>& d_runs) {
  return std::all_of(d_runs.begin(), d_runs.end(), [&](const EvaluatedRun& run) {
    return run.record.logits == d_runs[0].record.logits;
  });
}

// The t-test that fits the design (stats/t_test.h), with the notes for its rules.
void test_nd_against_d(const std::vector<double>& x, const std::vector<double>& y,
                       const std::vector<EvaluatedRun>& d_runs, NdVsD* result) {
  result->test = same_run(d_runs) ? stats::TTestKind::kOneSample : stats::TTestKind::kWelch;
  stats::TTest test = result->test == stats::TTestKind::kWelch
                          ? stats::welch_t_test(x, y)
                          : stats::one_sample_t_test(x, *result->d_value);
  result->t_stat = test.t;
  result->t_df = test.df;
  result->p_value = test.p;
  bool no_spread = *result->nd_sd == 0 && result->d_sd.value_or(0) == 0;
  if (no_spread && test.t) {
    result->notes.push_back("t_stat = 0, p_value = 1 by rule: every ND value equals d_value");
  }
  if (no_spread && !test.t) {
    result->notes.push_back(
        "t_stat: null (infinite), p_value = 0 by rule: the ND values are all equal and differ "
        "from d_value");
  }
}

}  // namespace

NdVsD compare_nd_vs_d(const std::vector<EvaluatedRun>& nd_runs,
                      const std::vector<EvaluatedRun>& d_runs) {
  NdVsD result;
  result.n_nd = static_cast<int64_t>(nd_runs.size());
  result.n_d = static_cast<int64_t>(d_runs.size());
  std::vector<double> x = metric_values(nd_runs), y = metric_values(d_runs);
  result.nd_mean = stats::mean(x);
  result.nd_sd = stats::sample_sd(x);
  result.d_value = stats::mean(y);
  result.d_sd = stats::sample_sd(y);

  if (result.n_nd == 0) {
    result.notes.push_back(
        "nd_mean, nd_sd, delta_pct, delta_s, test, t_stat, t_df, p_value, nd_train_s, nd_gpu_s, "
        "overhead_train, overhead_gpu, overhead_train_pct, overhead_gpu_pct: null: the group "
        "has no ND runs");
  } else if (result.n_nd == 1) {
    result.notes.push_back(
        "nd_sd, delta_s, test, t_stat, t_df, p_value: null: the group has one ND run; they need "
        "two");
  }
  if (result.n_d == 0) {
    result.notes.push_back(
        "d_value, d_sd, delta_pct, test, t_stat, t_df, p_value, d_train_s, d_gpu_s, "
        "overhead_train, overhead_gpu, overhead_train_pct, overhead_gpu_pct: null: the group "
        "has no D runs");
  } else if (result.n_d == 1) {
    result.notes.push_back("d_sd: null: the group has one D run; an SD needs two");
  }

  if (result.nd_mean && result.d_value) {
    if (*result.d_value == 0) {
      result.notes.push_back("delta_pct: null: d_value is 0 (division by zero)");
    } else {
      result.delta_pct = 100 * (*result.nd_mean - *result.d_value) / *result.d_value;
    }
  }
  if (result.n_nd >= 2) result.nd_range_pp = 100 * *stats::range(x);

  if (result.n_nd >= 2 && result.d_value) test_nd_against_d(x, y, d_runs, &result);
  if (result.p_value) result.significant = *result.p_value <= kSignificanceLevel;

  result.nd_train_s = stats::mean(train_seconds(nd_runs));
  result.d_train_s = stats::mean(train_seconds(d_runs));
  result.nd_train_s_sd = stats::sample_sd(train_seconds(nd_runs));
  result.d_train_s_sd = stats::sample_sd(train_seconds(d_runs));
  std::vector<double> nd_gpu = gpu_seconds(nd_runs), d_gpu = gpu_seconds(d_runs);
  bool gpu_measured = all_measured(nd_gpu) && all_measured(d_gpu);
  if (gpu_measured) {
    result.nd_gpu_s = stats::mean(nd_gpu);
    result.d_gpu_s = stats::mean(d_gpu);
  } else {
    result.notes.push_back(
        "nd_gpu_s, d_gpu_s, overhead_gpu, overhead_gpu_pct: null: gpu_s is not measured (-1) in "
        "every run");
  }
  if (result.n_nd > 0 && result.n_d > 0) {
    overheads(*result.nd_train_s, *result.d_train_s, "overhead_train", &result.overhead_train,
              &result.overhead_train_pct, &result.notes);
    if (gpu_measured) {
      overheads(*result.nd_gpu_s, *result.d_gpu_s, "overhead_gpu", &result.overhead_gpu,
                &result.overhead_gpu_pct, &result.notes);
    }
    result.overhead_reliable =
        std::min(*result.nd_train_s, *result.d_train_s) >= kMinTimedSeconds;
    if (!*result.overhead_reliable) {
      result.notes.push_back(fmt::format(
          "overhead_train, overhead_gpu: unreliable: the runs train for less than {} s, too "
          "short to time (start-up and timer resolution weigh as much as the training)",
          kMinTimedSeconds));
    }
  }
  return result;
}

}  // namespace rs::report
