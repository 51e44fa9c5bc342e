// Energy summed over runs, the one way `sweep energy` and `sweep collect` both add it up:
// measured joules, estimated joules (never mixed with measured ones), GPU-hours, and the runs
// by the method each is listed under (run_energy.h says what a run counts for).
//
//   kWh = (gpu_j + cpu_j) / 3.6e6 over measured joules only; estimated joules have their own
//   kWh, and CO2 of either = kWh x PUE x carbon intensity (site_config.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "energy/run_energy.h"

namespace rs::energy {

inline constexpr double kJoulesPerKwh = 3.6e6;

struct MethodShare {
  int64_t runs = 0;
  double joules = 0;  // measured and estimated joules of those runs
};

struct EnergyTotals {
  std::string key;  // what the runs have in common: a sweep, user, ... or a collector's group_id
  int64_t runs = 0;
  double gpu_j = 0, cpu_j = 0;  // measured
  double estimated_j = 0;
  double gpu_hours = 0;
  std::map<std::string, MethodShare> methods;  // by the method each run is listed under

  double kwh() const { return (gpu_j + cpu_j) / kJoulesPerKwh; }
  double estimated_kwh() const { return estimated_j / kJoulesPerKwh; }
  // Runs listed under `method` ("none": nothing measured and nothing to estimate from).
  int64_t runs_by(const std::string& method) const;
};

// Counts one run into `totals`.
void add_run(EnergyTotals* totals, const RunEnergy& run);

// Counts every run of `more` into `totals` (its key is left alone): the totals of groups added
// up are the totals of all their runs.
void add_totals(EnergyTotals* totals, const EnergyTotals& more);

}  // namespace rs::energy
