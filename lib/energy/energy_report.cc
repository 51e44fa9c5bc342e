#include "energy/energy_report.h"

#include <utility>

#include "energy/run_energy.h"
#include "util/error.h"

namespace rs::energy {
namespace {

const std::pair<GroupBy, const char*> kGroupByNames[] = {
    {GroupBy::kSweep, "sweep"},         {GroupBy::kUser, "user"},         {GroupBy::kAccount, "account"},
    {GroupBy::kPartition, "partition"}, {GroupBy::kGpuModel, "gpu_model"}, {GroupBy::kNode, "node"},
    {GroupBy::kDay, "day"},
};

}  // namespace

GroupBy parse_group_by(const std::string& name) {
  std::string names;
  for (const auto& [by, by_name] : kGroupByNames) {
    if (name == by_name) return by;
    names += std::string(names.empty() ? "" : "|") + by_name;
  }
  throw InputError("--by: expected " + names + ", got " + name);
}

std::string group_by_name(GroupBy by) {
  for (const auto& [known, name] : kGroupByNames)
    if (known == by) return name;
  return "";
}

std::string group_key(const runfile::RunRecord& run, GroupBy by) {
  switch (by) {
    case GroupBy::kSweep: return run.sweep_name;
    case GroupBy::kUser: return run.env.user;
    case GroupBy::kAccount: return run.env.slurm_account;
    case GroupBy::kPartition: return run.env.slurm_partition;
    case GroupBy::kGpuModel: return run.env.gpu_name;
    case GroupBy::kNode: return run.env.hostname;
    case GroupBy::kDay: return run.finished_at.substr(0, 10);
  }
  return "";
}

EnergyReport summarize(const std::vector<runfile::RunRecord>& runs, GroupBy by) {
  EnergyReport report;
  report.by = by;
  report.total.key = "all";
  std::map<std::string, EnergyTotals> groups;
  for (const runfile::RunRecord& run : runs) {
    RunEnergy e = run_energy(run);
    std::string key = group_key(run, by);
    EnergyTotals& group = groups[key];
    group.key = key;
    add_run(&group, e);
    add_run(&report.total, e);
    if (e.unknown_gpu) ++report.unknown_gpu_models[run.env.gpu_name];
  }
  for (auto& [key, group] : groups) report.groups.push_back(std::move(group));
  return report;
}

}  // namespace rs::energy
