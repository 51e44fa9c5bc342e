// Copying results out of tensors into the plain vectors a RunRecord holds.
#pragma once

#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace rs::train {

// The values of a float32 / int64 tensor of any shape and device, in row-major order.
std::vector<float> to_floats(const at::Tensor& t);
std::vector<int64_t> to_int64s(const at::Tensor& t);

}  // namespace rs::train
