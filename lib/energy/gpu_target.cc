#include "energy/gpu_target.h"

#include <cstdlib>
#include <sstream>
#include <vector>

namespace rs::energy {
namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

bool is_index(const std::string& text) {
  return !text.empty() && text.size() < 6 && text.find_first_not_of("0123456789") == std::string::npos;
}

// Resolves a MIG device UUID to its physical GPU. The old form carries the GPU's UUID:
// "MIG-GPU-<uuid>/<gpu instance>/<compute instance>".
bool find_mig_parent(const Nvml& nvml, const std::string& entry, nvmlDevice_t* device, std::string* why) {
  nvmlReturn_t status;
  if (starts_with(entry, "MIG-GPU-")) {
    std::string gpu_uuid = entry.substr(4, entry.find('/') - 4);
    status = nvml.device_by_uuid(gpu_uuid, device);
  } else {
    nvmlDevice_t mig_device = nullptr;
    status = nvml.device_by_uuid(entry, &mig_device);
    if (status == NVML_SUCCESS) status = nvml.parent_of_mig_device(mig_device, device);
  }
  if (status != NVML_SUCCESS) *why = "no GPU for MIG device " + entry + ": " + nvml.error(status);
  return status == NVML_SUCCESS;
}

}  // namespace

std::string visible_gpu(int ordinal) {
  const char* visible = std::getenv("CUDA_VISIBLE_DEVICES");
  if (visible == nullptr) return std::to_string(ordinal);
  std::vector<std::string> entries;
  std::istringstream in(visible);
  for (std::string entry; std::getline(in, entry, ',');) entries.push_back(entry);
  if (ordinal < 0 || static_cast<size_t>(ordinal) >= entries.size()) return "";
  return entries[static_cast<size_t>(ordinal)];
}

std::optional<GpuTarget> find_gpu(const Nvml& nvml, const std::string& entry, std::string* why) {
  GpuTarget target;
  nvmlReturn_t status = NVML_SUCCESS;
  if (starts_with(entry, "MIG-")) {
    if (!find_mig_parent(nvml, entry, &target.device, why)) return std::nullopt;
    target.mig = true;
    target.mig_uuid = entry;
  } else if (starts_with(entry, "GPU-")) {
    status = nvml.device_by_uuid(entry, &target.device);
  } else if (is_index(entry)) {
    target.by_index = true;
    status = nvml.device_by_index(static_cast<unsigned>(std::stoul(entry)), &target.device);
  } else {
    *why = "not a GPU index or UUID: '" + entry + "'";
    return std::nullopt;
  }
  if (status != NVML_SUCCESS) {
    *why = "no GPU " + entry + ": " + nvml.error(status);
    return std::nullopt;
  }
  status = nvml.uuid(target.device, &target.uuid);
  if (status == NVML_SUCCESS) status = nvml.name(target.device, &target.name);
  if (status != NVML_SUCCESS) {
    *why = "cannot identify GPU " + entry + ": " + nvml.error(status);
    return std::nullopt;
  }
  return target;
}

}  // namespace rs::energy
