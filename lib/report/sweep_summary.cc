#include "report/sweep_summary.h"

#include <algorithm>

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

}  // namespace rs::report
