#include "train/tensors.h"

#include <cstring>

#include <ATen/ops/empty.h>

namespace rs::train {
namespace {

template <typename T>
std::vector<T> to_vector(const at::Tensor& t) {
  at::Tensor cpu = t.detach().to(at::kCPU).contiguous();
  std::vector<T> values(static_cast<size_t>(cpu.numel()));
  std::memcpy(values.data(), cpu.data_ptr<T>(), values.size() * sizeof(T));
  return values;
}

template <typename T>
at::Tensor to_tensor(const std::vector<T>& values, at::ScalarType type) {
  at::Tensor t = at::empty({static_cast<int64_t>(values.size())}, type);
  if (!values.empty()) std::memcpy(t.data_ptr<T>(), values.data(), values.size() * sizeof(T));
  return t;
}

}  // namespace

std::vector<float> to_floats(const at::Tensor& t) { return to_vector<float>(t); }
std::vector<int64_t> to_int64s(const at::Tensor& t) { return to_vector<int64_t>(t); }
std::vector<double> to_doubles(const at::Tensor& t) { return to_vector<double>(t); }

at::Tensor cpu_tensor(const std::vector<float>& values) { return to_tensor(values, at::kFloat); }
at::Tensor cpu_tensor(const std::vector<int64_t>& values) { return to_tensor(values, at::kLong); }
at::Tensor cpu_tensor(const std::vector<double>& values) { return to_tensor(values, at::kDouble); }

}  // namespace rs::train
