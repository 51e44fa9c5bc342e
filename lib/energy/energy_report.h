// `sweep energy`'s totals: run files' energy summed per group of runs and over all of them, as
// energy_totals.h adds it up.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "energy/energy_totals.h"
#include "runfile/run_file.h"

namespace rs::energy {

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
