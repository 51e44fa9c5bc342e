#include "forecast/cost_model.h"

#include <cmath>

#include <boost/math/distributions/students_t.hpp>

#include "energy/run_energy.h"
#include "forecast/run_cost.h"
#include "util/error.h"

namespace rs::forecast {

namespace {

struct Sample {
  double log_rate = 0, overhead_s = 0, wall_s = 0;
  std::optional<double> joules;
  std::string device;
};

Range scaled(double estimate, std::optional<double> factor, double plus = 0) {
  Range range{estimate + plus, std::nullopt, std::nullopt};
  if (factor) {
    range.low = estimate / *factor + plus;
    range.high = estimate * *factor + plus;
  }
  return range;
}

}  // namespace

CostModel fit_cost_model(const std::vector<runfile::RunRecord>& runs) {
  CostModel model;
  std::map<std::string, std::vector<Sample>> by_key;
  for (const auto& run : runs) {
    const runfile::Timing& t = run.timing;
    if (!(t.train_s > 0) || !std::isfinite(t.train_s) || !std::isfinite(t.wall_s) || t.wall_s < t.train_s) {
      model.skipped.emplace_back(run.run_id, "no usable /timing train_s and wall_s");
      continue;
    }
    RunCost cost;
    try {
      cost = run_cost(nlohmann::json::parse(run.params_json));
    } catch (const std::exception& e) {
      model.skipped.emplace_back(run.run_id, std::string("params: ") + e.what());
      continue;
    }
    Sample sample{std::log(t.train_s / cost.work), t.wall_s - t.train_s, t.wall_s, std::nullopt,
                  run.env.gpu_name.empty() ? run.env.cpu_model : run.env.gpu_name};
    energy::RunEnergy energy = energy::run_energy(run);
    double joules = energy.gpu_j + energy.cpu_j + energy.estimated_j;
    if (joules > 0 && std::isfinite(joules)) sample.joules = joules;
    by_key[cost.key].push_back(sample);
  }
  double squares = 0;
  for (const auto& [key, samples] : by_key) {
    KeyFit fit;
    fit.runs = static_cast<int64_t>(samples.size());
    double measured_j = 0, measured_wall_s = 0;
    for (const auto& s : samples) {
      fit.log_rate += s.log_rate / static_cast<double>(fit.runs);
      fit.overhead_s += s.overhead_s / static_cast<double>(fit.runs);
      fit.devices.insert(s.device);
      if (s.joules) {
        measured_j += *s.joules;
        measured_wall_s += s.wall_s;
      }
    }
    if (measured_wall_s > 0) fit.watts = measured_j / measured_wall_s;
    for (const auto& s : samples) squares += (s.log_rate - fit.log_rate) * (s.log_rate - fit.log_rate);
    model.runs += fit.runs;
    model.keys[key] = fit;
  }
  model.residual_df = model.runs - static_cast<int64_t>(model.keys.size());
  if (model.residual_df >= 1) model.residual_sd = std::sqrt(squares / static_cast<double>(model.residual_df));
  return model;
}

std::optional<RunPrediction> predict_run(const CostModel& model, const nlohmann::json& params) {
  RunCost cost = run_cost(params);
  auto found = model.keys.find(cost.key);
  if (found == model.keys.end()) return std::nullopt;
  const KeyFit& fit = found->second;
  std::optional<double> factor;
  if (model.residual_sd) {
    double t = boost::math::quantile(boost::math::students_t(static_cast<double>(model.residual_df)), 0.975);
    factor = std::exp(t * *model.residual_sd * std::sqrt(1 + 1 / static_cast<double>(fit.runs)));
  }
  RunPrediction prediction;
  prediction.calibrated = true;
  prediction.calibration_runs = fit.runs;
  double train_s = std::exp(fit.log_rate) * cost.work;
  prediction.train_s = scaled(train_s, factor);
  prediction.wall_s = scaled(train_s, factor, fit.overhead_s);
  if (fit.watts) {
    const Range& wall = prediction.wall_s;
    prediction.joules = Range{*fit.watts * wall.estimate, std::nullopt, std::nullopt};
    if (wall.low) prediction.joules->low = *fit.watts * *wall.low;
    if (wall.high) prediction.joules->high = *fit.watts * *wall.high;
  }
  return prediction;
}

}  // namespace rs::forecast
