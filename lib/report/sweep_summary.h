// What the collector found in a sweep folder: the plain data every output is made from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "report/group_stats.h"

namespace rs::report {

// A run file the statistics could not use, or a run still being written.
struct SkippedRun {
  std::string path_or_run_id;
  std::string reason;
};

// Converts energy to CO2: kg = kWh * pue * carbon_kg_per_kwh. The defaults are seed 000's
// (0.385 kg/kWh for Essen, Germany, and no PUE); they are printed next to every CO2 figure.
struct CarbonFactors {
  double carbon_kg_per_kwh = 0.385;
  double pue = 1.0;
};

struct SweepSummary {
  std::string sweep_name;
  int64_t runs_planned = 0;  // lines of plan.jsonl; 0 without one
  int64_t runs_read = 0;     // runs that entered the statistics
  std::vector<GroupStats> groups;  // in plan order
  std::vector<SkippedRun> skipped;
  std::vector<std::string> missing_run_ids;  // planned runs that did not enter the statistics
  CarbonFactors carbon;
};

// True when any group's D runs with identical seeds differ.
bool determinism_failed(const SweepSummary& summary);

// kwh * pue * carbon_kg_per_kwh.
double co2_kg(double kwh, const CarbonFactors& carbon);

// Sum of the groups' energy_kwh.
double total_kwh(const SweepSummary& summary);

}  // namespace rs::report
