// The energy one training run uses: its GPU through NVML, the CPU packages through RAPL.
//
//   EnergyMeter meter(cuda_device_uuid(device));      // or "" for a run on the CPU
//   meter.start();
//   for (each epoch) { ...; metrics.energy_j.push_back(meter.epoch_mark()); }
//   EnergyResult energy = meter.stop();
//
// GPU energy comes, in order of preference, from
//   nvml-counter  the GPU's energy counter (Volta and newer), read at start, marks and stop;
//   nvml-power    power readings every ~100 ms integrated with the trapezoid rule, when the
//                 GPU has no counter or the counter went backwards during the run (a driver
//                 reload resets it);
//   none          no NVML, no GPU, or neither reading works: gpu_j is 0.
// The counter updates every ~20-100 ms, so a window shorter than ~2 s is noisy; power readings
// are the board's, averaged by the driver over up to a second on recent GPUs.
//
// A GPU shared by several processes (runs packed K to a GPU, MPS, time slicing): every ~100 ms
// the meter asks NVML how many compute processes use the GPU and charges the run with an even
// share of the energy since the last look (counter increase or power integral, divided by
// that count), so the runs sharing a GPU add up to its counter, not to K times it. A note says
// so; without NVML's process list the run is charged with the whole GPU, and a note says that.
//
// Nothing here throws and nothing fails the run: every problem ends in method "none" (or a
// fallback) with a `note` saying why.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "energy/gpu_target.h"
#include "energy/nvml.h"
#include "energy/rapl.h"

namespace rs::energy {

struct EnergyResult {
  double gpu_j = 0;      // the GPU, start to stop
  double cpu_j = 0;      // the CPU packages (RAPL), start to stop; 0 when not readable
  double avg_gpu_w = 0;  // gpu_j / seconds
  double seconds = 0;    // start to stop
  // As the run file's /energy/method: nvml-counter | nvml-power for the GPU, else rapl when
  // only the CPU was measured, else none.
  std::string method = "none";
  // What gpu_j covers, e.g. "GPU-5c1a... (NVIDIA H100 80GB HBM3, driver 580.82.07)".
  std::string gpu;
  // The run's device as NVML names it (GPU-... or MIG-...; gpu_target.h), "" when NVML did not
  // find it.
  std::string device_uuid;
  // True when the run had a MIG slice: gpu_j is the whole physical GPU's, all slices included.
  bool whole_gpu_under_mig = false;
  // Why something was not measured, which fallback was taken, the MIG caveat, a GPU shared
  // with other processes; "" when none.
  std::string note;
};

class EnergyMeter {
 public:
  // `gpu` is the UUID of the run's CUDA device (see gpu_target.h), "" for a run without a GPU.
  // `powercap_dir` is where RAPL is read (tests point it elsewhere).
  explicit EnergyMeter(std::string gpu, std::string powercap_dir = kPowercapDir);
  ~EnergyMeter();
  EnergyMeter(const EnergyMeter&) = delete;
  EnergyMeter& operator=(const EnergyMeter&) = delete;

  // Opens NVML, finds the GPU and takes the first readings.
  void start();
  // Joules (GPU + CPU) since start() or the previous mark.
  double epoch_mark();
  // The totals since start(). Call once.
  EnergyResult stop();

 private:
  // All readings at one moment.
  struct Reading {
    double seconds = 0;  // since start()
    unsigned long long counter_mj = 0;  // the GPU's counter
    bool counter_ok = false;
    double counter_j = 0;  // the run's share of the counter's increase since start()
    double power_j = 0;    // the run's share of the integral of the power readings
    double cpu_j = 0;      // RAPL since construction
  };

  void open_gpu();
  Reading read();
  void sample_gpu(double seconds);  // with mutex_ held: the process count, counter and power
  void sample_loop();
  void stop_sampler();
  // The GPU's joules between two readings: the counter's difference while it runs forwards,
  // else the power integral's.
  double gpu_joules(const Reading& from, const Reading& to);
  std::string method() const;
  void add_note(const std::string& text);

  std::string gpu_uuid_;
  std::string gpu_description_;
  std::unique_ptr<Nvml> nvml_;
  std::optional<GpuTarget> target_;
  bool has_counter_ = false;
  bool has_power_ = false;
  bool has_processes_ = false;   // NVML lists the processes on the GPU
  bool counter_failed_ = false;  // went backwards or stopped answering: power from then on
  RaplCounter rapl_;
  std::string note_;

  std::chrono::steady_clock::time_point start_time_;
  Reading first_, last_mark_;
  bool started_ = false;

  // The sampling thread splits the GPU's energy among its processes, integrates power and reads
  // RAPL often enough to see every wrap.
  std::thread sampler_;
  std::mutex mutex_;  // guards rapl_ and the fields below
  std::condition_variable wake_;
  bool stopping_ = false;
  unsigned processes_ = 1, max_processes_ = 1;  // on the GPU at the last look, and at most
  bool has_counter_sample_ = false, last_counter_ok_ = false;
  unsigned long long last_counter_mj_ = 0;
  double counter_j_ = 0;
  bool has_sample_ = false;
  double last_sample_s_ = 0, last_sample_w_ = 0, power_j_ = 0;
};

}  // namespace rs::energy
