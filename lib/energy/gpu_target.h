// Which physical GPU a run's energy is read from.
//
// A run names its GPU by the UUID CUDA reports for its device (train/device.h), never by an
// index: NVML numbers every GPU of the node, CUDA only those CUDA_VISIBLE_DEVICES lets it see
// (SLURM sets "0" for whichever GPU it gave the job), so on a multi-GPU node an index can name
// another job's GPU. CUDA's UUID has no prefix and does not say whether the device is a whole
// GPU or a MIG slice; NVML knows it as GPU-<uuid> or MIG-<uuid>, so both are tried. NVML reads
// energy and power only for a whole physical GPU, so a MIG slice resolves to the GPU it is part
// of and its readings include every other slice on that GPU: `mig` says so, and the meter
// reports it.
#pragma once

#include <optional>
#include <string>

#include "energy/nvml.h"

namespace rs::energy {

struct GpuTarget {
  nvmlDevice_t device = nullptr;  // the physical GPU
  std::string uuid;               // its UUID, "GPU-..."
  std::string name;               // e.g. "NVIDIA H100 80GB HBM3"
  bool mig = false;               // true when the run has only a MIG slice of it
  std::string mig_uuid;           // the slice, "MIG-...", when mig

  // The run's device as NVML names it: the slice under MIG, else the GPU.
  const std::string& device_uuid() const { return mig ? mig_uuid : uuid; }
};

// Resolves `uuid`, as CUDA reports it (xxxxxxxx-xxxx-..., no prefix) or as NVML names it
// (GPU-... or MIG-...). nullopt, with *why, when NVML knows no such device.
std::optional<GpuTarget> find_gpu(const Nvml& nvml, const std::string& uuid, std::string* why);

}  // namespace rs::energy
