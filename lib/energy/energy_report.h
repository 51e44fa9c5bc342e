// `sweep energy`'s totals: run files' energy summed per group (run_energy.h says what each
// run counts for), and over all of them.
//
//   kWh = (gpu_j + cpu_j) / 3.6e6 over measured joules only; estimated joules have their own
//   kWh, and CO2 of either = kWh x PUE x carbon intensity (site_config.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runfile/run_file.h"

namespace rs::energy {

inline constexpr double kJoulesPerKwh = 3.6e6;

// What the runs are grouped by, and where each key comes from.
enum class GroupBy {
  kSweep,      // root attribute sweep_name
  kUser,       // /env user
  kAccount,    // /env slurm_account
  kPartition,  // /env slurm_partition
  kGpuModel,   // /env gpu_name
  kNode,       // /env hostname
  kDay,        // the date part of the root attribute finished_at (UTC)
};

// "sweep", "user", "account", "partition", "gpu_model", "node", "day"; throws rs::InputError
// for anything else.
GroupBy parse_group_by(const std::string& name);
std::string group_by_name(GroupBy by);

// The run's group under `by`; "" when the run file leaves that field empty.
std::string group_key(const runfile::RunRecord& run, GroupBy by);

struct MethodShare {
  int64_t runs = 0;
  double joules = 0;  // measured and estimated joules of those runs
};

struct EnergyTotals {
  std::string key;
  int64_t runs = 0;
  double gpu_j = 0, cpu_j = 0;  // measured
  double estimated_j = 0;
  double gpu_hours = 0;
  std::map<std::string, MethodShare> methods;  // by the method each run is listed under

  double kwh() const { return (gpu_j + cpu_j) / kJoulesPerKwh; }
  double estimated_kwh() const { return estimated_j / kJoulesPerKwh; }
};

struct EnergyReport {
  GroupBy by = GroupBy::kSweep;
  std::vector<EnergyTotals> groups;  // sorted by key
  EnergyTotals total;                // key "all"
  // GPU models of runs that measured nothing and that gpu_tdp.h has no TDP for, with their
  // number of runs: their energy is missing from every total.
  std::map<std::string, int64_t> unknown_gpu_models;
};

EnergyReport summarize(const std::vector<runfile::RunRecord>& runs, GroupBy by);

}  // namespace rs::energy
