#include "train/bitflip.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include <ATen/ops/randint.h>

#include "train/seeds.h"

namespace rs::train {

BitFlip flip_one_weight(torch::nn::Module& model, int64_t seed) {
  std::vector<at::Tensor> parameters = model.parameters();
  int64_t total = 0;
  for (const at::Tensor& p : parameters) {
    if (!p.device().is_cpu() || p.scalar_type() != at::kFloat || !p.is_contiguous())
      throw std::logic_error("flip_one_weight: parameters must be contiguous float32 on the CPU");
    total += p.numel();
  }

  at::Generator generator = make_cpu_generator(seed);
  BitFlip flip;
  flip.index = at::randint(total, {1}, generator).item<int64_t>();
  flip.up = at::randint(2, {1}, generator).item<int64_t>() == 1;

  int64_t offset = flip.index;
  for (at::Tensor& p : parameters) {
    if (offset >= p.numel()) {
      offset -= p.numel();
      continue;
    }
    float& weight = p.data_ptr<float>()[offset];
    flip.old_value = weight;
    const float infinity = std::numeric_limits<float>::infinity();
    weight = std::nextafter(weight, flip.up ? infinity : -infinity);
    flip.new_value = weight;
    break;
  }
  return flip;
}

}  // namespace rs::train
