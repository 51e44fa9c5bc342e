// How energy totals and the site factors read, in `sweep energy` and in `sweep collect`'s
// tables, summary.json and report.html alike: one set of columns, one JSON shape, and the two
// lines that echo the PUE and carbon intensity with their sources next to every CO2 figure.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "energy/energy_totals.h"
#include "energy/site_config.h"

namespace rs::energy {

// "PUE 1.3; source: --pue" and "carbon intensity 0.381 kg CO2e/kWh; source: ...".
std::vector<std::string> site_lines(const SiteConfig& site);

// {"pue": {"value", "source"}, "carbon_intensity_kg_per_kwh": {"value", "source"}}
nlohmann::json site_json(const SiteConfig& site);

// The columns of a totals row after the column naming its key: runs, GPU-h, GPU kWh, CPU kWh,
// kWh, CO2 kg, est. kWh, est. CO2 kg, methods (runs, kWh); `align` as Table's.
struct EnergyColumns {
  std::vector<std::string> headers;
  std::string align;
};
EnergyColumns energy_columns();

// The cells of those columns for `totals`, CO2 from `site`.
std::vector<std::string> energy_cells(const EnergyTotals& totals, const SiteConfig& site);

// The totals in one line, for a terminal: "energy: 54 runs, 0.0123 kWh measured (rapl 54
// (0.0123 kWh)), 0.00469 kg CO2e", with the estimate when there is one.
std::string energy_line(const EnergyTotals& totals, const SiteConfig& site);

// What the columns mean, one footnote each.
std::vector<std::string> energy_footnotes();

// kWh as a table shows it: three decimals, more below 0.1 kWh so that three significant digits
// remain (a small sweep's runs use a few watt-hours).
std::string kwh_text(double kwh);

// The totals as JSON: key, runs, gpu_j, cpu_j, kwh, co2_kg, estimated_j, estimated_kwh,
// estimated_co2_kg, gpu_hours and methods ({method: {runs, joules}}); joules unrounded.
nlohmann::json totals_json(const EnergyTotals& totals, const SiteConfig& site);

// The formula of each field of totals_json, for the JSON outputs to carry.
nlohmann::json energy_definitions();

}  // namespace rs::energy
