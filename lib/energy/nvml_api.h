/* The part of NVIDIA's NVML C API (nvml.h) the energy meter uses, declared here because no
 * NVIDIA header is available where the project builds. Names, values and signatures are
 * those of nvml.h; only what is used is declared.
 *
 * Nothing links against these functions: nvml.cc looks them up with dlsym() in the library
 * it opens at run time, and tests/energy/fake_nvml.c defines them for the tests. Plain C, so
 * that both can include it.
 */
#ifndef RS_ENERGY_NVML_API_H_
#define RS_ENERGY_NVML_API_H_

#ifdef __cplusplus
extern "C" {
#endif

/* nvml.h declares nvmlReturn_t as an enum; an enum of these values is an int in the C ABI. */
typedef int nvmlReturn_t;
#define NVML_SUCCESS 0
#define NVML_ERROR_INVALID_ARGUMENT 2
#define NVML_ERROR_NOT_SUPPORTED 3
#define NVML_ERROR_NOT_FOUND 6
#define NVML_ERROR_INSUFFICIENT_SIZE 7
#define NVML_ERROR_DRIVER_NOT_LOADED 9

/* An opaque handle; NVML never shows what it points to. */
typedef struct nvmlDevice_st* nvmlDevice_t;

/* An entry of a device's process list; only the list's length is used here, so it stays opaque. */
typedef struct nvmlProcessInfo_st nvmlProcessInfo_t;

/* nvmlDeviceGetArchitecture's values; the energy counter needs Volta or newer. */
typedef unsigned int nvmlDeviceArchitecture_t;
#define NVML_DEVICE_ARCH_VOLTA 5

/* Buffer sizes nvml.h guarantees to be large enough. */
#define NVML_DEVICE_NAME_V2_BUFFER_SIZE 96
#define NVML_DEVICE_UUID_V2_BUFFER_SIZE 96
#define NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80

/* nvml.h maps nvmlInit to this _v2 symbol with a macro; a library opened with dlopen() must be
 * asked for the _v2 name. */
nvmlReturn_t nvmlInit_v2(void);
nvmlReturn_t nvmlShutdown(void);
const char* nvmlErrorString(nvmlReturn_t result);
nvmlReturn_t nvmlSystemGetDriverVersion(char* version, unsigned int length);
/* Takes a GPU UUID ("GPU-...") or, on drivers with MIG, a MIG device UUID ("MIG-..."). */
nvmlReturn_t nvmlDeviceGetHandleByUUID(const char* uuid, nvmlDevice_t* device);
/* The physical GPU a MIG device handle belongs to. */
nvmlReturn_t nvmlDeviceGetDeviceHandleFromMigDeviceHandle(nvmlDevice_t mig_device,
                                                          nvmlDevice_t* device);
nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length);
nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned int length);
nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t device, nvmlDeviceArchitecture_t* arch);
/* Millijoules since the driver was loaded; Volta and newer. */
nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long* energy);
/* Milliwatts, for the whole board. */
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* power);
/* The compute processes using a device (on a GPU split with MIG, those of every slice). Asked
 * with *infoCount 0, it answers NVML_ERROR_INSUFFICIENT_SIZE and sets *infoCount to their
 * number, or NVML_SUCCESS when there are none. _v3 since driver R510; _v2 and the unversioned
 * name before, with the same arguments. */
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int* infoCount,
                                                     nvmlProcessInfo_t* infos);

#ifdef __cplusplus
}
#endif

#endif /* RS_ENERGY_NVML_API_H_ */
