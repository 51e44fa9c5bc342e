// The forecast beside what was measured (docs/forecast.md, "Afterwards"): `sweep plan
// --forecast-from` keeps its forecast in DIR/forecast.json, and the collector sets the sweep's
// measured totals next to it: training seconds, GPU-hours, kWh and CO2, and whether each lies
// inside the forecast's interval.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "energy/energy_totals.h"
#include "energy/site_config.h"

namespace rs::report {

struct ForecastRow {
  std::string measure;  // train_s, gpu_hours, kwh, co2_kg
  std::optional<double> estimate, low, high;  // the forecast's; low and high null without an interval
  std::optional<double> measured;             // null when the runs do not tell it (kWh of unmetered runs)
  std::optional<bool> inside;                 // low <= measured <= high, when all three are known
};

struct ForecastCheck {
  int64_t runs_forecast = 0, runs_measured = 0;
  std::vector<ForecastRow> rows;  // train_s, gpu_hours, kwh, co2_kg
  std::vector<std::string> notes;
};

// The sweep's measured totals: train_s summed over the runs read, and their energy totals.
struct MeasuredCost {
  int64_t runs = 0;
  double train_s = 0;
  energy::EnergyTotals energy;
};

// nullopt when DIR/forecast.json does not exist. A forecast made for another plan (its plan_id
// is not sweep.json's) is not compared: nullopt, and `stale` says why. Throws rs::InputError for
// a forecast.json that is not one.
std::optional<ForecastCheck> check_forecast(const std::string& sweep_dir, const MeasuredCost& measured,
                                            const energy::SiteConfig& site, std::string* stale);

nlohmann::json forecast_check_json(const ForecastCheck& check);

}  // namespace rs::report
