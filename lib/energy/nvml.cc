#include "energy/nvml.h"

#include <dlfcn.h>

#include <cstdlib>

namespace rs::energy {

// The function types come from the declarations in nvml_api.h; decltype does not make the
// program refer to the functions themselves, so nothing needs to link against them.
struct Nvml::Functions {
  decltype(&nvmlInit_v2) init = nullptr;
  decltype(&nvmlShutdown) shutdown = nullptr;
  decltype(&nvmlErrorString) error_string = nullptr;
  decltype(&nvmlSystemGetDriverVersion) driver_version = nullptr;
  decltype(&nvmlDeviceGetHandleByUUID) device_by_uuid = nullptr;
  decltype(&nvmlDeviceGetDeviceHandleFromMigDeviceHandle) parent_of_mig_device = nullptr;
  decltype(&nvmlDeviceGetName) name = nullptr;
  decltype(&nvmlDeviceGetUUID) uuid = nullptr;
  decltype(&nvmlDeviceGetArchitecture) architecture = nullptr;
  decltype(&nvmlDeviceGetTotalEnergyConsumption) energy = nullptr;
  decltype(&nvmlDeviceGetPowerUsage) power = nullptr;
  decltype(&nvmlDeviceGetComputeRunningProcesses_v3) processes = nullptr;
};

namespace {

// Looks up `symbol` into `*function`; false when the library lacks it.
template <class F>
bool find(void* library, const char* symbol, F* function) {
  *function = reinterpret_cast<F>(dlsym(library, symbol));
  return *function != nullptr;
}

}  // namespace

std::unique_ptr<Nvml> Nvml::load(std::string* why) {
  const char* path = std::getenv(kNvmlLibraryVariable);
  if (path == nullptr || *path == '\0') path = "libnvidia-ml.so.1";
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    *why = std::string("cannot load NVML: ") + dlerror();
    return nullptr;
  }
  auto f = std::make_unique<Functions>();
  const char* missing = nullptr;
  if (!find(library, "nvmlInit_v2", &f->init)) missing = "nvmlInit_v2";
  if (!find(library, "nvmlShutdown", &f->shutdown)) missing = "nvmlShutdown";
  if (!find(library, "nvmlErrorString", &f->error_string)) missing = "nvmlErrorString";
  if (!find(library, "nvmlSystemGetDriverVersion", &f->driver_version)) missing = "nvmlSystemGetDriverVersion";
  if (!find(library, "nvmlDeviceGetHandleByUUID", &f->device_by_uuid)) missing = "nvmlDeviceGetHandleByUUID";
  if (!find(library, "nvmlDeviceGetName", &f->name)) missing = "nvmlDeviceGetName";
  if (!find(library, "nvmlDeviceGetUUID", &f->uuid)) missing = "nvmlDeviceGetUUID";
  if (!find(library, "nvmlDeviceGetArchitecture", &f->architecture)) missing = "nvmlDeviceGetArchitecture";
  if (!find(library, "nvmlDeviceGetTotalEnergyConsumption", &f->energy)) missing = "nvmlDeviceGetTotalEnergyConsumption";
  if (!find(library, "nvmlDeviceGetPowerUsage", &f->power)) missing = "nvmlDeviceGetPowerUsage";
  // Optional: drivers from before MIG lack it, and on them no device is a MIG device.
  find(library, "nvmlDeviceGetDeviceHandleFromMigDeviceHandle", &f->parent_of_mig_device);
  // Optional: the newest of the three names the driver has.
  for (const char* name : {"nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2",
                           "nvmlDeviceGetComputeRunningProcesses"})
    if (find(library, name, &f->processes)) break;
  if (missing != nullptr) {
    *why = std::string("NVML library ") + path + " has no " + missing;
    dlclose(library);
    return nullptr;
  }
  nvmlReturn_t status = f->init();
  if (status != NVML_SUCCESS) {
    *why = std::string("nvmlInit_v2 failed: ") + f->error_string(status);
    dlclose(library);
    return nullptr;
  }
  return std::unique_ptr<Nvml>(new Nvml(library, std::move(f)));
}

Nvml::Nvml(void* library, std::unique_ptr<Functions> functions)
    : library_(library), f_(std::move(functions)) {}

Nvml::~Nvml() {
  f_->shutdown();
  dlclose(library_);
}

std::string Nvml::error(nvmlReturn_t status) const { return f_->error_string(status); }

nvmlReturn_t Nvml::driver_version(std::string* version) const {
  char buffer[NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE] = {};
  nvmlReturn_t status = f_->driver_version(buffer, sizeof buffer);
  if (status == NVML_SUCCESS) *version = buffer;
  return status;
}

nvmlReturn_t Nvml::device_by_uuid(const std::string& uuid, nvmlDevice_t* device) const {
  return f_->device_by_uuid(uuid.c_str(), device);
}

nvmlReturn_t Nvml::parent_of_mig_device(nvmlDevice_t mig_device, nvmlDevice_t* device) const {
  if (f_->parent_of_mig_device == nullptr) return NVML_ERROR_NOT_SUPPORTED;
  return f_->parent_of_mig_device(mig_device, device);
}

nvmlReturn_t Nvml::name(nvmlDevice_t device, std::string* name) const {
  char buffer[NVML_DEVICE_NAME_V2_BUFFER_SIZE] = {};
  nvmlReturn_t status = f_->name(device, buffer, sizeof buffer);
  if (status == NVML_SUCCESS) *name = buffer;
  return status;
}

nvmlReturn_t Nvml::uuid(nvmlDevice_t device, std::string* uuid) const {
  char buffer[NVML_DEVICE_UUID_V2_BUFFER_SIZE] = {};
  nvmlReturn_t status = f_->uuid(device, buffer, sizeof buffer);
  if (status == NVML_SUCCESS) *uuid = buffer;
  return status;
}

nvmlReturn_t Nvml::architecture(nvmlDevice_t device, nvmlDeviceArchitecture_t* arch) const {
  return f_->architecture(device, arch);
}

nvmlReturn_t Nvml::energy_mj(nvmlDevice_t device, unsigned long long* millijoules) const {
  return f_->energy(device, millijoules);
}

nvmlReturn_t Nvml::power_mw(nvmlDevice_t device, unsigned* milliwatts) const {
  return f_->power(device, milliwatts);
}

nvmlReturn_t Nvml::process_count(nvmlDevice_t device, unsigned* count) const {
  if (f_->processes == nullptr) return NVML_ERROR_NOT_SUPPORTED;
  *count = 0;
  const nvmlReturn_t status = f_->processes(device, count, nullptr);
  return status == NVML_ERROR_INSUFFICIENT_SIZE ? NVML_SUCCESS : status;
}

}  // namespace rs::energy
