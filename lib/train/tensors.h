// Copying results out of tensors into the plain vectors a RunRecord holds, and back (a
// checkpoint stores such vectors as tensors).
#pragma once

#include <cstdint>
#include <vector>

#include <ATen/core/Tensor.h>

namespace rs::train {

// The values of a float32 / int64 tensor of any shape and device, in row-major order.
std::vector<float> to_floats(const at::Tensor& t);
std::vector<int64_t> to_int64s(const at::Tensor& t);
std::vector<double> to_doubles(const at::Tensor& t);

// A 1-D CPU tensor holding a copy of `values`.
at::Tensor cpu_tensor(const std::vector<float>& values);
at::Tensor cpu_tensor(const std::vector<int64_t>& values);
at::Tensor cpu_tensor(const std::vector<double>& values);

}  // namespace rs::train
