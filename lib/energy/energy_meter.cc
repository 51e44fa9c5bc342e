#include "energy/energy_meter.h"

#include <algorithm>

#include <fmt/format.h>

namespace rs::energy {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kSamplePeriod{100};

}  // namespace

EnergyMeter::EnergyMeter(std::string gpu, std::string powercap_dir)
    : gpu_uuid_(std::move(gpu)), rapl_(powercap_dir) {}

EnergyMeter::~EnergyMeter() { stop_sampler(); }

void EnergyMeter::add_note(const std::string& text) { note_ += (note_.empty() ? "" : "; ") + text; }

void EnergyMeter::start() {
  try {
    open_gpu();
    if (!rapl_.available()) add_note("CPU energy not measured: " + rapl_.why_not());
    start_time_ = Clock::now();
    first_ = last_mark_ = read();
    if (target_ || rapl_.available()) sampler_ = std::thread(&EnergyMeter::sample_loop, this);
    started_ = true;
  } catch (const std::exception& e) {
    add_note(std::string("energy meter failed to start: ") + e.what());
  }
}

void EnergyMeter::open_gpu() {
  if (gpu_uuid_.empty()) {
    add_note("no GPU");
    return;
  }
  std::string why;
  nvml_ = Nvml::load(&why);
  if (nvml_ == nullptr) {
    add_note(why);
    return;
  }
  target_ = find_gpu(*nvml_, gpu_uuid_, &why);
  if (!target_) {
    add_note(why);
    return;
  }
  std::string driver;
  nvml_->driver_version(&driver);
  gpu_description_ = fmt::format("{} ({}, driver {})", target_->uuid, target_->name, driver);

  if (target_->mig)
    add_note(fmt::format("MIG device {}: NVML measures only the whole GPU {}, so gpu_j comes from every MIG "
                         "instance's energy (split among their processes where NVML lists them)",
                         target_->mig_uuid, target_->uuid));

  unsigned long long millijoules = 0;
  unsigned milliwatts = 0;
  nvmlReturn_t counter = nvml_->energy_mj(target_->device, &millijoules);
  nvmlReturn_t power = nvml_->power_mw(target_->device, &milliwatts);
  has_counter_ = counter == NVML_SUCCESS;
  has_power_ = power == NVML_SUCCESS;
  if (!has_counter_) {
    nvmlDeviceArchitecture_t arch = 0;
    bool before_volta = nvml_->architecture(target_->device, &arch) == NVML_SUCCESS &&
                        arch < NVML_DEVICE_ARCH_VOLTA;
    add_note(fmt::format("no energy counter ({}){}",
                         before_volta ? "the GPU is older than Volta" : nvml_->error(counter),
                         has_power_ ? ": power readings integrated instead" : ""));
  }
  if (!has_power_) add_note("no power readings: " + nvml_->error(power));
  unsigned processes = 0;
  const nvmlReturn_t listed = nvml_->process_count(target_->device, &processes);
  has_processes_ = listed == NVML_SUCCESS;
  if (!has_processes_ && (has_counter_ || has_power_))
    add_note(fmt::format("NVML does not list the GPU's processes ({}): if other processes share the GPU, "
                         "gpu_j includes their energy", nvml_->error(listed)));
}

EnergyMeter::Reading EnergyMeter::read() {
  Reading r;
  std::lock_guard<std::mutex> lock(mutex_);
  r.seconds = std::chrono::duration<double>(Clock::now() - start_time_).count();
  if (target_) sample_gpu(r.seconds);
  r.counter_mj = last_counter_mj_;
  r.counter_ok = last_counter_ok_;
  r.counter_j = counter_j_;
  r.power_j = power_j_;
  rapl_.update();
  r.cpu_j = rapl_.joules();
  return r;
}

