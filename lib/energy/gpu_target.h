// Which physical GPU a run's energy is read from.
//
// A process names its GPUs the way CUDA_VISIBLE_DEVICES does: by index ("0"), by GPU UUID
// ("GPU-5c1a...") or, on a GPU split with MIG, by MIG device UUID ("MIG-0d2e..." or, before
// driver R470, "MIG-GPU-5c1a.../1/0"). NVML reads energy and power only for a whole physical
// GPU, so a MIG device resolves to the GPU it is part of and its readings include every other
// MIG instance on that GPU: `mig` says so, and the meter reports it.
#pragma once

#include <optional>
#include <string>

#include "energy/nvml.h"

namespace rs::energy {

// The CUDA_VISIBLE_DEVICES entry of CUDA device `ordinal` (what the process calls cuda:N), or
// the ordinal itself when the variable is unset; "" when it names fewer devices. An index is
// NVML's index only under CUDA_DEVICE_ORDER=PCI_BUS_ID, which SLURM scripts should set.
std::string visible_gpu(int ordinal);

struct GpuTarget {
  nvmlDevice_t device = nullptr;  // the physical GPU
  std::string uuid;               // its UUID, "GPU-..."
  std::string name;               // e.g. "NVIDIA H100 80GB HBM3"
  bool by_index = false;          // named by index: right only under CUDA_DEVICE_ORDER=PCI_BUS_ID
  bool mig = false;               // true when the run has only a MIG slice of it
  std::string mig_uuid;           // the slice, when mig
};

// Resolves `entry` (see above). nullopt, with *why, when NVML knows no such device.
std::optional<GpuTarget> find_gpu(const Nvml& nvml, const std::string& entry, std::string* why);

}  // namespace rs::energy
