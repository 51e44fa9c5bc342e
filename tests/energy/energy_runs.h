// Run records holding what `sweep energy` reads, for its tests.
#pragma once

#include <string>

#include "run_record.h"
#include "runfile/run_file.h"

namespace rs::energy::testing {

// A run of `wall_s` seconds whose /energy says `method`, `gpu_j`, `cpu_j`; on the GPU
// `gpu_name` ("" for a CPU run). Other fields are left for each test to set.
inline runfile::RunRecord energy_run(const std::string& run_id, const std::string& method, double gpu_j,
                                     double cpu_j, const std::string& gpu_name, double wall_s) {
  runfile::RunRecord run = rs::testing::finished_run_record(run_id, "sweep-a", "g");
  run.env.gpu_name = gpu_name;
  run.timing.wall_s = wall_s;
  run.energy.method = method;
  run.energy.gpu_j = gpu_j;
  run.energy.cpu_j = cpu_j;
  return run;
}

}  // namespace rs::energy::testing
