#include "report/sweep_summary.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rs::report {

bool determinism_failed(const SweepSummary& summary) {
  return std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
    return group.determinism.d_identical == false;
  });
}

energy::EnergyTotals total_energy(const SweepSummary& summary) {
  energy::EnergyTotals total;
  total.key = "all";
  for (const auto& group : summary.groups) energy::add_totals(&total, group.energy);
  return total;
}

std::vector<DeviceRuns> sweep_devices(const SweepSummary& summary) {
  std::vector<DeviceRuns> all;
  for (const auto& group : summary.groups) {
    all.insert(all.end(), group.devices.begin(), group.devices.end());
  }
  return merge_devices(all);
}

std::string group_numbers(const std::vector<size_t>& numbers) {
  std::vector<std::string> runs;
  for (size_t i = 0; i < numbers.size();) {
    size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    runs.push_back(j == i ? fmt::format("#{}", numbers[i])
                          : fmt::format("#{}-#{}", numbers[i], numbers[j]));
    i = j + 1;
  }
  return fmt::format("{}", fmt::join(runs, ", "));
}

std::string no_runs_sentence(const SweepSummary& summary) {
  if (summary.skipped.empty()) return "No complete runs to report yet.";
  return fmt::format("No run entered the statistics: {} run file{} skipped.",
                     summary.skipped.size(), summary.skipped.size() == 1 ? "" : "s");
}

std::string cpu_note(const SweepSummary& summary) {
  std::vector<size_t> numbers;
  for (size_t g = 0; g < summary.groups.size(); ++g) {
    if (nd_equals_d_on_cpu(summary.groups[g])) numbers.push_back(g + 1);
  }
  if (numbers.empty()) return "";
  return fmt::format(
      "{} {} ran on the CPU, where the kernels are deterministic: {} ND runs equal {} D runs "
      "exactly. That is the CPU, not a finding about nondeterminism; run on a GPU to measure "
      "it.",
      numbers.size() == 1 ? "Group" : "Groups", group_numbers(numbers),
      numbers.size() == 1 ? "its" : "their", numbers.size() == 1 ? "its" : "their");
}

}  // namespace rs::report
