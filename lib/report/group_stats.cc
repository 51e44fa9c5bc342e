#include "report/group_stats.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "energy/run_energy.h"
#include "stats/descriptive.h"

namespace rs::report {

namespace {

nlohmann::json group_params(const runfile::RunRecord& record) {
  nlohmann::json params = nlohmann::json::parse(record.params_json);
  for (const char* key : {"mode", "replica", "seeds", "environment"}) params.erase(key);
  return params;
}

std::vector<std::string> run_ids(const std::vector<EvaluatedRun>& runs) {
  std::vector<std::string> ids;
  for (const auto& run : runs) ids.push_back(run.record.run_id);
  return ids;
}

// One entry per run: the GPU model, or the CPU model for a run without a GPU.
std::vector<DeviceRuns> devices_of(const std::vector<EvaluatedRun>& runs) {
  std::vector<DeviceRuns> devices;
  for (const auto& run : runs) {
    const runfile::EnvInfo& env = run.record.env;
    bool gpu = !env.gpu_name.empty();
    devices.push_back({gpu ? env.gpu_name : env.cpu_model, gpu, 1});
  }
  return devices;
}

}  // namespace

std::vector<DeviceRuns> merge_devices(const std::vector<DeviceRuns>& devices) {
  std::map<std::pair<std::string, bool>, int64_t> counts;
  for (const auto& device : devices) counts[{device.device, device.gpu}] += device.runs;
  std::vector<DeviceRuns> merged;
  for (const auto& [device, runs] : counts) merged.push_back({device.first, device.second, runs});
  return merged;
}

GroupStats compute_group_stats(const std::string& group_id, std::vector<EvaluatedRun> runs) {
  std::sort(runs.begin(), runs.end(), [](const EvaluatedRun& a, const EvaluatedRun& b) {
    return std::tie(a.record.mode, a.record.replica, a.record.run_id) <
           std::tie(b.record.mode, b.record.replica, b.record.run_id);
  });
  GroupStats group;
  group.group_id = group_id;
  group.params = group_params(runs[0].record);
  group.energy.key = group_id;
  for (const auto& run : runs) {
    energy::add_run(&group.energy, energy::run_energy(run.record));
    group.train_s += run.record.timing.train_s;
  }
  group.devices = merge_devices(devices_of(runs));
  group.cpu_only = std::none_of(group.devices.begin(), group.devices.end(),
                                [](const DeviceRuns& device) { return device.gpu; });

  std::vector<EvaluatedRun> nd_runs, d_runs;
  for (auto& run : runs) {
    if (run.record.mode == contract::mode_name(contract::Mode::kNd)) {
      nd_runs.push_back(std::move(run));
    } else {
      d_runs.push_back(std::move(run));
    }
  }
  group.nd_run_ids = run_ids(nd_runs);
  group.d_run_ids = run_ids(d_runs);
  group.nd_accuracies = accuracies(nd_runs);
  group.d_accuracies = accuracies(d_runs);
  group.nd_values = metric_values(nd_runs);
  group.d_values = metric_values(d_runs);

  group.nd_vs_d = compare_nd_vs_d(nd_runs, d_runs);
  group.determinism = check_d_runs(d_runs);
  group.portability = measure_portability(d_runs);
  bool use_d = nd_runs.size() < 2 && d_runs.size() >= 2;
  group.stability_over = use_d ? contract::Mode::kD : contract::Mode::kNd;
  const std::vector<EvaluatedRun>& stability_runs = use_d ? d_runs : nd_runs;
  group.stability = measure_stability(stability_runs);
  group.tta = measure_tta(stability_runs);
  group.environments = measure_environments(stability_runs);
  return group;
}

bool nd_equals_d_on_cpu(const GroupStats& group) {
  const NdVsD& r = group.nd_vs_d;
  if (!group.cpu_only || r.n_nd == 0 || r.n_d == 0 || !stats::all_equal(group.d_values)) {
    return false;
  }
  return std::all_of(group.nd_values.begin(), group.nd_values.end(),
                     [&](double x) { return x == *r.d_value; });
}

std::vector<std::string> group_notes(const GroupStats& group) {
  std::vector<std::string> notes = group.nd_vs_d.notes;
  auto append = [&](const std::vector<std::string>& more) {
    notes.insert(notes.end(), more.begin(), more.end());
  };
  append(group.determinism.notes);
  append(group.stability.notes);
  append(group.stability.class_spread.notes);
  append(group.tta.notes);
  append(group.environments.notes);
  append(group.portability.notes);
  if (int64_t none = group.energy.runs_by("none"); none > 0) {
    notes.push_back(fmt::format(
        "energy: {} of the group's runs measured no energy and have none to estimate from "
        "(method none); they count as 0 J",
        none));
  }
  if (int64_t estimated = group.energy.runs_by("estimate"); estimated > 0) {
    notes.push_back(fmt::format(
        "energy: {} of the group's runs measured no GPU energy; their estimate (GPU TDP x wall "
        "time, or the run file's own) is in estimated_kwh, not in kwh",
        estimated));
  }
  return notes;
}

}  // namespace rs::report
