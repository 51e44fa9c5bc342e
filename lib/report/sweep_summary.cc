#include "report/sweep_summary.h"

#include <algorithm>

namespace rs::report {

bool determinism_failed(const SweepSummary& summary) {
  return std::any_of(summary.groups.begin(), summary.groups.end(), [](const GroupStats& group) {
    return group.determinism.d_identical == false;
  });
}

double co2_kg(double kwh, const CarbonFactors& carbon) {
  return kwh * carbon.pue * carbon.carbon_kg_per_kwh;
}

double total_kwh(const SweepSummary& summary) {
  double total = 0;
  for (const auto& group : summary.groups) total += group.energy_kwh;
  return total;
}

}  // namespace rs::report
