/* A stand-in for libnvidia-ml.so.1 in the energy meter's tests (REPROSWEEP_NVML_LIBRARY points
 * at it). It defines the functions of lib/energy/nvml_api.h and behaves as its environment
 * says, read at nvmlInit_v2:
 *
 *   FAKE_NVML_INIT=fail        nvmlInit_v2 fails as without a loaded driver
 *   FAKE_NVML_GPUS=N           N GPUs (default 1): GPU i has UUID GPU-00000000-...-00000000000i
 *                              and one MIG device, MIG-11111111-...-00000000000i
 *   FAKE_NVML_POWER_W=W        every GPU draws a constant W watts (default 250); a list
 *                              W0,W1,... gives GPU i its own Wi (the last one for the rest)
 *   FAKE_NVML_COUNTER=linear   the energy counter grows by W joules a second (the default);
 *                    unsupported  as on GPUs older than Volta (architecture Pascal)
 *   FAKE_NVML_RESET_AFTER_S=T  the counter drops to 0 once, T seconds after nvmlInit_v2 (as
 *                              when the driver is reloaded), and grows again from there
 *   FAKE_NVML_POWER=unsupported   power readings fail
 *   FAKE_NVML_PROCESSES_FILE=PATH  the number of compute processes on every GPU is the number
 *                              in file PATH, read at each call (so a test can change it while a
 *                              meter runs); without it, 1. The process list is only counted.
 *
 * Time is CLOCK_MONOTONIC, the clock std::chrono::steady_clock reads, so the counter and the
 * meter agree on how long a run took. As on real GPUs, MIG device handles have no energy or
 * power readings of their own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "energy/nvml_api.h"

#define MAX_GPUS 8
#define COUNTER_START_MJ 1000000000ULL /* a driver loaded a while ago */
#define ARCH_PASCAL 4
#define ARCH_HOPPER 9

struct nvmlDevice_st {
  unsigned index;
  int is_mig;
};

static struct nvmlDevice_st gpus[MAX_GPUS];
static struct nvmlDevice_st migs[MAX_GPUS];
static unsigned gpu_count;
static double power_w[MAX_GPUS];
static const char* counter_mode;
static int power_supported;
static double reset_after_s;
static double counter_origin_s; /* when the counter had the value counter_base_mj */
static unsigned long long counter_base_mj;
static int counter_was_reset;

static const char* env_or(const char* name, const char* fallback) {
  const char* value = getenv(name);
  return value != NULL ? value : fallback;
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void gpu_uuid(unsigned index, char* out, size_t size) {
  snprintf(out, size, "GPU-00000000-0000-0000-0000-%012u", index);
}

static void mig_uuid(unsigned index, char* out, size_t size) {
  snprintf(out, size, "MIG-11111111-1111-1111-1111-%012u", index);
}

static int valid_gpu(nvmlDevice_t device) {
  return device != NULL && !device->is_mig && device->index < gpu_count;
}

nvmlReturn_t nvmlInit_v2(void) {
  if (strcmp(env_or("FAKE_NVML_INIT", ""), "fail") == 0) return NVML_ERROR_DRIVER_NOT_LOADED;
  gpu_count = (unsigned)atoi(env_or("FAKE_NVML_GPUS", "1"));
  if (gpu_count > MAX_GPUS) gpu_count = MAX_GPUS;
  for (unsigned i = 0; i < MAX_GPUS; ++i) {
    gpus[i].index = migs[i].index = i;
    migs[i].is_mig = 1;
  }
  const char* watts = env_or("FAKE_NVML_POWER_W", "250");
  for (unsigned i = 0; i < MAX_GPUS; ++i) {
    power_w[i] = atof(watts);
    const char* comma = strchr(watts, ',');
    if (comma != NULL) watts = comma + 1;
  }
  counter_mode = env_or("FAKE_NVML_COUNTER", "linear");
  power_supported = strcmp(env_or("FAKE_NVML_POWER", ""), "unsupported") != 0;
  reset_after_s = atof(env_or("FAKE_NVML_RESET_AFTER_S", "0"));
  counter_origin_s = now_s();
  counter_base_mj = COUNTER_START_MJ;
  counter_was_reset = 0;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) { return NVML_SUCCESS; }

const char* nvmlErrorString(nvmlReturn_t result) {
  switch (result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char* version, unsigned int length) {
  snprintf(version, length, "%s", "999.99.99-fake");
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByUUID(const char* uuid, nvmlDevice_t* device) {
  char expected[NVML_DEVICE_UUID_V2_BUFFER_SIZE];
  for (unsigned i = 0; i < gpu_count; ++i) {
    gpu_uuid(i, expected, sizeof expected);
    if (strcmp(uuid, expected) == 0) {
      *device = &gpus[i];
      return NVML_SUCCESS;
    }
    mig_uuid(i, expected, sizeof expected);
    if (strcmp(uuid, expected) == 0) {
      *device = &migs[i];
      return NVML_SUCCESS;
    }
  }
  return NVML_ERROR_NOT_FOUND;
}

nvmlReturn_t nvmlDeviceGetDeviceHandleFromMigDeviceHandle(nvmlDevice_t mig_device,
                                                          nvmlDevice_t* device) {
  if (mig_device == NULL || !mig_device->is_mig) return NVML_ERROR_INVALID_ARGUMENT;
  *device = &gpus[mig_device->index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t device, char* name, unsigned int length) {
  if (!valid_gpu(device)) return NVML_ERROR_INVALID_ARGUMENT;
  snprintf(name, length, "%s", "Fake GPU");
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t device, char* uuid, unsigned int length) {
  if (!valid_gpu(device)) return NVML_ERROR_INVALID_ARGUMENT;
  gpu_uuid(device->index, uuid, length);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetArchitecture(nvmlDevice_t device, nvmlDeviceArchitecture_t* arch) {
  if (!valid_gpu(device)) return NVML_ERROR_INVALID_ARGUMENT;
  *arch = strcmp(counter_mode, "unsupported") == 0 ? ARCH_PASCAL : ARCH_HOPPER;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, unsigned long long* energy) {
  if (!valid_gpu(device) || strcmp(counter_mode, "unsupported") == 0) return NVML_ERROR_NOT_SUPPORTED;
  double now = now_s();
  if (reset_after_s > 0 && !counter_was_reset && now - counter_origin_s >= reset_after_s) {
    counter_origin_s = now;
    counter_base_mj = 0;
    counter_was_reset = 1;
  }
  *energy = counter_base_mj + (unsigned long long)((now - counter_origin_s) * power_w[device->index] * 1000.0);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* power) {
  if (!valid_gpu(device) || !power_supported) return NVML_ERROR_NOT_SUPPORTED;
  *power = (unsigned int)(power_w[device->index] * 1000.0);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t device, unsigned int* infoCount,
                                                     nvmlProcessInfo_t* infos) {
  (void)infos; /* only counted: callers ask with *infoCount 0 */
  if (!valid_gpu(device)) return NVML_ERROR_INVALID_ARGUMENT;
  unsigned processes = 1;
  const char* path = getenv("FAKE_NVML_PROCESSES_FILE");
  if (path != NULL) {
    FILE* file = fopen(path, "r");
    if (file == NULL || fscanf(file, "%u", &processes) != 1) processes = 1;
    if (file != NULL) fclose(file);
  }
  if (processes > *infoCount) {
    *infoCount = processes;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  *infoCount = processes;
  return NVML_SUCCESS;
}
