// What the collector found in a sweep folder: the plain data every output is made from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "energy/energy_totals.h"
#include "energy/site_config.h"
#include "report/adaptive_stops.h"
#include "report/forecast_check.h"
#include "report/group_stats.h"
#include "stats/metric.h"

namespace rs::report {

// A run file the statistics could not use, or a run still being written.
struct SkippedRun {
  std::string path_or_run_id;
  std::string reason;
};

// A run that did not see what its environment promised (runfile/environment_promise.h).
struct BrokenPromise {
  std::string run_id, environment;
  std::vector<std::string> problems;  // "torch_version: expected 2.11.0, the run saw 1.13.1"
};

struct SweepSummary {
  std::string sweep_name;
  stats::Metric metric = stats::Metric::kAccuracy;  // the value compared, x_i
  int64_t runs_planned = 0;  // lines of plan.jsonl; 0 without one
  int64_t runs_read = 0;     // runs that entered the statistics
  std::vector<GroupStats> groups;  // in plan order
  std::vector<SkippedRun> skipped;
  std::vector<std::string> missing_run_ids;  // planned runs that did not enter the statistics
  // Per adaptive point, why it stopped; replicas its waves never asked for are not missing.
  std::vector<AdaptiveStop> adaptive;
  // `sweep plan --forecast-from`'s forecast beside the measured totals, when DIR has one for
  // this plan; forecast_note says why one that is there was not compared.
  std::optional<ForecastCheck> forecast;
  std::string forecast_note;
  std::vector<BrokenPromise> broken_promises;  // in the order the runs were read
  // The PUE and carbon intensity that turn kWh into CO2, with their sources, echoed next to
  // every CO2 figure.
  energy::SiteConfig site;
};

// True when any group's D runs with identical seeds differ.
bool determinism_failed(const SweepSummary& summary);

// The energy of every group's runs together.
energy::EnergyTotals total_energy(const SweepSummary& summary);

// Groups' numbers as the tables show them: "#1-#3, #5" for 1 2 3 5 (ascending).
std::string group_numbers(const std::vector<size_t>& numbers);

// Every group's runs by device, added up over the groups.
std::vector<DeviceRuns> sweep_devices(const SweepSummary& summary);

// "No complete runs to report yet." or, when run files were skipped, "No run entered the
// statistics: 3 run files skipped." (a sweep without groups).
std::string no_runs_sentence(const SweepSummary& summary);

// One sentence when some groups' ND runs equal their D runs because they ran on a CPU
// (nd_equals_d_on_cpu), naming those groups and saying what that means; "" otherwise.
std::string cpu_note(const SweepSummary& summary);

}  // namespace rs::report
