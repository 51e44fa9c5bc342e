// Nominal board power (TDP) of common NVIDIA data-centre GPUs, for estimating the energy of
// runs that measured none: estimate = TDP x wall time. GPUs seldom draw their TDP for a whole
// run, so the estimate is usually too high; `sweep energy` keeps it apart from measurements.
//
// Source: NVIDIA's product briefs and data sheets ("max thermal design power" / "max board
// power"); where a product comes in several power settings, the highest. Checked against the
// Green Algorithms calculator's GPU table (v3.0) where that lists the model.
#pragma once

#include <optional>
#include <string>

namespace rs::energy {

struct GpuTdp {
  const char* model;  // how the table names it, e.g. "H100 PCIe"
  double watts;
};

// The entry for a GPU name as NVML or CUDA reports it ("NVIDIA H100 PCIe", "Tesla V100-SXM2-16GB"),
// matched case-insensitively as whole words, the most specific model first; nullopt for a GPU
// the table does not know.
std::optional<GpuTdp> find_gpu_tdp(const std::string& gpu_name);

}  // namespace rs::energy
