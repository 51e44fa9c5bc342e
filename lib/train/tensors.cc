#include "train/tensors.h"

#include <cstring>

namespace rs::train {
namespace {

template <typename T>
std::vector<T> to_vector(const at::Tensor& t) {
  at::Tensor cpu = t.detach().to(at::kCPU).contiguous();
  std::vector<T> values(static_cast<size_t>(cpu.numel()));
  std::memcpy(values.data(), cpu.data_ptr<T>(), values.size() * sizeof(T));
  return values;
}

}  // namespace

std::vector<float> to_floats(const at::Tensor& t) { return to_vector<float>(t); }
std::vector<int64_t> to_int64s(const at::Tensor& t) { return to_vector<int64_t>(t); }

}  // namespace rs::train
