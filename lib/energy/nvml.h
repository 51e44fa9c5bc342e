// NVML, opened at run time: the project never links libnvidia-ml, so `sweep` and the trainer
// run on machines without an NVIDIA driver, and the tests can put a fake library in its place.
//
// Nvml::load() opens $REPROSWEEP_NVML_LIBRARY when set (the tests point it at
// tests/energy/fake_nvml.c), else libnvidia-ml.so.1, looks up every function of nvml_api.h
// and calls nvmlInit_v2(). The object shuts NVML down and closes the library when destroyed.
// Its methods return NVML's status codes; error() turns one into NVML's message.
#pragma once

#include <memory>
#include <string>

#include "energy/nvml_api.h"

namespace rs::energy {

// The environment variable naming the library to open instead of libnvidia-ml.so.1.
inline constexpr char kNvmlLibraryVariable[] = "REPROSWEEP_NVML_LIBRARY";

class Nvml {
 public:
  // nullptr, with *why saying what failed, when the library cannot be opened, lacks a
  // function or does not initialise (no driver loaded, no permission).
  static std::unique_ptr<Nvml> load(std::string* why);
  ~Nvml();
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  std::string error(nvmlReturn_t status) const;

  nvmlReturn_t driver_version(std::string* version) const;
  nvmlReturn_t device_by_uuid(const std::string& uuid, nvmlDevice_t* device) const;
  // NVML_ERROR_NOT_SUPPORTED on drivers older than MIG, which have no such function.
  nvmlReturn_t parent_of_mig_device(nvmlDevice_t mig_device, nvmlDevice_t* device) const;
  nvmlReturn_t name(nvmlDevice_t device, std::string* name) const;
  nvmlReturn_t uuid(nvmlDevice_t device, std::string* uuid) const;
  nvmlReturn_t architecture(nvmlDevice_t device, nvmlDeviceArchitecture_t* arch) const;
  nvmlReturn_t energy_mj(nvmlDevice_t device, unsigned long long* millijoules) const;
  nvmlReturn_t power_mw(nvmlDevice_t device, unsigned* milliwatts) const;
  // How many compute processes use `device`; NVML_ERROR_NOT_SUPPORTED when the library has no
  // process list.
  nvmlReturn_t process_count(nvmlDevice_t device, unsigned* count) const;

 private:
  struct Functions;
  Nvml(void* library, std::unique_ptr<Functions> functions);

  void* library_;
  std::unique_ptr<Functions> f_;
};

}  // namespace rs::energy
