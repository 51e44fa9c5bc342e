#include "train/gpu_timer.h"

#include <torch/version.h>

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 11)
#define RS_EVENT_TIMING 1
#include <c10/core/Event.h>
#include <c10/core/impl/VirtualGuardImpl.h>
#else
#define RS_EVENT_TIMING 0
#endif

namespace rs::train {

#if RS_EVENT_TIMING

struct GpuTimer::Events {
  // BACKEND_DEFAULT is CUDA's own default, which keeps timing on (PyTorch's default turns it
  // off for cheaper events).
  c10::Event start{c10::DeviceType::CUDA, c10::EventFlag::BACKEND_DEFAULT};
  c10::Event end{c10::DeviceType::CUDA, c10::EventFlag::BACKEND_DEFAULT};
};

namespace {

c10::Stream current_stream(const torch::Device& device) {
  return c10::impl::VirtualGuardImpl(c10::DeviceType::CUDA).getStream(device);
}

}  // namespace

GpuTimer::GpuTimer(const torch::Device& device) : device_(device) {
  if (device.is_cuda()) events_ = std::make_unique<Events>();
}

void GpuTimer::start() {
  if (events_) events_->start.record(current_stream(device_));
}

double GpuTimer::stop() {
  if (!events_) return 0.0;
  events_->end.record(current_stream(device_));
  events_->end.synchronize();
  return events_->start.elapsedTime(events_->end) / 1000.0;  // milliseconds
}

#else

struct GpuTimer::Events {};

GpuTimer::GpuTimer(const torch::Device& device) : device_(device) {}
void GpuTimer::start() {}
double GpuTimer::stop() { return 0.0; }

#endif

GpuTimer::~GpuTimer() = default;

bool GpuTimer::available() const { return events_ != nullptr; }

}  // namespace rs::train
