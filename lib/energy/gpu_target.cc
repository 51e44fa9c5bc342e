#include "energy/gpu_target.h"

#include <vector>

namespace rs::energy {
namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// The NVML names `uuid` may have: itself when it has a prefix, else a whole GPU's and a MIG
// slice's.
std::vector<std::string> names_of(const std::string& uuid) {
  if (starts_with(uuid, "GPU-") || starts_with(uuid, "MIG-")) return {uuid};
  return {"GPU-" + uuid, "MIG-" + uuid};
}

}  // namespace

std::optional<GpuTarget> find_gpu(const Nvml& nvml, const std::string& uuid, std::string* why) {
  GpuTarget target;
  nvmlDevice_t found = nullptr;
  std::string name;
  nvmlReturn_t status = NVML_ERROR_NOT_FOUND;
  for (const std::string& candidate : names_of(uuid)) {
    status = nvml.device_by_uuid(candidate, &found);
    if (status == NVML_SUCCESS) {
      name = candidate;
      break;
    }
  }
  if (status != NVML_SUCCESS) {
    *why = "no GPU " + uuid + ": " + nvml.error(status);
    return std::nullopt;
  }
  target.device = found;
  if (starts_with(name, "MIG-")) {
    target.mig = true;
    target.mig_uuid = name;
    status = nvml.parent_of_mig_device(found, &target.device);
    if (status != NVML_SUCCESS) {
      *why = "no GPU for MIG device " + name + ": " + nvml.error(status);
      return std::nullopt;
    }
  }
  status = nvml.uuid(target.device, &target.uuid);
  if (status == NVML_SUCCESS) status = nvml.name(target.device, &target.name);
  if (status != NVML_SUCCESS) {
    *why = "cannot identify GPU " + uuid + ": " + nvml.error(status);
    return std::nullopt;
  }
  return target;
}

}  // namespace rs::energy
