// GPU time of the trainer's phases, by CUDA events: an event recorded on the device's current
// stream when a phase starts and one when it ends; their distance is the stream's time from
// the one to the other. That includes moments the stream sat idle waiting for the host (a
// batch being cut, a loss read back), so it is close to the phase's wall time when the host is
// the bottleneck, and measures the GPU's own time when the GPU is.
//
// Event timing needs c10::Event::elapsedTime, which LibTorch 2.11 (the pinned wheel) has and
// Debian's 1.13 does not; without it, or on the CPU, available() is false and the caller falls
// back to wall time (run.h).
#pragma once

#include <memory>

#include <torch/types.h>

namespace rs::train {

class GpuTimer {
 public:
  explicit GpuTimer(const torch::Device& device);
  ~GpuTimer();
  GpuTimer(const GpuTimer&) = delete;
  GpuTimer& operator=(const GpuTimer&) = delete;

  bool available() const;
  // Records the start event. No-op when not available().
  void start();
  // Records the end event, waits for it, and returns the seconds since start(); 0 when not
  // available().
  double stop();

 private:
  struct Events;  // the two c10::Events; the header stays free of CUDA and c10 internals
  torch::Device device_;
  std::unique_ptr<Events> events_;
};

}  // namespace rs::train
