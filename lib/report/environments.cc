#include "report/environments.h"

#include <algorithm>
#include <map>

#include "stats/descriptive.h"

namespace rs::report {

Environment environment_of(const runfile::EnvInfo& env, const std::string& name) {
  return {name, env.gpu_name.empty() ? env.cpu_model : env.gpu_name,
          env.driver_version, env.cuda_version, env.cudnn_version, env.torch_version};
}

std::string environment_label(const Environment& environment) {
  std::string label;
  auto add = [&](const std::string& name, const std::string& value) {
    if (value.empty()) return;
    if (!label.empty()) label += ", ";
    label += name.empty() ? value : name + " " + value;
  };
  add("", environment.device);
  add("driver", environment.driver_version);
  add("CUDA", environment.cuda_version);
  add("cuDNN", environment.cudnn_version);
  add("torch", environment.torch_version);
  if (label.empty()) label = "unknown";
  return environment.name.empty() ? label : environment.name + ": " + label;
}

EnvironmentAxis measure_environments(const std::vector<EvaluatedRun>& runs) {
  std::map<Environment, std::vector<const EvaluatedRun*>> by_environment;
  for (const auto& run : runs) by_environment[environment_of(run.record.env, run.environment)].push_back(&run);

  EnvironmentAxis axis;
  std::vector<double> means, all_accuracies;
  bool single_runs = false;
  for (const auto& [environment, members] : by_environment) {
    EnvironmentStats stats;
    stats.environment = environment;
    std::vector<double> accuracies;
    for (const auto* run : members) {
      stats.run_ids.push_back(run->record.run_id);
      accuracies.push_back(run->accuracy);
      all_accuracies.push_back(run->accuracy);
    }
    stats.mean = stats::mean(accuracies);
    stats.sd = stats::sample_sd(accuracies);
    stats.min = *std::min_element(accuracies.begin(), accuracies.end());
    stats.max = *std::max_element(accuracies.begin(), accuracies.end());
    single_runs = single_runs || members.size() < 2;
    means.push_back(*stats.mean);
    axis.environments.push_back(stats);
  }
  if (means.size() >= 2) {
    axis.range = stats::range(means);
    axis.range_runs = stats::range(all_accuracies);
  } else {
    axis.notes.push_back(
        "env_range, env_range_runs: null: the runs ran in fewer than two environments");
  }
  if (single_runs) {
    axis.notes.push_back("environments: sd null where an environment has one run");
  }
  return axis;
}

}  // namespace rs::report
