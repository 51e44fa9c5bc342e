// Everything the collector reports about one group (the runs that share a group_id: the same
// parameters except mode, replica and seeds).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "contract/mode.h"
#include "energy/energy_totals.h"
#include "report/determinism.h"
#include "report/environments.h"
#include "report/evaluated_run.h"
#include "report/nd_vs_d.h"
#include "report/portability.h"
#include "report/stability.h"
#include "report/tta.h"

namespace rs::report {

// The runs of a group on one device: a GPU model (/env gpu_name) or, for runs without a GPU, the
// CPU model.
struct DeviceRuns {
  std::string device;
  bool gpu = false;
  int64_t runs = 0;
};

struct GroupStats {
  std::string group_id;
  nlohmann::json params;  // the first run's params without mode, replica and seeds
  std::vector<std::string> nd_run_ids, d_run_ids;
  std::vector<double> nd_accuracies, d_accuracies;  // accuracy, in the order of the run ids
  std::vector<double> nd_values, d_values;  // the compared metric (x_i), in that order
  NdVsD nd_vs_d;
  // Which runs the stability measures use: nd, or d when the group has fewer than two ND runs
  // but at least two D runs (the one-source-at-a-time design varies seeds in mode d).
  contract::Mode stability_over = contract::Mode::kNd;
  Stability stability;
  EnvironmentAxis environments;  // over the stability_over runs
  DeterminismCheck determinism;  // D runs with equal seeds in one environment
  Portability portability;       // D runs with equal seeds across environments
  TtaReduction tta;  // over the stability_over runs that have /eval/logits_tta
  energy::EnergyTotals energy;  // every run of the group, key = group_id (energy/energy_totals.h)
  double train_s = 0;           // every run of the group, summed (what a forecast predicts)
  std::vector<DeviceRuns> devices;  // every run of the group, sorted by device
  bool cpu_only = false;            // no run of the group used a GPU
};

// `devices` added up by device: entries for the same device become one, sorted by device.
std::vector<DeviceRuns> merge_devices(const std::vector<DeviceRuns>& devices);

// True when the group ran on CPUs alone and its ND runs give exactly the D value: on a CPU the
// kernels are deterministic, so ND equal to D says nothing about GPU nondeterminism.
bool nd_equals_d_on_cpu(const GroupStats& group);

// `runs`: the group's usable runs, at least one. Sorts them by mode, replica and run_id.
GroupStats compute_group_stats(const std::string& group_id, std::vector<EvaluatedRun> runs);

// Every note of the group's parts, each explaining a null value or a rule that applied.
std::vector<std::string> group_notes(const GroupStats& group);

}  // namespace rs::report
