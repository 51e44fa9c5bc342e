// The two speed options of a run: mixed precision (`precision: bf16`) and the channels-last
// memory format (`channels_last: true`). Both default off; both are recorded in the run's
// settings.
//
// bf16: forward passes and the loss run under LibTorch's autocast to bfloat16 on the run's
// device (CPU or CUDA); weights, gradients and optimizer state stay float32, backward and the
// optimizer step run outside autocast, and logits are stored as float32. Mode d stays
// deterministic: autocast only changes which kernels run.
// channels_last: the model's 4-D weights and every image batch in NHWC order, which cuDNN and
// oneDNN convolutions prefer. The same function is computed; sums may run in another order.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/types.h>

#include "contract/params.h"
#include "train/models.h"

namespace rs::train {

// Autocast to bfloat16 on `device` while alive, when config.precision is "bf16"; else nothing.
// Restores the state it found, so scopes nest.
class AutocastScope {
 public:
  AutocastScope(const contract::TrainConfig& config, const torch::Device& device);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool active_ = false;
  at::DeviceType device_type_ = at::kCPU;
  bool was_enabled_ = false;
  at::ScalarType was_dtype_ = at::kBFloat16;
};

// With config.channels_last: the model's 4-D parameters, in place, and a 4-D batch (a copy)
// in channels-last order. Otherwise they return as they were.
void apply_memory_format(Model& model, const contract::TrainConfig& config);
at::Tensor in_memory_format(const at::Tensor& x, const contract::TrainConfig& config);

// The settings the run file records: precision=..., channels_last=on|off.
std::vector<std::pair<std::string, std::string>> precision_settings(const contract::TrainConfig& config);

}  // namespace rs::train