void EnergyMeter::sample_gpu(double seconds) {
  // The run's share of what the GPU used since the last look: even among the processes on it
  // now. NVML listing none (it cannot see other PID namespaces) counts as this run alone.
  unsigned processes = 0;
  if (has_processes_ && nvml_->process_count(target_->device, &processes) == NVML_SUCCESS)
    processes_ = std::max(1u, processes);
  max_processes_ = std::max(max_processes_, processes_);
  // Read even once the counter failed: counter_failed_ belongs to the thread that takes marks.
  if (has_counter_) {
    unsigned long long millijoules = 0;
    last_counter_ok_ = nvml_->energy_mj(target_->device, &millijoules) == NVML_SUCCESS;
    if (last_counter_ok_) {
      // A counter that went backwards adds nothing here; gpu_joules() notices it at the next mark.
      if (has_counter_sample_ && millijoules >= last_counter_mj_)
        counter_j_ += static_cast<double>(millijoules - last_counter_mj_) / 1000.0 / processes_;
      last_counter_mj_ = millijoules;
      has_counter_sample_ = true;
    }
  }
  unsigned milliwatts = 0;
  // A missed power reading is skipped: the next trapezoid spans the gap.
  if (!has_power_ || nvml_->power_mw(target_->device, &milliwatts) != NVML_SUCCESS) return;
  double watts = milliwatts / 1000.0;
  if (has_sample_) power_j_ += (seconds - last_sample_s_) * (watts + last_sample_w_) / 2 / processes_;
  has_sample_ = true;
  last_sample_s_ = seconds;
  last_sample_w_ = watts;
}

void EnergyMeter::sample_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, kSamplePeriod, [this] { return stopping_; })) {
    if (target_) sample_gpu(std::chrono::duration<double>(Clock::now() - start_time_).count());
    rapl_.update();
  }
}

void EnergyMeter::stop_sampler() {
  if (!sampler_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sampler_.join();
}

double EnergyMeter::gpu_joules(const Reading& from, const Reading& to) {
  if (has_counter_ && !counter_failed_) {
    if (from.counter_ok && to.counter_ok && to.counter_mj >= from.counter_mj) return to.counter_j - from.counter_j;
    counter_failed_ = true;
    add_note(fmt::format("energy counter {} at {:.1f} s{}",
                         to.counter_ok ? "went backwards (driver reloaded?)" : "stopped answering",
                         to.seconds,
                         has_power_ ? ": power readings integrated instead" : " and no power readings"));
  }
  return has_power_ ? to.power_j - from.power_j : 0.0;
}

std::string EnergyMeter::method() const {
  if (has_counter_ && !counter_failed_) return "nvml-counter";
  if (has_power_) return "nvml-power";
  if (rapl_.available()) return "rapl";
  return "none";
}

double EnergyMeter::epoch_mark() {
  if (!started_) return 0;
  try {
    Reading now = read();
    double joules = gpu_joules(last_mark_, now) + (now.cpu_j - last_mark_.cpu_j);
    last_mark_ = now;
    return joules;
  } catch (const std::exception& e) {
    add_note(std::string("epoch mark failed: ") + e.what());
    return 0;
  }
}

EnergyResult EnergyMeter::stop() {
  EnergyResult result;
  if (started_) {
    try {
      Reading last = read();
      stop_sampler();
      gpu_joules(last_mark_, last);  // notices a counter reset after the last mark
      result.gpu_j = gpu_joules(first_, last);
      result.cpu_j = last.cpu_j - first_.cpu_j;
      result.seconds = last.seconds - first_.seconds;
      result.avg_gpu_w = result.seconds > 0 ? result.gpu_j / result.seconds : 0;
      result.method = method();
      if (result.method == "nvml-counter" || result.method == "nvml-power") {
        result.gpu = gpu_description_;
        result.whole_gpu_under_mig = target_->mig;
        if (max_processes_ > 1)
          add_note(fmt::format("GPU shared with other processes (up to {} at once): gpu_j is this run's even "
                               "share of the GPU's energy, split every {} ms",
                               max_processes_, kSamplePeriod.count()));
      }
      if (target_) result.device_uuid = target_->device_uuid();
    } catch (const std::exception& e) {
      result = EnergyResult{};
      add_note(std::string("energy meter failed to stop: ") + e.what());
    }
    started_ = false;
  }
  result.note = note_;
  return result;
}

}  // namespace rs::energy
