#include "energy/run_energy.h"

#include <algorithm>

#include "energy/gpu_tdp.h"

namespace rs::energy {

RunEnergy run_energy(const runfile::RunRecord& run) {
  RunEnergy e;
  const runfile::Energy& file = run.energy;
  const bool on_gpu = !run.env.gpu_name.empty();
  const double gpus = static_cast<double>(std::max<size_t>(1, run.ranks.size()));  // one per rank
  if (on_gpu) e.gpu_hours = gpus * run.timing.wall_s / 3600.0;

  if (file.method == "nvml-counter" || file.method == "nvml-power") {
    e.gpu_j = file.gpu_j;
    e.cpu_j = file.cpu_j;
    e.method = file.method;
    return e;
  }
  if (file.method == "estimate") {
    e.estimated_j = file.gpu_j + file.cpu_j;
    e.method = "estimate";
    return e;
  }
  if (file.method == "rapl") e.cpu_j = file.cpu_j;
  e.method = file.method;
  if (!on_gpu) return e;
  if (std::optional<GpuTdp> tdp = find_gpu_tdp(run.env.gpu_name)) {
    e.estimated_j = gpus * tdp->watts * run.timing.wall_s;
    e.method = "estimate";
  } else {
    e.method = "none";
    e.unknown_gpu = true;
  }
  return e;
}

}  // namespace rs::energy
