// `sweep plan --forecast-from PATH...`: what a planned sweep will cost, per array and in total,
// predicted from earlier run files (cost_model.h; docs/forecast.md).
#pragma once

#include <nlohmann/json.hpp>

#include "energy/site_config.h"
#include "forecast/cost_model.h"
#include "grid/plan.h"

namespace rs::forecast {

// The `forecast` object of `sweep plan --format json`:
//   runs, calibration_runs (the runs of the keys the forecast used), calibrated_runs,
//   time_limit_runs (runs with no calibration run of their key: they count with their whole
//   time limit, an upper bound, and no energy);
//   train_s (sum over runs), wall_s (at the arrays' throttle), gpu_hours, kwh, co2_kg: each
//   {"estimate", "low", "high"} (low and high null without an interval; kwh and co2_kg null
//   when some run has no energy prediction);
//   arrays: the same per array, with its script; pue and carbon_intensity with their sources;
//   method; notes.
nlohmann::json forecast_plan(const grid::Plan& plan, const CostModel& model, const energy::SiteConfig& site);

}  // namespace rs::forecast
