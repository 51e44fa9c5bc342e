#include "energy/energy_totals.h"

namespace rs::energy {

int64_t EnergyTotals::runs_by(const std::string& method) const {
  auto share = methods.find(method);
  return share == methods.end() ? 0 : share->second.runs;
}

void add_run(EnergyTotals* totals, const RunEnergy& run) {
  ++totals->runs;
  totals->gpu_j += run.gpu_j;
  totals->cpu_j += run.cpu_j;
  totals->estimated_j += run.estimated_j;
  totals->gpu_hours += run.gpu_hours;
  MethodShare& share = totals->methods[run.method];
  ++share.runs;
  share.joules += run.gpu_j + run.cpu_j + run.estimated_j;
}

void add_totals(EnergyTotals* totals, const EnergyTotals& more) {
  totals->runs += more.runs;
  totals->gpu_j += more.gpu_j;
  totals->cpu_j += more.cpu_j;
  totals->estimated_j += more.estimated_j;
  totals->gpu_hours += more.gpu_hours;
  for (const auto& [method, share] : more.methods) {
    MethodShare& into = totals->methods[method];
    into.runs += share.runs;
    into.joules += share.joules;
  }
}

}  // namespace rs::energy
