// The cost of a run, fitted from earlier run files (`sweep plan --forecast-from`; the model and
// what it assumes: docs/forecast.md).
//
// Per cost key (run_cost.h), from the calibration runs with that key:
//   rate      train_s per unit of work: exp(mean of log(train_s / work)), a geometric mean
//   overhead  mean of wall_s - train_s: start-up, data loading, the final evaluation
//   watts     the runs' joules over their wall seconds (energy/run_energy.h: measured or
//             estimated joules), where some run has joules
// A run of that key is predicted to train rate x work seconds. Its interval is the 95 %
// prediction interval of a log-normal error, est / F to est x F with
//   F = exp(t(0.975; df) s sqrt(1 + 1/m)),
// s the residual SD of log(train_s / work) pooled over every key (df = runs - keys), m the
// key's calibration runs. With df < 1 there is no interval.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runfile/run_file.h"

namespace rs::forecast {

struct KeyFit {
  int64_t runs = 0;
  double log_rate = 0;     // mean of log(train_s / work)
  double overhead_s = 0;   // mean of wall_s - train_s
  std::optional<double> watts;
  std::set<std::string> devices;  // /env gpu_name, or cpu_model without a GPU
};

struct CostModel {
  std::map<std::string, KeyFit> keys;
  int64_t runs = 0;                   // calibration runs used
  std::optional<double> residual_sd;  // pooled SD of the log residuals; needs df >= 1
  int64_t residual_df = 0;            // runs - keys
  std::vector<std::pair<std::string, std::string>> skipped;  // run_id, why not used
};

CostModel fit_cost_model(const std::vector<runfile::RunRecord>& runs);

struct Range {
  double estimate = 0;
  std::optional<double> low, high;  // nullopt: no interval
};

struct RunPrediction {
  bool calibrated = false;  // false: no calibration run of its key
  int64_t calibration_runs = 0;
  Range train_s, wall_s;
  std::optional<Range> joules;  // nullopt: its key's runs measured no energy
};

// The prediction for a run with these params; nullopt when no calibration run has its key.
std::optional<RunPrediction> predict_run(const CostModel& model, const nlohmann::json& params);

}  // namespace rs::forecast
