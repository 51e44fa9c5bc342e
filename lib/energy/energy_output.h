// How `sweep energy` shows its report: tables (for the terminal, Markdown or CSV) and JSON.
// Every form carries the PUE and carbon intensity it used with their sources, keeps estimated
// energy in columns of its own, and lists each group's runs by energy method.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "energy/energy_report.h"
#include "energy/run_scan.h"
#include "energy/site_config.h"
#include "energy/slurm_check.h"
#include "util/table.h"

namespace rs::energy {

// One row per group and a last row "all". Its footnotes define the columns.
Table energy_table(const EnergyReport& report, const SiteConfig& site);

// Our wall time and energy next to SLURM's, one row per job; no rows when there was no check.
Table slurm_table(const SlurmCheck& check);

// What a reader needs besides the tables: the site factors and their sources, runs with no
// energy at all, files skipped, the SLURM check's outcome. One line each.
std::vector<std::string> energy_notes(const EnergyReport& report, const SiteConfig& site,
                                      const SlurmCheck& check, const ScannedRuns& scanned);

// Everything above as one JSON object (energy joules as read, not rounded).
nlohmann::json energy_json(const EnergyReport& report, const SiteConfig& site, const SlurmCheck& check,
                           const ScannedRuns& scanned);

}  // namespace rs::energy
