#include "report/group_stats.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace rs::report {

namespace {

constexpr double kJoulesPerKwh = 3.6e6;

nlohmann::json group_params(const runfile::RunRecord& record) {
  nlohmann::json params = nlohmann::json::parse(record.params_json);
  for (const char* key : {"mode", "replica", "seeds"}) params.erase(key);
  return params;
}

std::vector<std::string> run_ids(const std::vector<EvaluatedRun>& runs) {
  std::vector<std::string> ids;
  for (const auto& run : runs) ids.push_back(run.record.run_id);
  return ids;
}

std::vector<double> accuracies(const std::vector<EvaluatedRun>& runs) {
  std::vector<double> values;
  for (const auto& run : runs) values.push_back(run.accuracy);
  return values;
}

}  // namespace

GroupStats compute_group_stats(const std::string& group_id, std::vector<EvaluatedRun> runs) {
  std::sort(runs.begin(), runs.end(), [](const EvaluatedRun& a, const EvaluatedRun& b) {
    return std::tie(a.record.mode, a.record.replica, a.record.run_id) <
           std::tie(b.record.mode, b.record.replica, b.record.run_id);
  });
  GroupStats group;
  group.group_id = group_id;
  group.params = group_params(runs[0].record);
  for (const auto& run : runs) {
    group.energy_kwh += (run.record.energy.gpu_j + run.record.energy.cpu_j) / kJoulesPerKwh;
    if (run.record.energy.method == "none") ++group.n_runs_without_energy;
  }

  std::vector<EvaluatedRun> nd_runs, d_runs;
  for (auto& run : runs) {
    if (run.record.mode == "nd") {
      nd_runs.push_back(std::move(run));
    } else {
      d_runs.push_back(std::move(run));
    }
  }
  group.nd_run_ids = run_ids(nd_runs);
  group.d_run_ids = run_ids(d_runs);
  group.nd_accuracies = accuracies(nd_runs);
  group.d_accuracies = accuracies(d_runs);

  group.nd_vs_d = compare_nd_vs_d(nd_runs, d_runs);
  group.determinism = check_d_runs(d_runs);
  bool use_d = nd_runs.size() < 2 && d_runs.size() >= 2;
  group.stability_over = use_d ? "d" : "nd";
  group.stability = measure_stability(use_d ? d_runs : nd_runs);
  group.environments = measure_environments(use_d ? d_runs : nd_runs);
  return group;
}

std::vector<std::string> group_notes(const GroupStats& group) {
  std::vector<std::string> notes = group.nd_vs_d.notes;
  auto append = [&](const std::vector<std::string>& more) {
    notes.insert(notes.end(), more.begin(), more.end());
  };
  append(group.determinism.notes);
  append(group.stability.notes);
  append(group.stability.class_spread.notes);
  append(group.environments.notes);
  if (group.n_runs_without_energy > 0) {
    notes.push_back(fmt::format(
        "energy_kwh: {} of the group's runs measured no energy (method none) and count as 0 J",
        group.n_runs_without_energy));
  }
  return notes;
}

}  // namespace rs::report
