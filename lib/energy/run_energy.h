// What one run file counts for in `sweep energy`: measured joules, estimated joules (never
// mixed with measured ones), GPU-hours, and the method it is listed under.
//
// A run of several ranks (distributed training) holds the sums of its ranks' figures in /energy
// (each rank measured its own GPU) and had one GPU per rank.
//
// By the file's /energy/method:
//   nvml-counter, nvml-power  gpu_j and cpu_j are measurements;
//   rapl                      cpu_j is a measurement, the GPU's energy was not measured;
//   estimate                  gpu_j + cpu_j is someone's estimate (the file's writer's);
//   none, or anything else    nothing was measured; the file's joules mean nothing.
// A run on a GPU (/env/gpu_name not empty) whose GPU energy was not measured gets an
// estimate of TDP x /timing/wall_s per GPU when gpu_tdp.h knows its model, and is listed under
// "estimate"; under "none" when it does not. A run without a GPU is listed under its
// file's method.
//
// GPU-hours: /timing/wall_s / 3600 for each GPU of a run on GPUs (one, or one per rank); 0 for a
// run without one.
#pragma once

#include <string>

#include "runfile/run_file.h"

namespace rs::energy {

struct RunEnergy {
  double gpu_j = 0;        // measured
  double cpu_j = 0;        // measured
  double estimated_j = 0;  // not measured
  double gpu_hours = 0;
  std::string method;      // the method the run is listed under (see above)
  bool unknown_gpu = false;  // a GPU run with neither a measurement nor a TDP to estimate from
};

RunEnergy run_energy(const runfile::RunRecord& run);

}  // namespace rs::energy
