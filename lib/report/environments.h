// The environment axis (seed 003): the same configuration run on different GPU models or
// software versions can give different results, from the environment alone.
//
// An environment is what a run file's /env says the run ran on: the grid's environment it was
// planned in (its name; "" for a grid without `environments:`), the GPU model (the CPU model
// for a run without GPU), the driver, CUDA, cuDNN and torch versions. Within a group, the runs
// are split by environment and each environment's accuracies are summarised. A named
// environment whose runs saw two fingerprints is two environments here: that is worth seeing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "report/evaluated_run.h"

namespace rs::report {

struct Environment {
  std::string name;    // the grid's environment (params and /env `environment`); "" = none
  std::string device;  // /env gpu_name, or cpu_model when gpu_name is ""
  std::string driver_version, cuda_version, cudnn_version, torch_version;

  bool operator<(const Environment& other) const {
    return std::tie(name, device, driver_version, cuda_version, cudnn_version, torch_version) <
           std::tie(other.name, other.device, other.driver_version, other.cuda_version,
                    other.cudnn_version, other.torch_version);
  }
  bool operator==(const Environment& other) const { return !(*this < other) && !(other < *this); }
};

// `name`: the grid's environment the run belongs to (EvaluatedRun::environment).
Environment environment_of(const runfile::EnvInfo& env, const std::string& name = "");

// "NVIDIA A100, driver 535.104, CUDA 12.2, cuDNN 8902, torch 2.1.0", after "name: " for a named
// environment; fields that are "" are left out, and an environment with no field at all reads
// "unknown".
std::string environment_label(const Environment& environment);

// The accuracies of a group's runs in one environment.
struct EnvironmentStats {
  Environment environment;
  std::vector<std::string> run_ids;
  std::optional<double> mean, sd, min, max;  // sd needs two runs
};

struct EnvironmentAxis {
  std::vector<EnvironmentStats> environments;  // sorted by Environment
  // Two ranges (seed 003's "over 6 %" is over individual runs), both needing two environments:
  std::optional<double> range;       // max - min of the environments' mean accuracies
  std::optional<double> range_runs;  // max - min of the accuracies of all the runs
  std::vector<std::string> notes;
};

// `runs`: the runs the group's stability measures use (one mode).
EnvironmentAxis measure_environments(const std::vector<EvaluatedRun>& runs);

}  // namespace rs::report
